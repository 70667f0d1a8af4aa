//! The address people use to reach Roster (`ROSTER_PUBLIC_URL`), which behind a TLS-terminating proxy is not
//! the address Roster listens on. It decides the cookies (`__Host-` and Secure when https), HSTS, and which
//! `Origin` a state-changing browser request may come from (so a rebound DNS name cannot pass as same-site).

use axum::http::Uri;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    /// `scheme://host[:port]`, lower case: what browsers send as `Origin`.
    origin: String,
    https: bool,
}

impl PublicUrl {
    pub fn parse(text: &str) -> Result<PublicUrl, String> {
        let uri: Uri = text.trim().parse().map_err(|_| format!("{text:?} is not a URL"))?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err(format!("{text:?} must start with https:// (or http:// for local trials)")),
        };
        let authority = uri.authority().ok_or_else(|| format!("{text:?} names no host"))?;
        if authority.as_str().contains('@') {
            return Err(format!("{text:?} must not carry a user name or password"));
        }
        if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
            return Err(format!("{text:?} must be the site's root, with no path: Roster serves from /"));
        }
        let scheme = if https { "https" } else { "http" };
        Ok(PublicUrl { origin: format!("{scheme}://{}", authority.as_str().to_ascii_lowercase()), https })
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn is_https(&self) -> bool {
        self.https
    }
}

#[cfg(test)]
mod tests {
    use super::PublicUrl;

    #[test]
    fn the_public_url_is_an_origin_and_nothing_else() {
        let url = PublicUrl::parse("https://Roster.Example.com/").unwrap();
        assert_eq!((url.origin(), url.is_https()), ("https://roster.example.com", true));
        assert!(!PublicUrl::parse("http://127.0.0.1:3000").unwrap().is_https());
        for bad in ["roster.example.com", "ftp://x", "https://a@b.example", "https://x.example/roster", ""] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad:?}");
        }
    }
}

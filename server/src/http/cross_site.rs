//! Cross-site request refusal for the console. The cookie is SameSite=Strict already; this also refuses a
//! state-changing request whose browser says it came from another site, whatever the cookie settings.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::ConsoleError;

/// The origin browsers must send for a state-changing request: the public URL's when one is configured, else
/// the request's own `Host`.
#[derive(Clone, Default)]
pub struct AllowedOrigin(pub Option<String>);

pub async fn refuse_cross_site(
    State(allowed): State<AllowedOrigin>,
    request: Request,
    next: Next,
) -> Response {
    if !request.method().is_safe() && is_cross_site(request.headers(), allowed.0.as_deref()) {
        tracing::warn!(method = %request.method(), path = %request.uri().path(), "refused a cross-site request");
        let body = serde_json::to_string(&ConsoleError::CrossSiteRequest).unwrap_or_default();
        return (StatusCode::FORBIDDEN, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    }
    next.run(request).await
}

/// Browsers send `Sec-Fetch-Site` and `Origin`; scripts outside a browser send neither and carry no
/// ambient cookie to abuse, so their absence is not a refusal.
fn is_cross_site(headers: &HeaderMap, allowed_origin: Option<&str>) -> bool {
    let text = |name| headers.get(name).and_then(|value: &header::HeaderValue| value.to_str().ok());
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        if site == "cross-site" || site == "same-site" {
            return true;
        }
    }
    if let (Some(allowed), Some(origin)) = (allowed_origin, text(header::ORIGIN)) {
        return !origin.eq_ignore_ascii_case(allowed);
    }
    match (text(header::ORIGIN), text(header::HOST)) {
        (Some(origin), Some(host)) => {
            let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or(origin);
            !origin_host.eq_ignore_ascii_case(host)
        }
        (Some(_), None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_cross_site_here(headers: &HeaderMap) -> bool {
        is_cross_site(headers, None)
    }

    #[test]
    fn with_a_public_url_only_its_origin_passes() {
        let public = Some("https://roster.example.com");
        let from =
            |origin: &str, host: &str| is_cross_site(&headers(&[("origin", origin), ("host", host)]), public);
        assert!(!from("https://roster.example.com", "127.0.0.1:3000"), "through the proxy");
        assert!(
            from("http://attacker.example", "attacker.example"),
            "a rebound DNS name matches its own Host"
        );
        assert!(from("http://roster.example.com", "roster.example.com"), "the scheme counts");
        assert!(!is_cross_site(&headers(&[]), public), "scripts without a browser's headers");
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn same_origin_and_scripts_pass_other_sites_do_not() {
        assert!(!is_cross_site_here(&headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!is_cross_site_here(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!is_cross_site_here(&headers(&[])));
        assert!(is_cross_site_here(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(is_cross_site_here(&headers(&[("origin", "null"), ("host", "127.0.0.1:3000")])));
        assert!(is_cross_site_here(&headers(&[("sec-fetch-site", "cross-site")])));
    }
}

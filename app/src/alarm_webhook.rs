//! The alarm webhook as the Settings page shows it: where new alarms are posted and how the last delivery went.
//! The signing secret is never part of it: it is shown once, when a URL is saved.

use serde::{Deserialize, Serialize};

/// Longer URLs are refused: no receiver needs one, and the field is stored and shown.
pub const URL_MAX_CHARS: usize = 2_000;

/// The header that carries the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
pub const SIGNATURE_HEADER: &str = "Roster-Signature";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmWebhookView {
    /// None: no webhook.
    pub url: Option<String>,
    pub last_delivery: Option<WebhookDelivery>,
}

/// One attempt to post an event: delivered (a 2xx answer) or not, and what happened, in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDelivery {
    pub at_ms: i64,
    pub delivered: bool,
    pub detail: String,
}

/// What saving answers: the new signing secret, shown this once; None when the webhook was removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedWebhook {
    pub signing_secret: Option<String>,
}

/// Why `url` cannot be a webhook's address, in words; None when it can. An empty URL removes the webhook and
/// is fine.
pub fn url_problem(url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    if url.chars().count() > URL_MAX_CHARS {
        return Some(format!("The webhook URL must be at most {URL_MAX_CHARS} characters."));
    }
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Some("The webhook URL must start with https:// (or http://).".into());
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.contains('@') {
        return Some("The webhook URL must name a host, without a user name or password.".into());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("The webhook URL cannot contain spaces or control characters.".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_webhook_url_is_an_http_address_with_a_host() {
        assert_eq!(url_problem(""), None, "empty removes the webhook");
        assert_eq!(url_problem("https://hooks.example.com/roster"), None);
        assert_eq!(url_problem("http://127.0.0.1:9000/alarms?x=1"), None);
        assert!(url_problem("ftp://example.com").unwrap().contains("https://"));
        assert!(url_problem("example.com/hook").unwrap().contains("https://"));
        assert!(url_problem("https:///path").unwrap().contains("host"));
        assert!(url_problem("https://user:pw@example.com/").unwrap().contains("password"));
        assert!(url_problem("https://example.com/a b").unwrap().contains("spaces"));
        let long = format!("https://example.com/{}", "a".repeat(URL_MAX_CHARS));
        assert!(url_problem(&long).unwrap().contains("2000"));
    }
}

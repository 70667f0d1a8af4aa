//! Registered apps, their API keys and the admin API's tokens, as the Apps page shows them, and the rules for a
//! new app's id, name and payload limit (checked in the browser to name the problem at once, and again by the
//! engine whoever asks: the page or `roster apps create`).

use serde::{Deserialize, Serialize};

/// The app Roster's own console sign-ins belong to: it has no API keys and cannot be changed here.
pub const CONSOLE_APP: &str = "console";

pub const APP_ID_RULE: &str =
    "An app id has 2 to 64 lowercase letters, digits and underscores, and starts with a letter.";
pub const MAX_PAYLOAD_LIMIT: i64 = 1024 * 1024;
pub const DEFAULT_PAYLOAD_LIMIT: i64 = 4096;
const MAX_NAME_CHARS: usize = 100;

/// Why `id` cannot be an app id (ids appear in URLs, exports and API answers), or None.
pub fn app_id_problem(id: &str) -> Option<String> {
    let valid = (2..=64).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && id.as_bytes()[0].is_ascii_lowercase();
    (!valid).then(|| APP_ID_RULE.to_string())
}

pub fn payload_limit_problem(bytes: i64) -> Option<String> {
    (!(1..=MAX_PAYLOAD_LIMIT).contains(&bytes))
        .then(|| format!("The payload limit must be from 1 to {MAX_PAYLOAD_LIMIT} bytes."))
}

/// An app's or an admin token's name: `what` says which, for the message.
pub fn name_problem(name: &str, what: &str) -> Option<String> {
    let length = name.trim().chars().count();
    (!(1..=MAX_NAME_CHARS).contains(&length))
        .then(|| format!("{what} must have 1 to {MAX_NAME_CHARS} characters."))
}

/// An API key or admin token, without its secret: what tells it apart and how it is used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialUse {
    pub id: i64,
    /// An admin token's name; API keys have none and go by their prefix.
    pub name: Option<String>,
    /// The secret's first characters (`rk_3f9a1c…`), enough to match it with the one an app holds.
    pub prefix: String,
    pub created_at_ms: i64,
    pub last_used_at_ms: Option<i64>,
    /// Requests authenticated with it in the last 24 hours (whole hours, this one included).
    pub requests_24h: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredApp {
    pub slug: String,
    pub name: String,
    pub max_payload_bytes: i64,
    pub active_sessions: i64,
    pub created_at_ms: i64,
    /// Live keys, newest first (revoked keys are in the audit log, not here).
    pub keys: Vec<CredentialUse>,
}

impl RegisteredApp {
    /// The console's own app: its sessions are console sign-ins, made without a key.
    pub fn is_console(&self) -> bool {
        self.slug == CONSOLE_APP
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppsOverview {
    pub apps: Vec<RegisteredApp>,
    pub admin_tokens: Vec<CredentialUse>,
    pub now_ms: i64,
}

/// A new API key, answered once with the app it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedKey {
    pub slug: String,
    pub key: String,
}

/// A new app as the Register app dialog sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppForm {
    pub slug: String,
    pub name: String,
    pub max_payload_bytes: i64,
}

impl AppForm {
    /// The first problem with the form, named for people, or None.
    pub fn problem(&self) -> Option<String> {
        app_id_problem(self.slug.trim())
            .or_else(|| name_problem(&self.name, "A name"))
            .or_else(|| payload_limit_problem(self.max_payload_bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_ids_are_url_safe_slugs() {
        for good in ["my_meals", "ab", "a1", &"a".repeat(64)] {
            assert_eq!(app_id_problem(good), None, "{good}");
        }
        for bad in ["My Meals", "x", "1abc", "a;drop", "_a", "a-b", "é1", &"a".repeat(65), ""] {
            assert_eq!(app_id_problem(bad).as_deref(), Some(APP_ID_RULE), "{bad}");
        }
    }

    #[test]
    fn limits_and_names_are_bounded() {
        assert!(payload_limit_problem(0).is_some());
        assert!(payload_limit_problem(MAX_PAYLOAD_LIMIT + 1).is_some());
        assert_eq!(payload_limit_problem(MAX_PAYLOAD_LIMIT), None);
        assert!(name_problem("   ", "A name").is_some());
        assert!(name_problem(&"n".repeat(101), "A name").is_some());
        let form = AppForm { slug: "shop".into(), name: "Shop".into(), max_payload_bytes: 0 };
        assert!(form.problem().unwrap().contains("payload limit"));
    }
}

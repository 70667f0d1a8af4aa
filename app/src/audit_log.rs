//! The audit log page's domain: the actions it filters by, one record as people read it, a page of them, the
//! page's view (search, action, page) kept in the URL, and the chain check's progress.

use serde::{Deserialize, Serialize};

use crate::error::ConsoleError;
use crate::session_query::{page_param, size_param, url_with, MAX_SEARCH_CHARS, PAGE_SIZES};

const MAX_PAGE: u32 = 100_000;
/// Searches are answered by a trigram index, which needs this many characters.
pub const SEARCH_MIN_CHARS: usize = 3;

/// Every action the log records, with its name in the **Action** select.
pub const ACTIONS: [(&str, &str); 34] = [
    ("sign_in", "Sign-in"),
    ("sign_in.failed", "Failed sign-in"),
    ("sign_in.locked", "Account locked"),
    ("sign_in.locked_out", "Sign-ins refused while locked"),
    ("sign_in.disabled", "Sign-in of a disabled user"),
    ("sign_in.throttled", "Sign-ins throttled"),
    ("session.signed_out", "Sign-out"),
    ("session.created", "Session created"),
    ("session.revoked", "Session revoked"),
    ("session.expired", "Session expired"),
    ("sessions.revoked_all", "All sessions revoked"),
    ("session.payload_revealed", "Payload revealed"),
    ("session.payload_replaced", "Payload replaced"),
    ("session.ttl_updated", "Payload TTL updated"),
    ("sessions.exported", "Sessions exported"),
    ("user.created", "User added"),
    ("user.disabled", "User disabled"),
    ("user.enabled", "User enabled"),
    ("user.role_changed", "Role changed"),
    ("settings.changed", "Settings changed"),
    ("access.refused", "Access refused"),
    ("alarm.raised", "Alarm raised"),
    ("alarm.acknowledged", "Alarm acknowledged"),
    ("alarm_webhook.changed", "Alarm webhook changed"),
    ("alarm_webhook.removed", "Alarm webhook removed"),
    ("app.created", "App registered"),
    ("app.changed", "App changed"),
    ("app_key.created", "API key created"),
    ("app_key.revoked", "API key revoked"),
    ("admin_token.created", "Admin token created"),
    ("admin_token.revoked", "Admin token revoked"),
    ("payload_key.stored", "Payload keys stored"),
    ("payload_key.rotated", "Payload key rotated"),
    ("demo.seeded", "Demo data seeded"),
];

/// The select's name for an action code; the code itself for one this list does not know.
pub fn action_label(code: &str) -> &str {
    ACTIONS.iter().find(|(known, _)| *known == code).map_or(code, |(_, label)| label)
}

/// One record as the page shows it: the actor and target by the names people know (an email rather than
/// `user:12`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub reason: Option<String>,
    pub ip: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLogPage {
    pub query: AuditLogQuery,
    pub rows: Vec<AuditEntry>,
    /// Records matching the view; a lower bound when `total_is_exact` is false.
    pub total: i64,
    pub total_is_exact: bool,
    pub now_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AuditLogQuery {
    pub q: String,
    /// An action code from `ACTIONS`; None for every action.
    pub action: Option<String>,
    /// 1-based.
    pub page: u32,
    pub size: u32,
}

impl Default for AuditLogQuery {
    fn default() -> Self {
        AuditLogQuery { q: String::new(), action: None, page: 1, size: 50 }
    }
}

impl AuditLogQuery {
    /// Reads the URL's parameters; anything missing or not understood takes its default.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> AuditLogQuery {
        let defaults = AuditLogQuery::default();
        AuditLogQuery {
            q: get("q").map(|q| q.chars().take(MAX_SEARCH_CHARS).collect()).unwrap_or_default(),
            action: get("action").filter(|code| ACTIONS.iter().any(|(known, _)| known == code)),
            page: page_param(get("page"), MAX_PAGE),
            size: size_param(get("size"), defaults.size),
        }
    }

    /// `/audit?…` with only what differs from the defaults.
    pub fn to_url(&self) -> String {
        let defaults = AuditLogQuery::default();
        let mut params: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            params.push(("q", self.q.clone()));
        }
        if let Some(action) = &self.action {
            params.push(("action", action.clone()));
        }
        if self.page != 1 {
            params.push(("page", self.page.to_string()));
        }
        if self.size != defaults.size {
            params.push(("size", self.size.to_string()));
        }
        url_with("/audit", &params)
    }

    /// The search the server runs: trimmed and lowercased, None when shorter than the index can answer.
    pub fn search(&self) -> Option<String> {
        let term = self.q.trim().to_lowercase();
        (term.chars().count() >= SEARCH_MIN_CHARS).then_some(term)
    }

    /// The server's check of a query sent by any client.
    pub fn check(&self) -> Result<(), ConsoleError> {
        if self.q.chars().count() > MAX_SEARCH_CHARS {
            return Err(ConsoleError::invalid(format!(
                "Search text can have at most {MAX_SEARCH_CHARS} characters."
            )));
        }
        if let Some(action) = &self.action {
            if !ACTIONS.iter().any(|(known, _)| known == action) {
                return Err(ConsoleError::invalid("Choose an action from the list."));
            }
        }
        if !(1..=MAX_PAGE).contains(&self.page) {
            return Err(ConsoleError::invalid(format!("The page must be from 1 to {MAX_PAGE}.")));
        }
        if !PAGE_SIZES.contains(&self.size) {
            return Err(ConsoleError::invalid("Show 25, 50 or 100 records per page."));
        }
        Ok(())
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.size)
    }
}

/// Where a check of the whole chain stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChainCheck {
    /// No check has run since the server started.
    NotRun,
    Running {
        checked: i64,
        total: i64,
    },
    Verified {
        records: i64,
        checkpoints: i64,
    },
    /// The first record that is wrong, and what is wrong with it.
    Broken {
        seq: i64,
        problem: String,
    },
}

impl ChainCheck {
    /// What the page says.
    pub fn message(&self) -> Option<String> {
        match self {
            ChainCheck::NotRun => None,
            ChainCheck::Running { checked, total } => Some(format!(
                "Checking the chain: {} of {} records…",
                crate::format::thousands(*checked),
                crate::format::thousands(*total)
            )),
            ChainCheck::Verified { records, .. } => {
                Some(format!("Chain verified: {} records", crate::format::thousands(*records)))
            }
            ChainCheck::Broken { seq, problem } => Some(format!("Chain broken at record {seq}: {problem}")),
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(self, ChainCheck::Running { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> AuditLogQuery {
        AuditLogQuery::from_params(|name| {
            pairs.iter().find(|(key, _)| *key == name).map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn the_url_keeps_only_what_differs_and_reads_back() {
        assert_eq!(AuditLogQuery::default().to_url(), "/audit");
        let query = AuditLogQuery {
            q: "ada".into(),
            action: Some("sign_in.failed".into()),
            page: 3,
            ..Default::default()
        };
        assert_eq!(query.to_url(), "/audit?q=ada&action=sign_in.failed&page=3");
        assert_eq!(parse(&[("q", "ada"), ("action", "sign_in.failed"), ("page", "3")]), query);
    }

    #[test]
    fn unknown_actions_and_bad_pages_are_refused() {
        assert_eq!(parse(&[("action", "drop_table"), ("page", "0")]), AuditLogQuery::default());
        assert!(AuditLogQuery { action: Some("drop_table".into()), ..Default::default() }.check().is_err());
        assert!(AuditLogQuery { size: 7, ..Default::default() }.check().is_err());
        assert!(AuditLogQuery::default().check().is_ok());
    }

    #[test]
    fn short_searches_are_not_run() {
        assert_eq!(AuditLogQuery { q: " ad ".into(), ..Default::default() }.search(), None);
        assert_eq!(
            AuditLogQuery { q: " ADA ".into(), ..Default::default() }.search().as_deref(),
            Some("ada")
        );
    }

    #[test]
    fn the_chain_check_says_how_far_it_got() {
        let verified = ChainCheck::Verified { records: 1234, checkpoints: 2 };
        assert_eq!(verified.message().as_deref(), Some("Chain verified: 1,234 records"));
        let broken = ChainCheck::Broken { seq: 7, problem: "its contents do not match its hash".into() };
        assert_eq!(
            broken.message().as_deref(),
            Some("Chain broken at record 7: its contents do not match its hash")
        );
        assert!(ChainCheck::Running { checked: 1, total: 2 }.is_running());
    }
}

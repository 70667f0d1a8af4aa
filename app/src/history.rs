//! Session history's domain: how a session ended as History groups it, one ended session as the page shows it,
//! and the page's view (search, how it ended, order, page), kept in the URL and checked by the server.

use serde::{Deserialize, Serialize};

use crate::error::ConsoleError;
use crate::model::SessionUser;
use crate::session_query::{page_param, size_param, url_with, Direction, MAX_SEARCH_CHARS, PAGE_SIZES};

const MAX_PAGE: u32 = 100_000;

/// How a session ended, as History's **Ended how** names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndedHow {
    /// Ended before its time by someone other than its holder: an admin, an admin token, the shell, or the
    /// system making room under the sessions-per-user limit.
    Terminated,
    /// Its holder signed out, through the app or from My sessions.
    SignedOut,
    /// The idle timeout, the lifetime or the payload TTL ran out.
    Expired,
}

impl EndedHow {
    pub const ALL: [EndedHow; 3] = [EndedHow::Terminated, EndedHow::SignedOut, EndedHow::Expired];

    /// The code the database and the URL use.
    pub fn as_str(self) -> &'static str {
        match self {
            EndedHow::Terminated => "terminated",
            EndedHow::SignedOut => "signed_out",
            EndedHow::Expired => "expired",
        }
    }

    pub fn parse(text: &str) -> Option<EndedHow> {
        EndedHow::ALL.into_iter().find(|how| how.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            EndedHow::Terminated => "Terminated",
            EndedHow::SignedOut => "Signed out",
            EndedHow::Expired => "Expired",
        }
    }
}

/// One ended session.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EndedSession {
    pub id: String,
    /// None for a guest.
    pub user: Option<SessionUser>,
    pub app_name: String,
    /// "Chrome 120 on Windows 10"; None when the user agent told nothing.
    pub device: Option<String>,
    pub ip: Option<String>,
    pub how: EndedHow,
    /// Which limit ran out, for an expiry ("idle timeout"); None otherwise.
    pub expired_by: Option<String>,
    pub ended_at_ms: i64,
    /// The admin's email, `the user`, `system` or `admin token <name>`.
    pub ended_by: String,
    pub reason: Option<String>,
}

impl EndedSession {
    /// "Expired (idle timeout)", "Terminated".
    pub fn how_label(&self) -> String {
        match &self.expired_by {
            Some(limit) => format!("{} ({limit})", self.how.label()),
            None => self.how.label().to_string(),
        }
    }
}

/// One page of History and what the page around it shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub query: HistoryQuery,
    pub rows: Vec<EndedSession>,
    /// Ended sessions matching the view; a lower bound when `total_is_exact` is false (a search matching very
    /// many).
    pub total: i64,
    pub total_is_exact: bool,
    pub now_ms: i64,
}

/// What History shows: newest end first unless `dir` is ascending.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HistoryQuery {
    pub q: String,
    /// None: every way of ending.
    pub how: Option<EndedHow>,
    pub dir: Direction,
    /// 1-based.
    pub page: u32,
    pub size: u32,
}

impl Default for HistoryQuery {
    fn default() -> Self {
        HistoryQuery { q: String::new(), how: None, dir: Direction::Desc, page: 1, size: 50 }
    }
}

impl HistoryQuery {
    /// Reads the URL's parameters; anything missing or not understood takes its default.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> HistoryQuery {
        let defaults = HistoryQuery::default();
        HistoryQuery {
            q: get("q").map(|q| q.chars().take(MAX_SEARCH_CHARS).collect()).unwrap_or_default(),
            how: get("how").as_deref().and_then(EndedHow::parse),
            dir: if get("dir").as_deref() == Some("asc") { Direction::Asc } else { Direction::Desc },
            page: page_param(get("page"), MAX_PAGE),
            size: size_param(get("size"), defaults.size),
        }
    }

    /// `/sessions/history?…` with only what differs from the defaults.
    pub fn to_url(&self) -> String {
        let defaults = HistoryQuery::default();
        let mut params: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            params.push(("q", self.q.clone()));
        }
        if let Some(how) = self.how {
            params.push(("how", how.as_str().into()));
        }
        if self.dir != defaults.dir {
            params.push(("dir", self.dir.as_str().into()));
        }
        if self.page != 1 {
            params.push(("page", self.page.to_string()));
        }
        if self.size != defaults.size {
            params.push(("size", self.size.to_string()));
        }
        url_with("/sessions/history", &params)
    }

    /// The server's check of a query sent by any client.
    pub fn check(&self) -> Result<(), ConsoleError> {
        if self.q.chars().count() > MAX_SEARCH_CHARS {
            return Err(ConsoleError::invalid(format!(
                "Search text can have at most {MAX_SEARCH_CHARS} characters."
            )));
        }
        if !(1..=MAX_PAGE).contains(&self.page) {
            return Err(ConsoleError::invalid(format!("The page must be from 1 to {MAX_PAGE}.")));
        }
        if !PAGE_SIZES.contains(&self.size) {
            return Err(ConsoleError::invalid("Show 25, 50 or 100 sessions per page."));
        }
        Ok(())
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> HistoryQuery {
        HistoryQuery::from_params(|name| {
            pairs.iter().find(|(key, _)| *key == name).map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn the_url_keeps_only_what_differs_and_reads_back() {
        assert_eq!(HistoryQuery::default().to_url(), "/sessions/history");
        let query = HistoryQuery {
            q: "ann".into(),
            how: Some(EndedHow::SignedOut),
            dir: Direction::Asc,
            page: 2,
            ..HistoryQuery::default()
        };
        assert_eq!(query.to_url(), "/sessions/history?q=ann&how=signed_out&dir=asc&page=2");
        assert_eq!(parse(&[("q", "ann"), ("how", "signed_out"), ("dir", "asc"), ("page", "2")]), query);
    }

    #[test]
    fn nonsense_takes_defaults_in_the_url_and_is_refused_by_the_server() {
        assert_eq!(
            parse(&[("how", "deleted"), ("page", "-1"), ("size", "9"), ("dir", "up")]),
            HistoryQuery::default()
        );
        assert!(HistoryQuery { page: 0, ..HistoryQuery::default() }.check().is_err());
        assert!(HistoryQuery { size: 1000, ..HistoryQuery::default() }.check().is_err());
        assert!(HistoryQuery { q: "é".repeat(201), ..HistoryQuery::default() }.check().is_err());
        assert!(HistoryQuery::default().check().is_ok());
    }

    #[test]
    fn an_expiry_says_which_limit_ran_out() {
        let mut ended = EndedSession {
            id: "a".into(),
            user: None,
            app_name: "Shop".into(),
            device: None,
            ip: None,
            how: EndedHow::Expired,
            expired_by: Some("idle timeout".into()),
            ended_at_ms: 0,
            ended_by: "system".into(),
            reason: None,
        };
        assert_eq!(ended.how_label(), "Expired (idle timeout)");
        ended.how = EndedHow::Terminated;
        ended.expired_by = None;
        assert_eq!(ended.how_label(), "Terminated");
    }
}

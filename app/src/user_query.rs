//! What the Users page shows: search, sort and page, kept in the URL like the Sessions page's view, and checked
//! by the server whoever sends it.

use serde::{Deserialize, Serialize};

use crate::error::ConsoleError;
use crate::session_query::{page_param, size_param, url_with, Direction, MAX_SEARCH_CHARS, PAGE_SIZES};

const MAX_PAGE: u32 = 100_000;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserSortKey {
    #[default]
    Email,
    Name,
    Role,
    Status,
    ActiveSessions,
    LastActive,
    TotalSessions,
}

impl UserSortKey {
    pub const ALL: [UserSortKey; 7] = [
        UserSortKey::Email,
        UserSortKey::Name,
        UserSortKey::Role,
        UserSortKey::Status,
        UserSortKey::ActiveSessions,
        UserSortKey::LastActive,
        UserSortKey::TotalSessions,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UserSortKey::Email => "email",
            UserSortKey::Name => "name",
            UserSortKey::Role => "role",
            UserSortKey::Status => "status",
            UserSortKey::ActiveSessions => "active_sessions",
            UserSortKey::LastActive => "last_active",
            UserSortKey::TotalSessions => "total_sessions",
        }
    }

    pub fn parse(text: &str) -> Option<UserSortKey> {
        UserSortKey::ALL.into_iter().find(|key| key.as_str() == text)
    }

    /// Names read A to Z when first sorted; counts and times largest and newest first.
    pub fn first_direction(self) -> Direction {
        match self {
            UserSortKey::Email | UserSortKey::Name | UserSortKey::Role | UserSortKey::Status => {
                Direction::Asc
            }
            UserSortKey::ActiveSessions | UserSortKey::LastActive | UserSortKey::TotalSessions => {
                Direction::Desc
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UserQuery {
    pub q: String,
    pub sort: UserSortKey,
    pub dir: Direction,
    /// 1-based.
    pub page: u32,
    pub size: u32,
}

impl Default for UserQuery {
    fn default() -> Self {
        UserQuery { q: String::new(), sort: UserSortKey::Email, dir: Direction::Asc, page: 1, size: 50 }
    }
}

impl UserQuery {
    /// Reads the URL's parameters; anything missing or not understood takes its default.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> UserQuery {
        let defaults = UserQuery::default();
        let sort = get("sort").as_deref().and_then(UserSortKey::parse).unwrap_or(defaults.sort);
        UserQuery {
            q: get("q").map(|q| q.chars().take(MAX_SEARCH_CHARS).collect()).unwrap_or_default(),
            sort,
            dir: match get("dir").as_deref() {
                Some("asc") => Direction::Asc,
                Some("desc") => Direction::Desc,
                _ => sort.first_direction(),
            },
            page: page_param(get("page"), MAX_PAGE),
            size: size_param(get("size"), defaults.size),
        }
    }

    /// `/users?…` with only what differs from the defaults.
    pub fn to_url(&self) -> String {
        let defaults = UserQuery::default();
        let mut params: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            params.push(("q", self.q.clone()));
        }
        if self.sort != defaults.sort || self.dir != self.sort.first_direction() {
            params.push(("sort", self.sort.as_str().into()));
            params.push(("dir", self.dir.as_str().into()));
        }
        if self.page != 1 {
            params.push(("page", self.page.to_string()));
        }
        if self.size != defaults.size {
            params.push(("size", self.size.to_string()));
        }
        url_with("/users", &params)
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
            return Err(ConsoleError::invalid("Show 25, 50 or 100 users per page."));
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

    fn parse(pairs: &[(&str, &str)]) -> UserQuery {
        UserQuery::from_params(|name| pairs.iter().find(|(key, _)| *key == name).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn the_url_keeps_only_what_differs_and_reads_back() {
        assert_eq!(UserQuery::default().to_url(), "/users");
        let query =
            UserQuery { q: "ann".into(), sort: UserSortKey::LastActive, page: 2, ..UserQuery::default() };
        assert_eq!(query.to_url(), "/users?q=ann&sort=last_active&dir=asc&page=2");
        assert_eq!(parse(&[("q", "ann"), ("sort", "last_active"), ("dir", "asc"), ("page", "2")]), query);
        assert_eq!(parse(&[("sort", "active_sessions")]).dir, Direction::Desc, "counts start largest first");
    }

    #[test]
    fn nonsense_takes_defaults_in_the_url_and_is_refused_by_the_server() {
        assert_eq!(parse(&[("sort", "password_hash"), ("page", "-1"), ("size", "9")]), UserQuery::default());
        assert!(UserQuery { page: 0, ..UserQuery::default() }.check().is_err());
        assert!(UserQuery { size: 1000, ..UserQuery::default() }.check().is_err());
        assert!(UserQuery { q: "é".repeat(201), ..UserQuery::default() }.check().is_err());
        assert!(UserQuery::default().check().is_ok());
    }
}

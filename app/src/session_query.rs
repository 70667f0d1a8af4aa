//! What the Sessions page shows: search, filters, sort and page. It lives in the URL, so a reload or a shared
//! link shows the same view and the server renders it; the server function receives it as is and checks it.

use serde::{Deserialize, Serialize};

use crate::error::ConsoleError;

pub const PAGE_SIZES: [u32; 3] = [25, 50, 100];
pub const MAX_SEARCH_CHARS: usize = 200;
const MAX_APP_CHARS: usize = 64;
const MAX_PAGE: u32 = 1_000_000;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    #[default]
    All,
    Active,
    Expired,
    Revoked,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 4] =
        [StatusFilter::All, StatusFilter::Active, StatusFilter::Expired, StatusFilter::Revoked];

    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Active => "active",
            StatusFilter::Expired => "expired",
            StatusFilter::Revoked => "revoked",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::All => "All",
            StatusFilter::Active => "Active",
            StatusFilter::Expired => "Expired",
            StatusFilter::Revoked => "Revoked",
        }
    }

    fn parse(text: &str) -> Option<StatusFilter> {
        StatusFilter::ALL.into_iter().find(|status| status.as_str() == text)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    User,
    App,
    #[default]
    Created,
    Expires,
    Status,
    LastActive,
}

impl SortKey {
    pub const ALL: [SortKey; 6] = [
        SortKey::User,
        SortKey::App,
        SortKey::Created,
        SortKey::Expires,
        SortKey::Status,
        SortKey::LastActive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::User => "user",
            SortKey::App => "app",
            SortKey::Created => "created",
            SortKey::Expires => "expires",
            SortKey::Status => "status",
            SortKey::LastActive => "last_active",
        }
    }

    fn parse(text: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|key| key.as_str() == text)
    }

    /// Times read newest first when first sorted; names and states A to Z.
    pub fn first_direction(self) -> Direction {
        match self {
            SortKey::User | SortKey::App | SortKey::Status => Direction::Asc,
            SortKey::Created | SortKey::Expires | SortKey::LastActive => Direction::Desc,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Asc,
    #[default]
    Desc,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Asc => "asc",
            Direction::Desc => "desc",
        }
    }

    pub fn aria_sort(self) -> &'static str {
        match self {
            Direction::Asc => "ascending",
            Direction::Desc => "descending",
        }
    }

    pub fn flipped(self) -> Direction {
        match self {
            Direction::Asc => Direction::Desc,
            Direction::Desc => Direction::Asc,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SessionQuery {
    pub q: String,
    pub status: StatusFilter,
    /// An app's id (slug); empty for every app.
    pub app: String,
    pub sort: SortKey,
    pub dir: Direction,
    /// 1-based.
    pub page: u32,
    pub size: u32,
}

impl Default for SessionQuery {
    fn default() -> Self {
        SessionQuery {
            q: String::new(),
            status: StatusFilter::All,
            app: String::new(),
            sort: SortKey::default(),
            dir: Direction::default(),
            page: 1,
            size: 50,
        }
    }
}

impl SessionQuery {
    /// Reads the URL's parameters; anything missing or not understood takes its default, so a hand-edited
    /// link still opens the page.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> SessionQuery {
        let defaults = SessionQuery::default();
        let sort = get("sort").as_deref().and_then(SortKey::parse).unwrap_or(defaults.sort);
        SessionQuery {
            q: get("q").map(|q| q.chars().take(MAX_SEARCH_CHARS).collect()).unwrap_or_default(),
            status: get("status").as_deref().and_then(StatusFilter::parse).unwrap_or_default(),
            app: get("app").filter(|app| app.len() <= MAX_APP_CHARS).unwrap_or_default(),
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

    /// `/sessions?…` with only what differs from the defaults.
    pub fn to_url(&self) -> String {
        let defaults = SessionQuery::default();
        let mut params: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            params.push(("q", self.q.clone()));
        }
        if self.status != defaults.status {
            params.push(("status", self.status.as_str().into()));
        }
        if !self.app.is_empty() {
            params.push(("app", self.app.clone()));
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
        url_with("/sessions", &params)
    }

    /// The server's check of a query sent by any client, not only by this page.
    pub fn check(&self) -> Result<(), ConsoleError> {
        if self.q.chars().count() > MAX_SEARCH_CHARS {
            return Err(ConsoleError::invalid(format!(
                "Search text can have at most {MAX_SEARCH_CHARS} characters."
            )));
        }
        if self.app.len() > MAX_APP_CHARS {
            return Err(ConsoleError::invalid("That app id is too long."));
        }
        if !(1..=MAX_PAGE).contains(&self.page) {
            return Err(ConsoleError::invalid(format!("The page must be from 1 to {MAX_PAGE}.")));
        }
        if !PAGE_SIZES.contains(&self.size) {
            return Err(ConsoleError::invalid("Show 25, 50 or 100 sessions per page."));
        }
        Ok(())
    }

    /// The same view from its first page: a new search or filter starts over.
    pub fn first_page(mut self) -> SessionQuery {
        self.page = 1;
        self
    }
}

/// A URL's `page`: 1 to `max`, else 1.
pub(crate) fn page_param(text: Option<String>, max: u32) -> u32 {
    text.and_then(|page| page.parse().ok()).filter(|page| (1..=max).contains(page)).unwrap_or(1)
}

/// A URL's `size`: one of `PAGE_SIZES`, else `default`.
pub(crate) fn size_param(text: Option<String>, default: u32) -> u32 {
    text.and_then(|size| size.parse().ok()).filter(|size| PAGE_SIZES.contains(size)).unwrap_or(default)
}

/// `path?name=value&…`, each value encoded; the bare path without parameters.
pub(crate) fn url_with(path: &str, params: &[(&str, String)]) -> String {
    let mut url = path.to_string();
    for (index, (name, value)) in params.iter().enumerate() {
        url.push(if index == 0 { '?' } else { '&' });
        url.push_str(name);
        url.push('=');
        url.push_str(&encode_component(value));
    }
    url
}

fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url_params: &[(&str, &str)]) -> SessionQuery {
        SessionQuery::from_params(|name| {
            url_params.iter().find(|(key, _)| *key == name).map(|(_, value)| value.to_string())
        })
    }

    #[test]
    fn a_query_survives_its_url() {
        let query = SessionQuery {
            q: "ann & co/é".into(),
            status: StatusFilter::Revoked,
            app: "my_meals".into(),
            sort: SortKey::User,
            dir: Direction::Desc,
            page: 3,
            size: 100,
        };
        let url = query.to_url();
        let params: Vec<(String, String)> = url
            .trim_start_matches("/sessions?")
            .split('&')
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap();
                (name.to_string(), percent_decode(value))
            })
            .collect();
        let pairs: Vec<(&str, &str)> = params.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        assert_eq!(parse(&pairs), query);
        assert_eq!(SessionQuery::default().to_url(), "/sessions");
    }

    fn percent_decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn unknown_or_out_of_range_parameters_take_defaults_in_the_url_but_are_refused_by_the_server() {
        let query = parse(&[("sort", "password"), ("page", "-2"), ("size", "7"), ("status", "x")]);
        assert_eq!(query, SessionQuery::default());
        let bad = SessionQuery { size: 7, ..SessionQuery::default() };
        assert!(matches!(bad.check(), Err(ConsoleError::InvalidInput(_))));
        let bad = SessionQuery { page: 0, ..SessionQuery::default() };
        assert!(bad.check().is_err());
        let bad = SessionQuery { q: "x".repeat(201), ..SessionQuery::default() };
        assert!(bad.check().is_err());
        assert!(SessionQuery::default().check().is_ok());
    }
}

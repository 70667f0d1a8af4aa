//! Analytics as the page shows it: active sessions over time with their peak, and where, on what and in which
//! apps sessions are active now, with how full their payloads are against each app's limit. The filters live
//! in the URL (`/analytics?app=my_meals&range=30d`).

use serde::{Deserialize, Serialize};

/// How far back Active sessions over time looks: hourly points for a day or a week, daily for 30 days.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Range {
    Day,
    #[default]
    Week,
    Month,
}

impl Range {
    pub const ALL: [Range; 3] = [Range::Day, Range::Week, Range::Month];

    pub fn as_str(self) -> &'static str {
        match self {
            Range::Day => "24h",
            Range::Week => "7d",
            Range::Month => "30d",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Range::Day => "24 hours",
            Range::Week => "7 days",
            Range::Month => "30 days",
        }
    }

    pub fn parse(text: &str) -> Option<Range> {
        Range::ALL.into_iter().find(|range| range.as_str() == text)
    }

    /// Whole hours covered, this one included.
    pub fn hours(self) -> i64 {
        match self {
            Range::Day => 24,
            Range::Week => 24 * 7,
            Range::Month => 24 * 30,
        }
    }

    /// Points are hours, except over 30 days, where they are days.
    pub fn hourly(self) -> bool {
        self != Range::Month
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AnalyticsQuery {
    /// An app's id; None for every app.
    pub app: Option<String>,
    pub range: Range,
}

impl AnalyticsQuery {
    /// Unknown values fall back to the defaults: a link never breaks the page.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> AnalyticsQuery {
        AnalyticsQuery {
            app: get("app").filter(|app| crate::apps::app_id_problem(app).is_none()),
            range: get("range").as_deref().and_then(Range::parse).unwrap_or_default(),
        }
    }

    pub fn to_url(&self) -> String {
        let mut url = format!("/analytics?range={}", self.range.as_str());
        if let Some(app) = &self.app {
            url.push_str(&format!("&app={app}"));
        }
        url
    }
}

/// One point of Active sessions over time: the most active sessions seen in that hour (or day); None where
/// Roster has no record (it was not running).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimePoint {
    pub at_ms: i64,
    pub active: Option<i64>,
}

/// A labelled count: an app, a country, a browser and system.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slice {
    pub label: String,
    pub sessions: i64,
}

/// Payload bands, as shares of the app's limit; the last is for payloads stored before the limit was lowered.
pub const PAYLOAD_BANDS: [(&str, &str); 6] = [
    ("0-25", "0–25 %"),
    ("25-50", "25–50 %"),
    ("50-75", "50–75 %"),
    ("75-90", "75–90 %"),
    ("90-100", "90–100 %"),
    ("over", "Over the limit"),
];

/// One app's active sessions by payload band (in the order of `PAYLOAD_BANDS`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadFill {
    pub app: String,
    pub limit_bytes: i64,
    pub bands: [i64; 6],
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peak {
    pub active: i64,
    pub at_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analytics {
    pub query: AnalyticsQuery,
    /// Every app's id and name, for the App filter.
    pub apps: Vec<(String, String)>,
    pub over_time: Vec<TimePoint>,
    pub peak: Option<Peak>,
    pub by_app: Vec<Slice>,
    /// The ten countries with most active sessions, then "Other countries".
    pub by_country: Vec<Slice>,
    /// The ten browser and system pairs with most active sessions, then "Other".
    pub by_client: Vec<Slice>,
    pub payload_fill: Vec<PayloadFill>,
    pub now_ms: i64,
}

/// The `limit` largest slices, largest first (ties by label), and the rest summed as `other`.
pub fn top(mut slices: Vec<Slice>, limit: usize, other: &str) -> Vec<Slice> {
    slices.retain(|slice| slice.sessions > 0);
    slices.sort_by(|a, b| b.sessions.cmp(&a.sessions).then_with(|| a.label.cmp(&b.label)));
    if slices.len() > limit {
        let rest: i64 = slices[limit..].iter().map(|slice| slice.sessions).sum();
        slices.truncate(limit);
        slices.push(Slice { label: other.to_string(), sessions: rest });
    }
    slices
}

/// A chart's table as CSV (RFC 4180: fields with commas, quotes or line breaks are quoted).
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let field = |text: &str| {
        if text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_string()
        }
    };
    let mut out = header.iter().map(|name| field(name)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&row.iter().map(|cell| field(cell)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_ten_and_the_rest() {
        let slices = (1..=12).map(|n| Slice { label: format!("c{n:02}"), sessions: n }).collect();
        let top = top(slices, 10, "Other countries");
        assert_eq!(top.len(), 11);
        assert_eq!((top[0].label.as_str(), top[0].sessions), ("c12", 12));
        assert_eq!((top[10].label.as_str(), top[10].sessions), ("Other countries", 1 + 2));
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let rows =
            vec![vec!["Chrome on Windows".to_string(), "3".to_string()], vec!["a,\"b\"".into(), "1".into()]];
        assert_eq!(
            csv(&["Browser", "Sessions"], &rows),
            "Browser,Sessions\r\nChrome on Windows,3\r\n\"a,\"\"b\"\"\",1\r\n"
        );
    }

    #[test]
    fn queries_round_trip_and_bad_values_fall_back() {
        let query = AnalyticsQuery { app: Some("my_meals".into()), range: Range::Month };
        let url = query.to_url();
        let params: std::collections::HashMap<_, _> =
            url.split_once('?').unwrap().1.split('&').filter_map(|pair| pair.split_once('=')).collect();
        assert_eq!(AnalyticsQuery::from_params(|name| params.get(name).map(|v| v.to_string())), query);
        let bad =
            AnalyticsQuery::from_params(|name| Some(if name == "app" { "x;drop" } else { "1y" }.into()));
        assert_eq!(bad, AnalyticsQuery::default());
    }
}

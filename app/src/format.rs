//! Times as the console prints them. Pure functions of their input, so the server and the browser render the
//! same text and hydration never disagrees.

use time::macros::format_description;
use time::OffsetDateTime;

/// `2026-11-22 10:31 UTC`, or "-" for no time (a durable session never expires).
pub fn utc_minutes(ms: Option<i64>) -> String {
    let Some(ms) = ms else {
        return "-".into();
    };
    let format = format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|time| time.format(&format).ok())
        .unwrap_or_else(|| "-".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_minutes_in_utc_and_dash_for_none() {
        assert_eq!(utc_minutes(Some(0)), "1970-01-01 00:00 UTC");
        assert_eq!(utc_minutes(Some(1_700_000_000_000)), "2023-11-14 22:13 UTC");
        assert_eq!(utc_minutes(None), "-");
    }
}

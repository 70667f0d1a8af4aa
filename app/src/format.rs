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

/// `2026-11-22T10:31`: what a `datetime-local` input holds, here always in UTC.
pub fn utc_input(ms: i64) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|time| time.format(&format).ok())
        .unwrap_or_default()
}

/// "Active now", "5 minutes ago", "2 hours ago", "3 days ago": how long since `at_ms`, as of `now_ms`.
pub fn time_ago(now_ms: i64, at_ms: i64) -> String {
    let minutes = (now_ms - at_ms).max(0) / 60_000;
    let plural =
        |n: i64, unit: &str| if n == 1 { format!("1 {unit} ago") } else { format!("{n} {unit}s ago") };
    match minutes {
        0..=1 => "Active now".into(),
        2..=59 => plural(minutes, "minute"),
        60..=2879 => plural(minutes / 60, "hour"),
        _ => plural(minutes / 1440, "day"),
    }
}

/// `5d6be86d…7f6683ab`: a session id short enough for a table, long enough to tell two apart.
pub fn short_id(id: &str) -> String {
    if id.len() <= 16 || !id.is_ascii() {
        return id.to_string();
    }
    format!("{}…{}", &id[..8], &id[id.len() - 8..])
}

/// An address with its host part hidden: `203.0.•••.•••`, `2a01:db8:••••`.
pub fn mask_ip(ip: &str) -> String {
    if ip.contains(':') {
        let head: Vec<&str> = ip.split(':').take(2).collect();
        format!("{}:••••", head.join(":"))
    } else {
        let head: Vec<&str> = ip.split('.').take(2).collect();
        format!("{}.•••.•••", head.join("."))
    }
}

/// `1,000,000`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
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

    #[test]
    fn time_ago_reads_like_a_person_would_say_it() {
        let now = 1_000_000_000;
        assert_eq!(time_ago(now, now - 30_000), "Active now");
        assert_eq!(time_ago(now, now - 5 * 60_000), "5 minutes ago");
        assert_eq!(time_ago(now, now - 60 * 60_000), "1 hour ago");
        assert_eq!(time_ago(now, now - 2 * 60 * 60_000), "2 hours ago");
        assert_eq!(time_ago(now, now - 3 * 24 * 60 * 60_000), "3 days ago");
    }

    #[test]
    fn ids_ips_and_numbers_are_shortened_for_the_table() {
        assert_eq!(short_id("5d6be86d0123456789abcdef7f6683ab"), "5d6be86d…7f6683ab");
        assert_eq!(mask_ip("203.0.113.7"), "203.0.•••.•••");
        assert_eq!(mask_ip("2a01:db8:1:2::7"), "2a01:db8:••••");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
    }
}

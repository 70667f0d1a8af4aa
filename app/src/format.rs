//! Times as the console prints them. Pure functions of their input, so the server and the browser render the
//! same text and hydration never disagrees.

/// Year, month, day, hour and minute of a Unix time in milliseconds, in UTC. Written out (Howard Hinnant's
/// days-to-civil algorithm) rather than taken from the `time` crate, which the server uses: in the browser's
/// WASM its formatting machinery cost 5 KB brotli (340,496 → 335,369 bytes, release build).
fn utc_fields(ms: i64) -> (i64, u32, u32, u32, u32) {
    let minutes = ms.div_euclid(60_000);
    let (days, minute_of_day) = (minutes.div_euclid(1_440), minutes.rem_euclid(1_440));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day, (minute_of_day / 60) as u32, (minute_of_day % 60) as u32)
}

/// `2026-11-22 10:31 UTC`, or "-" for no time (a durable session never expires).
pub fn utc_minutes(ms: Option<i64>) -> String {
    match ms {
        Some(ms) => format!("{} UTC", wall_minutes(ms, 0)),
        None => "-".into(),
    }
}

/// `2026-11-22 11:31`: the wall-clock time at `ms` where the clock is `offset_minutes` ahead of UTC.
pub fn wall_minutes(ms: i64, offset_minutes: i64) -> String {
    let (year, month, day, hour, minute) = utc_fields(ms + offset_minutes * 60_000);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}")
}

/// `3 Dec 14:00` (with `hour`) or `3 Dec`: a chart axis's label, on the wall clock `offset_minutes` ahead of UTC.
pub fn axis_moment(ms: i64, offset_minutes: i64, hour: bool) -> String {
    let (_, month, day, hours, _) = utc_fields(ms + offset_minutes * 60_000);
    let month = MONTHS[month as usize - 1];
    if hour {
        format!("{day} {month} {hours:02}:00")
    } else {
        format!("{day} {month}")
    }
}

/// `2026-11-22T11:31`: what a `datetime-local` input holds, in the zone `offset_minutes` ahead of UTC.
pub fn wall_input(ms: i64, offset_minutes: i64) -> String {
    let (year, month, day, hour, minute) = utc_fields(ms + offset_minutes * 60_000);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}")
}

/// `2026-11-22T10:31`: a `datetime-local` value in UTC.
pub fn utc_input(ms: i64) -> String {
    wall_input(ms, 0)
}

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A time for a table cell, short enough not to wrap: within a day of `now_ms` relative ("just now",
/// "5 minutes ago", "in 3 hours"), otherwise the date and time on the wall clock `offset_minutes` ahead of UTC
/// ("2 Dec 17:58"), with the year instead of the time when it is not this year's ("2 Dec 2025").
pub fn compact_moment(now_ms: i64, at_ms: i64, offset_minutes: i64) -> String {
    let minutes = (at_ms - now_ms) / 60_000;
    let span = match minutes.abs() {
        0 => return "just now".into(),
        n @ 1..=59 => count_of(n, "minute"),
        n @ 60..=1439 => count_of(n / 60, "hour"),
        _ => {
            let (year, month, day, hour, minute) = utc_fields(at_ms + offset_minutes * 60_000);
            let month = MONTHS[month as usize - 1];
            return if year == utc_fields(now_ms + offset_minutes * 60_000).0 {
                format!("{day} {month} {hour:02}:{minute:02}")
            } else {
                format!("{day} {month} {year}")
            };
        }
    };
    if minutes > 0 {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

/// "1 minute", "5 minutes".
pub fn count_of(n: i64, unit: &str) -> String {
    let plural = if n == 1 { "" } else { "s" };
    format!("{n} {unit}{plural}")
}

/// "Active now", "5 minutes ago", "2 hours ago", "3 days ago": how long since `at_ms`, as of `now_ms`.
pub fn time_ago(now_ms: i64, at_ms: i64) -> String {
    let minutes = (now_ms - at_ms).max(0) / 60_000;
    let span = match minutes {
        0..=1 => return "Active now".into(),
        2..=59 => count_of(minutes, "minute"),
        60..=2879 => count_of(minutes / 60, "hour"),
        _ => count_of(minutes / 1440, "day"),
    };
    format!("{span} ago")
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
    let (separator, hidden) =
        if ip.contains(':') { (':', ":••••") } else { ('.', ".•••.•••") };
    // The first two groups: up to the second separator, or all of it when there is none.
    let head = ip.match_indices(separator).nth(1).map_or(ip, |(at, _)| &ip[..at]);
    format!("{head}{hidden}")
}

/// `1,000,000`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
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

/// "Madrid, Spain", or whichever of the two is known; None when neither is (shown as "Unknown location").
pub fn place(city: Option<&str>, country: Option<&str>) -> Option<String> {
    match (city, country) {
        (Some(city), Some(country)) => Some(format!("{city}, {country}")),
        (Some(place), None) | (None, Some(place)) => Some(place.to_owned()),
        (None, None) => None,
    }
}

/// A fact the console does not know, named as DESIGN.md names it.
#[derive(Clone, Copy)]
pub enum Unknown {
    Browser,
    Location,
    Ip,
}

/// The known value, or what the console says when it is not known ("Unknown Browser", "Unknown location").
pub fn or_unknown(value: &Option<String>, what: Unknown) -> String {
    match value {
        Some(value) => value.clone(),
        None => match what {
            Unknown::Browser => "Unknown Browser",
            Unknown::Location => "Unknown location",
            Unknown::Ip => "Unknown IP",
        }
        .to_string(),
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
        assert_eq!(utc_minutes(Some(951_782_400_000)), "2000-02-29 00:00 UTC", "a leap day");
        assert_eq!(utc_minutes(Some(1_790_000_000_000)), "2026-09-21 14:13 UTC");
        assert_eq!(utc_minutes(Some(-60_000)), "1969-12-31 23:59 UTC");
        assert_eq!(utc_input(4_102_444_800_000), "2100-01-01T00:00");
    }

    #[test]
    fn wall_clock_times_move_by_the_zone_offset() {
        // 2026-12-02 16:58 UTC is 17:58 in Madrid (UTC+1 in winter) and 11:58 in New York (UTC-5).
        let at = 1_796_230_680_000;
        assert_eq!(wall_minutes(at, 0), "2026-12-02 16:58");
        assert_eq!(wall_minutes(at, 60), "2026-12-02 17:58");
        assert_eq!(wall_minutes(at, -300), "2026-12-02 11:58");
        assert_eq!(wall_input(at, 330), "2026-12-02T22:28", "half-hour zones (India)");
        assert_eq!(wall_minutes(1_796_255_880_000, 60), "2026-12-03 00:58", "the offset can change the date");
    }

    #[test]
    fn compact_times_are_relative_within_a_day_and_dates_beyond() {
        let now = 1_796_230_680_000; // 2026-12-02 16:58 UTC
        assert_eq!(compact_moment(now, now - 20_000, 0), "just now");
        assert_eq!(compact_moment(now, now - 60_000, 0), "1 minute ago");
        assert_eq!(compact_moment(now, now - 5 * 60_000, 0), "5 minutes ago");
        assert_eq!(compact_moment(now, now + 3 * 3_600_000, 0), "in 3 hours");
        assert_eq!(compact_moment(now, now - 23 * 3_600_000, 0), "23 hours ago");
        assert_eq!(compact_moment(now, now - 2 * 86_400_000, 60), "30 Nov 17:58");
        assert_eq!(
            compact_moment(now, now + 30 * 86_400_000, 60),
            "1 Jan 2027",
            "another year shows the year"
        );
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

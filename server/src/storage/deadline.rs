//! A session's deadline, the one rule behind every expiry check: the earlier of its absolute expiry and its
//! last activity plus the idle timeout (either may be absent). Rust computes it for rows it writes whole (new
//! sessions, demo data); SQL computes it for rows that move in place (activity, a new expiry), from the same
//! rule written once below.

/// The deadline of a session that expires at `expires_at` and was last active at `active_at`.
pub fn deadline(expires_at: Option<i64>, idle_timeout_secs: Option<i64>, active_at: i64) -> Option<i64> {
    let idle_end = idle_timeout_secs.map(|secs| active_at + secs * 1000);
    match (expires_at, idle_end) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The same rule in SQL over the row's `idle_timeout_secs`, given SQL expressions for the absolute expiry and
/// the last-active time (columns or parameters; never caller input).
pub(super) fn deadline_sql(expires_at: &str, active_at: &str) -> String {
    format!(
        "CASE WHEN idle_timeout_secs IS NULL THEN {expires_at}
             WHEN {expires_at} IS NOT NULL AND {expires_at} < {active_at} + idle_timeout_secs * 1000 THEN {expires_at}
             ELSE {active_at} + idle_timeout_secs * 1000 END"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_is_the_earlier_limit() {
        assert_eq!(deadline(Some(10_000), Some(5), 1_000), Some(6_000));
        assert_eq!(deadline(Some(3_000), Some(5), 1_000), Some(3_000));
        assert_eq!(deadline(None, Some(5), 1_000), Some(6_000));
        assert_eq!(deadline(Some(3_000), None, 1_000), Some(3_000));
        assert_eq!(deadline(None, None, 1_000), None);
    }

    #[test]
    fn the_sql_names_the_expressions_it_is_given() {
        let sql = deadline_sql("expires_at", "$1");
        assert!(
            sql.contains("THEN expires_at") && sql.contains("ELSE $1 + idle_timeout_secs * 1000"),
            "{sql}"
        );
    }
}

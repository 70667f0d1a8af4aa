//! A user's own active sessions with the facts "My sessions" shows about each: warning signs and sign-ins from
//! the same device, all worked out in the database on the per-user indexes of migration 0008.

use sqlx::AssertSqlSafe;

use super::sessions::{SessionRow, SESSION_FIELDS, SESSION_JOINS};
use super::{Storage, StorageError};

#[derive(sqlx::FromRow)]
pub struct OwnSessionRow {
    #[sqlx(flatten)]
    pub session: SessionRow,
    /// 1 when the user signed in during the window before this session, never from its country.
    pub new_location: i64,
    /// 1 when the user signed in during the window before this session, never with its browser and system.
    pub new_device: i64,
    /// The user's sessions, ended ones included, with this one's browser, system and device.
    pub device_sign_ins: i64,
    /// Distinct addresses among the user's active sessions (the same figure on every row).
    pub addresses: i64,
}

/// Sessions of `s`'s user created in the window (`window`, a parameter, in milliseconds) before `s`. A sign needs
/// one: a user's very first sign-in is not news.
fn earlier_in_window(window: &str) -> String {
    format!(
        "SELECT 1 FROM sessions p WHERE p.user_id = s.user_id AND p.created_at >= s.created_at - {window} AND p.created_at < s.created_at"
    )
}

/// 1 when session `s` came from a country its user had no session from in the window before it (and had
/// sessions then): My sessions' **New location** badge and the **New country** alarm, one rule.
pub(super) fn new_location_sql(window: &str) -> String {
    let earlier = earlier_in_window(window);
    format!(
        "CAST(CASE WHEN s.country IS NOT NULL AND EXISTS ({earlier})
              AND NOT EXISTS ({earlier} AND p.country = s.country) THEN 1 ELSE 0 END AS BIGINT)"
    )
}

/// Completed with the same browser and system: plain equality (on the user, browser and os index) when both are
/// known, the slower null-safe comparison only for sessions whose user agent said nothing.
const SIGN_INS_FROM_DEVICE: &str =
    "SELECT COUNT(*) FROM sessions p WHERE p.user_id = s.user_id AND COALESCE(p.device, '') = COALESCE(s.device, '')";

impl Storage {
    /// The user's unexpired active sessions in every app, newest first, at most 200.
    pub async fn own_sessions(
        &self,
        user_id: i64,
        now_ms: i64,
        window_ms: i64,
    ) -> Result<Vec<OwnSessionRow>, StorageError> {
        let earlier = earlier_in_window("$3");
        let new_location = new_location_sql("$3");
        let sql = format!(
            "WITH spread AS (SELECT COUNT(DISTINCT ip) AS addresses FROM sessions
               WHERE user_id = $1 AND status = 'active' AND (deadline_at IS NULL OR deadline_at > $2))
             SELECT {SESSION_FIELDS},
               {new_location} AS new_location,
               CAST(CASE WHEN s.browser IS NOT NULL AND s.os IS NOT NULL AND EXISTS ({earlier})
                    AND NOT EXISTS ({earlier} AND p.browser = s.browser AND p.os = s.os) THEN 1 ELSE 0 END
                    AS BIGINT) AS new_device,
               CASE WHEN s.browser IS NOT NULL AND s.os IS NOT NULL
                 THEN ({SIGN_INS_FROM_DEVICE} AND p.browser = s.browser AND p.os = s.os)
                 ELSE ({SIGN_INS_FROM_DEVICE} AND COALESCE(p.browser, '') = COALESCE(s.browser, '')
                       AND COALESCE(p.os, '') = COALESCE(s.os, '')) END AS device_sign_ins,
               spread.addresses
             FROM sessions s {SESSION_JOINS} CROSS JOIN spread
             WHERE s.user_id = $1 AND s.status = 'active' AND (s.deadline_at IS NULL OR s.deadline_at > $2)
             ORDER BY s.created_at DESC LIMIT 200"
        );
        let query = sqlx::query_as(AssertSqlSafe(sql)).bind(user_id).bind(now_ms).bind(window_ms);
        Ok(query.fetch_all(&self.pool).await?)
    }
}

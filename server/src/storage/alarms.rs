//! Alarms: raised (one open alarm per kind and subject; a repeat raises its count and last-seen time),
//! listed open first, acknowledged; and the facts about a new sign-in that the detectors judge, read from the
//! user's own rows (never a scan of all sessions).

use app::alarms::AlarmKind;
use sqlx::{AssertSqlSafe, FromRow};

use super::own_sessions::new_location_sql;
use super::{AuditEvent, Storage, StorageError};

/// An alarm to raise or to repeat.
pub struct NewAlarm<'a> {
    pub kind: AlarmKind,
    pub user_id: Option<i64>,
    /// The user's email, or the email typed in a lock-out.
    pub subject: &'a str,
    pub detail: &'a str,
    pub now_ms: i64,
}

/// The alarm a raise wrote: new when `times` is 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RaisedAlarm {
    pub id: i64,
    pub times: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct AlarmRow {
    pub id: i64,
    pub kind: String,
    pub user_id: Option<i64>,
    pub subject: String,
    pub detail: String,
    pub first_seen_at: i64,
    pub last_seen_at: i64,
    pub times: i64,
    pub state: String,
    pub acknowledged_by_email: Option<String>,
    pub acknowledged_at: Option<i64>,
    pub active_sessions: i64,
}

/// What a new session tells the detectors about its user.
#[derive(Debug, Clone, FromRow)]
pub struct SignInFacts {
    pub user_id: i64,
    pub email: String,
    pub created_at: i64,
    pub city: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// 1 when the session came from a country new to the user in the window (the New location rule).
    pub new_country: i64,
}

/// The user's sign-in before this one that has a place.
#[derive(Debug, Clone, FromRow)]
pub struct EarlierSignIn {
    pub created_at: i64,
    pub city: Option<String>,
    pub country: Option<String>,
    pub latitude: f64,
    pub longitude: f64,
}

const ALARM_FIELDS: &str = "a.id, a.kind, a.user_id, a.subject, a.detail, a.first_seen_at, a.last_seen_at, a.times,
     a.state, k.email AS acknowledged_by_email, a.acknowledged_at, COALESCE(u.active_sessions, 0) AS active_sessions";

impl Storage {
    /// Raises an alarm, or repeats the open one of its kind and subject; a new one is audited with it.
    pub async fn raise_alarm(&self, alarm: &NewAlarm<'_>) -> Result<RaisedAlarm, StorageError> {
        let mut tx = self.begin_write().await?;
        let (id, times): (i64, i64) = sqlx::query_as(
            "INSERT INTO alarms (kind, user_id, subject, detail, first_seen_at, last_seen_at, times, state)
             VALUES ($1, $2, $3, $4, $5, $5, 1, 'open')
             ON CONFLICT (kind, subject) WHERE state = 'open'
             DO UPDATE SET detail = excluded.detail, last_seen_at = excluded.last_seen_at, times = alarms.times + 1
             RETURNING id, times",
        )
        .bind(alarm.kind.as_str())
        .bind(alarm.user_id)
        .bind(alarm.subject)
        .bind(alarm.detail)
        .bind(alarm.now_ms)
        .fetch_one(&mut *tx)
        .await?;
        if times == 1 {
            let event = AuditEvent {
                at_ms: alarm.now_ms,
                actor: "system".into(),
                action: "alarm.raised",
                target: Some(match alarm.user_id {
                    Some(user_id) => format!("user:{user_id}"),
                    None => format!("email:{}", alarm.subject),
                }),
                reason: Some(format!("{}: {}", alarm.kind.label(), alarm.detail)),
                ip: None,
            };
            self.append_audit(&mut tx, &event).await?;
        }
        tx.commit().await?;
        Ok(RaisedAlarm { id, times })
    }

    /// Open alarms first, then acknowledged ones, each newest first.
    pub async fn list_alarms(
        &self,
        open_only: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<AlarmRow>, StorageError> {
        let filter = if open_only { "WHERE a.state = 'open'" } else { "" };
        let sql = format!(
            "SELECT {ALARM_FIELDS} FROM alarms a LEFT JOIN users u ON u.id = a.user_id
             LEFT JOIN users k ON k.id = a.acknowledged_by {filter}
             ORDER BY CASE WHEN a.state = 'open' THEN 0 ELSE 1 END, a.last_seen_at DESC, a.id DESC
             LIMIT $1 OFFSET $2"
        );
        Ok(sqlx::query_as(AssertSqlSafe(sql)).bind(limit).bind(offset).fetch_all(&self.pool).await?)
    }

    pub async fn alarm_by_id(&self, id: i64) -> Result<Option<AlarmRow>, StorageError> {
        let sql = format!(
            "SELECT {ALARM_FIELDS} FROM alarms a LEFT JOIN users u ON u.id = a.user_id
             LEFT JOIN users k ON k.id = a.acknowledged_by WHERE a.id = $1"
        );
        Ok(sqlx::query_as(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?)
    }

    /// (open, all) alarms.
    pub async fn count_alarms(&self) -> Result<(i64, i64), StorageError> {
        Ok(sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN state = 'open' THEN 1 ELSE 0 END), 0) AS BIGINT),
                    CAST(COUNT(*) AS BIGINT) FROM alarms",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    /// Acknowledges an open alarm, audited in the same transaction. False when it was not open.
    pub async fn acknowledge_alarm(
        &self,
        id: i64,
        by_user_id: i64,
        audit: &AuditEvent,
    ) -> Result<bool, StorageError> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE alarms SET state = 'acknowledged', acknowledged_by = $1, acknowledged_at = $2
             WHERE id = $3 AND state = 'open'",
        )
        .bind(by_user_id)
        .bind(audit.at_ms)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed > 0 {
            self.append_audit(&mut tx, audit).await?;
        }
        tx.commit().await?;
        Ok(changed > 0)
    }

    /// The facts about session `session_id` of a known user, with the New location rule over `window_ms`.
    pub async fn sign_in_facts(
        &self,
        session_id: &str,
        window_ms: i64,
    ) -> Result<Option<SignInFacts>, StorageError> {
        let sql = format!(
            "SELECT s.user_id, u.email, s.created_at, s.city, s.country, s.latitude, s.longitude,
                    {} AS new_country
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1",
            new_location_sql("$2")
        );
        Ok(sqlx::query_as(AssertSqlSafe(sql))
            .bind(session_id)
            .bind(window_ms)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The distinct addresses of the user's active sessions (at most `limit`).
    pub async fn active_addresses(&self, user_id: i64, limit: i64) -> Result<Vec<String>, StorageError> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT ip FROM sessions WHERE user_id = $1 AND status = 'active' AND ip IS NOT NULL
             ORDER BY ip LIMIT $2",
        )
        .bind(user_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(ip,)| ip).collect())
    }

    /// The user's latest sign-in with a place before `before_ms` (other than `session_id`).
    pub async fn earlier_sign_in(
        &self,
        user_id: i64,
        session_id: &str,
        before_ms: i64,
    ) -> Result<Option<EarlierSignIn>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT created_at, city, country, latitude, longitude FROM sessions
             WHERE user_id = $1 AND created_at <= $2 AND id <> $3 AND latitude IS NOT NULL AND longitude IS NOT NULL
             ORDER BY created_at DESC LIMIT 1",
        )
        .bind(user_id)
        .bind(before_ms)
        .bind(session_id)
        .fetch_optional(&self.pool)
        .await?)
    }
}

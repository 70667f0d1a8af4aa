//! Sessions of every app: the row as stored, looking one up, its payload, expiry and activity (creating one is
//! `session_insert`, ending one `session_end`).

use app::end_cause::EndCause;
use app::model::{SessionId, SessionStatus};
use sqlx::{AssertSqlSafe, FromRow};

use super::deadline::deadline_sql;
use super::{AuditEvent, ChangedSession, EndedBy, Storage, StorageError};

/// A session as stored, without its ciphertext. `token_hash` never leaves the server.
#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    #[sqlx(try_from = "String")]
    pub id: SessionId,
    pub token_hash: Vec<u8>,
    pub app_id: i64,
    pub app_slug: String,
    pub app_name: String,
    pub app_max_payload_bytes: i64,
    pub user_id: Option<i64>,
    pub user_email: Option<String>,
    pub user_name: Option<String>,
    pub user_role: Option<String>,
    pub user_external_id: Option<String>,
    pub kind: String,
    #[sqlx(try_from = "String")]
    pub status: SessionStatus,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub browser: Option<String>,
    pub browser_version: Option<String>,
    pub os: Option<String>,
    pub os_version: Option<String>,
    pub device: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub country_code: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_active_at: i64,
    pub expires_at: Option<i64>,
    pub idle_timeout_secs: Option<i64>,
    pub deadline_at: Option<i64>,
    pub remember_me: i64,
    pub ended_at: Option<i64>,
    pub ended_by: Option<EndedBy>,
    pub ended_by_user_id: Option<i64>,
    pub end_reason: Option<String>,
    /// An `EndCause` code; None while active, and for sessions ended before causes were kept.
    pub end_cause: Option<String>,
    /// Whether the admin who ended it chose to tell its holder `end_reason`.
    pub end_reason_shared: i64,
    /// Set with the expiry by "Update payload TTL": an expiry at this time is the payload TTL's.
    pub payload_expires_at: Option<i64>,
    pub payload_key_id: Option<i64>,
    pub payload_bytes: i64,
    pub payload_attribute_count: i64,
    pub validation_count: i64,
    pub last_request_at: Option<i64>,
    /// The page the app last reported with a validation.
    pub last_activity: Option<String>,
}

/// Spliced into queries as constants, never with caller input (hence `AssertSqlSafe`).
pub(super) const SESSION_FIELDS: &str = "s.id, s.token_hash, s.app_id, a.slug AS app_slug, a.name AS app_name,
     a.max_payload_bytes AS app_max_payload_bytes, s.user_id,
     u.email AS user_email, u.display_name AS user_name, u.role AS user_role, x.external_id AS user_external_id,
     s.kind, s.status, s.ip, s.user_agent, s.browser, s.browser_version, s.os, s.os_version, s.device,
     s.city, s.country, s.country_code, s.created_at, s.updated_at, s.last_active_at, s.expires_at,
     s.idle_timeout_secs, s.deadline_at, s.remember_me, s.ended_at, s.ended_by, s.ended_by_user_id, s.end_reason,
     s.end_cause, s.end_reason_shared, s.payload_expires_at,
     s.payload_key_id, s.payload_bytes, s.payload_attribute_count, s.validation_count, s.last_request_at,
     s.last_activity";
pub(super) const SESSION_JOINS: &str = "JOIN apps a ON a.id = s.app_id LEFT JOIN users u ON u.id = s.user_id
     LEFT JOIN user_external_ids x ON x.app_id = s.app_id AND x.user_id = s.user_id";

/// An encrypted payload with what the console shows about it.
pub struct StoredPayload<'a> {
    pub ciphertext: &'a [u8],
    pub key_id: i64,
    pub plaintext_bytes: i64,
    pub attribute_count: i64,
}

/// How a session ended: `status` is expired or revoked.
pub struct SessionEnd<'a> {
    pub status: SessionStatus,
    pub ended_by: EndedBy,
    pub ended_by_user_id: Option<i64>,
    /// The admin token that ended it.
    pub ended_by_token_id: Option<i64>,
    pub reason: &'a str,
    pub cause: EndCause,
    /// Tell the holder `reason` (the admin ticked "Tell the user why").
    pub share_reason: bool,
    pub now_ms: i64,
}

/// Validations counted in memory since the last flush, for one session.
#[derive(Debug, Clone)]
pub struct Activity {
    pub validations: i64,
    pub last_request_at: i64,
    /// The page the app last reported, if it reported one since the last flush.
    pub last_page: Option<String>,
}

impl Storage {
    /// The session a token names; with `app_id`, only if it belongs to that app.
    pub async fn session_by_token_hash(
        &self,
        token_hash: &[u8],
        app_id: Option<i64>,
    ) -> Result<Option<SessionRow>, StorageError> {
        let sql = format!("SELECT {SESSION_FIELDS} FROM sessions s {SESSION_JOINS} WHERE s.token_hash = $1 AND ($2 IS NULL OR s.app_id = $2)");
        Ok(sqlx::query_as(AssertSqlSafe(sql))
            .bind(token_hash)
            .bind(app_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn session_by_id(&self, id: &SessionId) -> Result<Option<SessionRow>, StorageError> {
        let sql = format!("SELECT {SESSION_FIELDS} FROM sessions s {SESSION_JOINS} WHERE s.id = $1");
        Ok(sqlx::query_as(AssertSqlSafe(sql)).bind(id.as_str()).fetch_optional(&self.pool).await?)
    }

    /// The payload keys stored payloads and the webhook's secret were sealed with (a scan, run once at start).
    pub async fn payload_key_ids_in_use(&self) -> Result<Vec<i64>, StorageError> {
        let ids: Vec<(i64,)> = sqlx::query_as(
            "SELECT payload_key_id FROM sessions WHERE payload_key_id IS NOT NULL
             UNION SELECT secret_key_id FROM alarm_webhook ORDER BY 1",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(|(id,)| id).collect())
    }

    /// The ciphertext and key id of an active session's payload.
    pub async fn payload_ciphertext(&self, id: &SessionId) -> Result<Option<(Vec<u8>, i64)>, StorageError> {
        let found: Option<(Option<Vec<u8>>, Option<i64>)> = sqlx::query_as(
            "SELECT payload_ciphertext, payload_key_id FROM sessions WHERE id = $1 AND status = 'active'",
        )
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.and_then(|(bytes, key)| Some((bytes?, key?))))
    }

    /// Replaces the payload of an active session; false when the session is no longer active.
    pub async fn replace_payload(
        &self,
        id: &SessionId,
        payload: Option<StoredPayload<'_>>,
        now_ms: i64,
        audit: &AuditEvent,
    ) -> Result<bool, StorageError> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE sessions SET payload_ciphertext = $1, payload_key_id = $2, payload_bytes = $3,
                 payload_attribute_count = $4, updated_at = $5
             WHERE id = $6 AND status = 'active'",
        )
        .bind(payload.as_ref().map(|p| p.ciphertext))
        .bind(payload.as_ref().map(|p| p.key_id))
        .bind(payload.as_ref().map_or(0, |p| p.plaintext_bytes))
        .bind(payload.as_ref().map_or(0, |p| p.attribute_count))
        .bind(now_ms)
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if changed {
            self.append_audit(&mut tx, audit).await?;
        }
        self.commit_and_forget(tx).await?;
        Ok(changed)
    }

    /// Sets an active session's absolute expiry (`None`: no expiry; the idle timeout still applies) and moves
    /// its deadline to match, with the audit record in the same transaction. None when it is not active.
    pub async fn set_session_expiry(
        &self,
        id: &SessionId,
        expires_at_ms: Option<i64>,
        now_ms: i64,
        audit: &AuditEvent,
    ) -> Result<Option<ChangedSession>, StorageError> {
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "UPDATE sessions SET expires_at = $1, payload_expires_at = $1, updated_at = $2,
                 deadline_at = {} WHERE id = $3 AND status = 'active' RETURNING user_id",
            deadline_sql("$1", "last_active_at")
        );
        let owner: Option<(Option<i64>,)> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(expires_at_ms)
            .bind(now_ms)
            .bind(id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        let changed = owner.map(|(user_id,)| ChangedSession { user_id });
        if changed.is_some() {
            self.append_audit(&mut tx, audit).await?;
        }
        // Validations cache a session's deadline.
        self.commit_and_forget(tx).await?;
        Ok(changed)
    }

    /// Marks the session active now, at most once per `min_interval_ms`, and moves its deadline.
    pub async fn touch_session(
        &self,
        token_hash: &[u8],
        now_ms: i64,
        min_interval_ms: i64,
    ) -> Result<(), StorageError> {
        let deadline = deadline_sql("expires_at", "$1");
        let sql = format!(
            "UPDATE sessions SET last_active_at = $1, deadline_at = {deadline}
             WHERE token_hash = $2 AND status = 'active' AND last_active_at <= $3"
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(now_ms)
            .bind(token_hash)
            .bind(now_ms - min_interval_ms)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Adds counted validations in one transaction. Last-active moves only when older than
    /// `min_interval_ms`, so a busy session costs one write per flush, not one per request.
    pub async fn record_activity(
        &self,
        activity: &[(String, Activity)],
        min_interval_ms: i64,
    ) -> Result<(), StorageError> {
        if activity.is_empty() {
            return Ok(());
        }
        let deadline = deadline_sql("expires_at", "$1");
        let sql = format!(
            "UPDATE sessions SET validation_count = validation_count + $2,
                 last_request_at = CASE WHEN last_request_at IS NULL OR last_request_at < $1 THEN $1 ELSE last_request_at END,
                 deadline_at = CASE WHEN last_active_at <= $1 - $4 THEN {deadline} ELSE deadline_at END,
                 last_active_at = CASE WHEN last_active_at <= $1 - $4 THEN $1 ELSE last_active_at END,
                 last_activity = COALESCE($5, last_activity)
             WHERE id = $3 AND status = 'active'"
        );
        let mut tx = self.begin_write().await?;
        for (id, seen) in activity {
            sqlx::query(AssertSqlSafe(sql.as_str()))
                .bind(seen.last_request_at)
                .bind(seen.validations)
                .bind(id.as_str())
                .bind(min_interval_ms)
                .bind(seen.last_page.as_deref())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The user's unexpired active sessions in one app (None: every app), newest first.
    pub async fn active_sessions_of_user(
        &self,
        user_id: i64,
        app_id: Option<i64>,
        now_ms: i64,
    ) -> Result<Vec<SessionRow>, StorageError> {
        let sql = format!(
            "SELECT {SESSION_FIELDS} FROM sessions s {SESSION_JOINS} WHERE s.user_id = $1 AND s.status = 'active'
             AND (s.deadline_at IS NULL OR s.deadline_at > $2) AND ($3 IS NULL OR s.app_id = $3)
             ORDER BY s.created_at DESC LIMIT 200"
        );
        let query = sqlx::query_as(AssertSqlSafe(sql)).bind(user_id).bind(now_ms).bind(app_id);
        Ok(query.fetch_all(&self.pool).await?)
    }
}

//! The console's own sign-ins, kept as sessions of app `console` like any other app's.

use sqlx::{AssertSqlSafe, FromRow};

use super::{AuditEvent, Storage, StorageError};

#[derive(Debug, Clone, FromRow)]
pub struct ConsoleSessionRow {
    pub id: String,
    pub token_hash: Vec<u8>,
    pub app_slug: String,
    pub user_id: Option<i64>,
    pub status: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: i64,
    pub last_active_at: i64,
    pub expires_at: Option<i64>,
    pub idle_timeout_secs: Option<i64>,
    pub remember_me: i64,
}

pub struct NewConsoleSession<'a> {
    pub id: &'a str,
    pub token_hash: &'a [u8],
    pub user_id: i64,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub remember_me: bool,
    pub now_ms: i64,
    pub expires_at_ms: i64,
    pub idle_timeout_secs: i64,
}

/// How a session ended: `status` is `expired` or `revoked`; `ended_by` is `user`, `holder` or `system`.
pub struct SessionEnd<'a> {
    pub status: &'static str,
    pub ended_by: &'static str,
    pub ended_by_user_id: Option<i64>,
    pub reason: &'a str,
    pub now_ms: i64,
}

/// Spliced into queries as a constant, never with caller input (hence `AssertSqlSafe`).
const ROW_COLUMNS: &str =
    "s.id, s.token_hash, a.slug AS app_slug, s.user_id, s.status, s.ip, s.user_agent,
     s.created_at, s.last_active_at, s.expires_at, s.idle_timeout_secs, s.remember_me";

impl Storage {
    pub async fn insert_console_session(
        &self,
        session: NewConsoleSession<'_>,
        audit: &AuditEvent,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO sessions (id, token_hash, app_id, user_id, kind, status, ip, user_agent, created_at,
                 updated_at, last_active_at, expires_at, idle_timeout_secs, remember_me)
             SELECT $1, $2, apps.id, $3, 'authenticated', 'active', $4, $5, $6, $6, $6, $7, $8, $9
             FROM apps WHERE apps.slug = 'console'",
        )
        .bind(session.id)
        .bind(session.token_hash)
        .bind(session.user_id)
        .bind(session.ip)
        .bind(session.user_agent)
        .bind(session.now_ms)
        .bind(session.expires_at_ms)
        .bind(session.idle_timeout_secs)
        .bind(i64::from(session.remember_me))
        .execute(&mut *tx)
        .await
        .map_err(|error| StorageError::from_insert(error, "a session with this id"))?;
        self.append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn session_by_token_hash(
        &self,
        token_hash: &[u8],
    ) -> Result<Option<ConsoleSessionRow>, StorageError> {
        let sql = format!("SELECT {ROW_COLUMNS} FROM sessions s JOIN apps a ON a.id = s.app_id WHERE s.token_hash = $1");
        Ok(sqlx::query_as(AssertSqlSafe(sql))
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Marks the session active now, at most once per `min_interval_ms`, so busy sessions do not write on
    /// every request.
    pub async fn touch_session(
        &self,
        token_hash: &[u8],
        now_ms: i64,
        min_interval_ms: i64,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "UPDATE sessions SET last_active_at = $1 WHERE token_hash = $2 AND status = 'active' AND last_active_at <= $3",
        )
        .bind(now_ms)
        .bind(token_hash)
        .bind(now_ms - min_interval_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Ends an active session and destroys its payload, with the audit record in the same transaction.
    /// Returns false (and records nothing) when the session had already ended.
    pub async fn end_session(
        &self,
        session_id: &str,
        end: &SessionEnd<'_>,
        audit: &AuditEvent,
    ) -> Result<bool, StorageError> {
        let mut tx = self.begin_write().await?;
        let ended = sqlx::query(
            "UPDATE sessions SET status = $1, ended_at = $2, ended_by = $3, ended_by_user_id = $4, end_reason = $5,
                 updated_at = $2, payload_ciphertext = NULL, payload_key_id = NULL, payload_bytes = 0,
                 payload_attribute_count = 0
             WHERE id = $6 AND status = 'active'",
        )
        .bind(end.status)
        .bind(end.now_ms)
        .bind(end.ended_by)
        .bind(end.ended_by_user_id)
        .bind(end.reason)
        .bind(session_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if ended {
            self.append_audit(&mut tx, audit).await?;
        }
        tx.commit().await?;
        Ok(ended)
    }

    /// The user's unexpired active sessions in every app, newest first.
    pub async fn active_sessions_of_user(
        &self,
        user_id: i64,
        now_ms: i64,
    ) -> Result<Vec<ConsoleSessionRow>, StorageError> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM sessions s JOIN apps a ON a.id = s.app_id
             WHERE s.user_id = $1 AND s.status = 'active' AND (s.expires_at IS NULL OR s.expires_at > $2)
             ORDER BY s.created_at DESC LIMIT 200"
        );
        Ok(sqlx::query_as(AssertSqlSafe(sql))
            .bind(user_id)
            .bind(now_ms)
            .fetch_all(&self.pool)
            .await?)
    }
}

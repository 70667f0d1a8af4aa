//! Ending sessions: one, a user's (all, or all others, in one app or every app), every active one (Kill All), and the expiry sweep's batches. Each
//! destroys the payload and writes its audit record in the same transaction.

use app::end_cause::EndCause;
use app::model::SessionId;
use app::model::SessionStatus;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AssertSqlSafe, Row};

use super::history::ended_how_sql;
use super::{AuditEvent, EndedBy, SessionEnd, Storage, StorageError};

/// The SET clause of every end, over `$1`–`$8` (`bind_end` binds them): a statement's own parameters start at `$9`.
fn end_set() -> String {
    format!(
        "status = $1, ended_at = $2, ended_by = $3, ended_by_user_id = $4, end_reason = $5, end_cause = $6,
         end_reason_shared = $7, ended_by_token_id = $8, ended_how = {}, updated_at = $2,
         payload_ciphertext = NULL, payload_key_id = NULL, payload_bytes = 0, payload_attribute_count = 0",
        ended_how_sql("$1", "$3", "$4", "user_id")
    )
}

fn bind_end<'q>(
    query: Query<'q, Any, AnyArguments>,
    end: &'q SessionEnd<'_>,
) -> Query<'q, Any, AnyArguments> {
    query
        .bind(end.status.as_str())
        .bind(end.now_ms)
        .bind(end.ended_by)
        .bind(end.ended_by_user_id)
        .bind(end.reason)
        .bind(end.cause.as_str())
        .bind(i64::from(end.share_reason))
        .bind(end.ended_by_token_id)
}

/// A session that a write ended or changed: whose it is, so the change can be announced to its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangedSession {
    pub user_id: Option<i64>,
}

/// Which of a user's active sessions a sign-out ends.
#[derive(Debug, Clone, Copy)]
pub struct UserSessions<'a> {
    pub user_id: i64,
    /// Only this app's sessions; None for every app.
    pub app_id: Option<i64>,
    /// The one that stays (the caller's own).
    pub except: Option<&'a SessionId>,
}

impl UserSessions<'_> {
    pub fn all_of(user_id: i64) -> UserSessions<'static> {
        UserSessions { user_id, app_id: None, except: None }
    }
}

/// One transaction of the expiry sweep: the owner of each session it expired, and whether more are due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiredBatch {
    pub owners: Vec<Option<i64>>,
    pub more_due: bool,
}

/// A session the sweep found past its deadline.
#[derive(sqlx::FromRow)]
struct DueSession {
    id: String,
    expires_at: Option<i64>,
    payload_expires_at: Option<i64>,
    user_id: Option<i64>,
}

/// Why a session past its deadline expires: its lifetime (or the expiry an admin set with "Update payload TTL",
/// which moves both) or its idle timeout.
pub fn expiry_cause(expires_at: Option<i64>, payload_expires_at: Option<i64>, now_ms: i64) -> EndCause {
    match expires_at {
        Some(at) if at <= now_ms && payload_expires_at == Some(at) => EndCause::PayloadTtl,
        Some(at) if at <= now_ms => EndCause::Lifetime,
        _ => EndCause::IdleTimeout,
    }
}

/// The reason an expiry records, as the audit log and History show it.
pub fn expiry_reason(cause: EndCause) -> &'static str {
    match cause {
        EndCause::PayloadTtl => "payload TTL reached",
        EndCause::Lifetime => "lifetime reached",
        _ => "idle timeout reached",
    }
}

impl Storage {
    /// Ends an active session and destroys its payload, with the audit record in the same transaction.
    /// Returns None (and records nothing) when the session had already ended.
    pub async fn end_session(
        &self,
        session_id: &SessionId,
        end: &SessionEnd<'_>,
        audit: &AuditEvent,
    ) -> Result<Option<ChangedSession>, StorageError> {
        let mut tx = self.begin_write().await?;
        let ended = self.end_in(&mut tx, session_id.as_str(), end).await?;
        if ended.is_some() {
            self.append_audit(&mut tx, audit).await?;
        }
        self.commit_and_forget(tx).await?;
        Ok(ended)
    }

    async fn end_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        session_id: &str,
        end: &SessionEnd<'_>,
    ) -> Result<Option<ChangedSession>, StorageError> {
        let sql = format!(
            "UPDATE sessions SET {} WHERE id = $9 AND status = 'active' RETURNING user_id",
            end_set()
        );
        let owner =
            bind_end(sqlx::query(AssertSqlSafe(sql)), end).bind(session_id).fetch_optional(&mut **tx).await?;
        let user_id = owner.map(|row| row.try_get::<Option<i64>, _>(0)).transpose()?;
        Ok(user_id.map(|user_id| ChangedSession { user_id }))
    }

    /// Ends a user's active sessions (in one app, or all; all but one, or all), one audit record each, in one
    /// transaction.
    pub async fn end_user_sessions(
        &self,
        scope: &UserSessions<'_>,
        end: &SessionEnd<'_>,
        audit: &AuditEvent,
    ) -> Result<Vec<String>, StorageError> {
        let mut tx = self.begin_write().await?;
        let ended = self.end_user_sessions_in(&mut tx, scope, end, audit).await?;
        self.commit_and_forget(tx).await?;
        Ok(ended)
    }

    /// Ends the `count` least recently active sessions of a user, to make room for a new one under a limit of
    /// `max`: each end says why, with its audit record.
    pub(super) async fn evict_oldest_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        user_id: i64,
        count: i64,
        max: i64,
        audit: &AuditEvent,
    ) -> Result<(), StorageError> {
        let oldest: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM sessions WHERE user_id = $1 AND status = 'active' ORDER BY last_active_at, created_at LIMIT $2",
        )
        .bind(user_id)
        .bind(count)
        .fetch_all(&mut **tx)
        .await?;
        let reason = format!("signed out to make room for a new sign-in: at most {max} sessions per user");
        let end = SessionEnd {
            status: SessionStatus::Revoked,
            ended_by: EndedBy::System,
            ended_by_user_id: None,
            ended_by_token_id: None,
            reason: &reason,
            cause: EndCause::SessionLimit,
            share_reason: true,
            now_ms: audit.at_ms,
        };
        for (id,) in oldest {
            if self.end_in(tx, &id, &end).await?.is_some() {
                let event = AuditEvent {
                    actor: "system".into(),
                    action: "session.revoked",
                    target: Some(format!("session:{id}")),
                    reason: Some(reason.clone()),
                    ..audit.clone()
                };
                self.append_audit(tx, &event).await?;
            }
        }
        Ok(())
    }

    /// `end_user_sessions` inside a transaction the caller holds (disabling a user ends them with the change).
    pub(super) async fn end_user_sessions_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        scope: &UserSessions<'_>,
        end: &SessionEnd<'_>,
        audit: &AuditEvent,
    ) -> Result<Vec<String>, StorageError> {
        let ids: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM sessions WHERE user_id = $1 AND status = 'active'
             AND ($2 IS NULL OR app_id = $2) AND ($3 IS NULL OR id <> $3)",
        )
        .bind(scope.user_id)
        .bind(scope.app_id)
        .bind(scope.except.map(SessionId::as_str))
        .fetch_all(&mut **tx)
        .await?;
        let mut ended = Vec::with_capacity(ids.len());
        for (id,) in ids {
            if self.end_in(tx, &id, end).await?.is_some() {
                let event = AuditEvent { target: Some(format!("session:{id}")), ..audit.clone() };
                self.append_audit(tx, &event).await?;
                ended.push(id);
            }
        }
        Ok(ended)
    }

    /// Ends every active session created up to `created_until_ms` except the one whose token hash is `keep`.
    /// Works in batches, each its own transaction with one audit record naming how many it ended, so
    /// validations wait for one batch at most, never for the whole sweep. Returns how many ended.
    pub async fn end_all_active_sessions(
        &self,
        keep: Option<&[u8]>,
        created_until_ms: i64,
        end: &SessionEnd<'_>,
        audit: &AuditEvent,
    ) -> Result<u64, StorageError> {
        const BATCH: i64 = 2_000;
        let sql = format!(
            "UPDATE sessions SET {} WHERE id IN (SELECT id FROM sessions WHERE status = 'active'
                 AND created_at <= $9 AND ($10 IS NULL OR token_hash <> $10) LIMIT {BATCH})",
            end_set()
        );
        let mut ended = 0;
        loop {
            let mut tx = self.begin_write().await?;
            let batch = bind_end(sqlx::query(AssertSqlSafe(sql.as_str())), end)
                .bind(created_until_ms)
                .bind(keep)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if batch > 0 {
                let event = AuditEvent {
                    target: Some("sessions:all-active".into()),
                    reason: Some(format!("{}; {batch} sessions ended", end.reason)),
                    ..audit.clone()
                };
                self.append_audit(&mut tx, &event).await?;
            }
            self.commit_and_forget(tx).await?;
            ended += batch;
            if batch < BATCH as u64 {
                return Ok(ended);
            }
        }
    }

    /// Marks sessions whose deadline has passed as expired, each with its audit record, in one transaction
    /// that stops after `batch` sessions or once `budget` has been spent, whichever comes first: expiring a
    /// session rewrites its entry in every sort index, and on a cold cache that can take milliseconds each,
    /// while every other writer waits. Returns how many it expired and whether more are due.
    /// Uses the (status, deadline_at) index: never a scan of all sessions.
    pub async fn expire_due_sessions(
        &self,
        now_ms: i64,
        batch: i64,
        budget: std::time::Duration,
    ) -> Result<ExpiredBatch, StorageError> {
        let started = std::time::Instant::now();
        let mut tx = self.begin_write().await?;
        let due: Vec<DueSession> = sqlx::query_as(
            "SELECT id, expires_at, payload_expires_at, user_id FROM sessions
             WHERE status = 'active' AND deadline_at <= $1 LIMIT $2",
        )
        .bind(now_ms)
        .bind(batch)
        .fetch_all(&mut *tx)
        .await?;
        let mut owners = Vec::new();
        for DueSession { id, expires_at, payload_expires_at, user_id: owner } in &due {
            if !owners.is_empty() && started.elapsed() >= budget {
                break;
            }
            let cause = expiry_cause(*expires_at, *payload_expires_at, now_ms);
            let reason = expiry_reason(cause);
            let end = SessionEnd {
                status: SessionStatus::Expired,
                ended_by: EndedBy::System,
                ended_by_user_id: None,
                ended_by_token_id: None,
                reason,
                cause,
                share_reason: false,
                now_ms,
            };
            if self.end_in(&mut tx, id, &end).await?.is_some() {
                let event = AuditEvent {
                    at_ms: now_ms,
                    actor: "system".into(),
                    action: "session.expired",
                    target: Some(format!("session:{id}")),
                    reason: Some(reason.into()),
                    ip: None,
                };
                self.append_audit(&mut tx, &event).await?;
            }
            owners.push(*owner);
        }
        if owners.is_empty() {
            tx.commit().await?;
        } else {
            self.commit_and_forget(tx).await?;
        }
        let more_due = owners.len() < due.len() || due.len() as i64 == batch;
        Ok(ExpiredBatch { owners, more_due })
    }
}

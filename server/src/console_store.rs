//! The tower-sessions store for the console's own sign-ins, kept in Roster's sessions table as app `console`.
//! The cookie carries the tower-sessions id, which is the session's secret token: the table keeps only its
//! SHA-256 and a separate public id, so the ids the console shows can never be replayed as a cookie.

use async_trait::async_trait;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error as StoreError, Result as StoreResult};
use tower_sessions::SessionStore;

use app::backend::session_keys;

use crate::clock::SharedClock;
use crate::policy::SessionPolicy;
use crate::secrets::{new_session_id, sha256};
use crate::storage::{
    AuditEvent, ConsoleSessionRow, NewConsoleSession, SessionEnd, Storage, StorageError,
};

#[derive(Debug, Clone)]
pub struct ConsoleSessionStore {
    storage: Storage,
    clock: SharedClock,
    policy: SessionPolicy,
}

pub fn token_hash(id: &Id) -> Vec<u8> {
    sha256(&id.0.to_le_bytes())
}

fn backend_error(error: StorageError) -> StoreError {
    StoreError::Backend(error.to_string())
}

impl ConsoleSessionStore {
    pub fn new(storage: Storage, clock: SharedClock, policy: SessionPolicy) -> Self {
        ConsoleSessionStore {
            storage,
            clock,
            policy,
        }
    }

    /// Why a stored session may no longer be used, if it may not.
    fn limit_reached(&self, row: &ConsoleSessionRow, now_ms: i64) -> Option<&'static str> {
        if row.expires_at.is_some_and(|expires| now_ms >= expires) {
            return Some("absolute lifetime reached");
        }
        let idle_ms = row.idle_timeout_secs.map(|secs| secs * 1000);
        if idle_ms.is_some_and(|idle| now_ms >= row.last_active_at + idle) {
            return Some("idle timeout reached");
        }
        None
    }

    fn record_from_row(&self, id: Id, row: &ConsoleSessionRow) -> Record {
        let mut record = Record {
            id,
            data: Default::default(),
            expiry_date: row
                .expires_at
                .and_then(|ms| OffsetDateTime::from_unix_timestamp(ms / 1000).ok())
                .unwrap_or(OffsetDateTime::now_utc() + time::Duration::days(30)),
        };
        let mut put = |key: &str, value: serde_json::Value| {
            record.data.insert(key.to_string(), value);
        };
        put(session_keys::USER_ID, row.user_id.into());
        put(session_keys::REMEMBER_ME, (row.remember_me != 0).into());
        put(session_keys::IP, row.ip.clone().into());
        put(session_keys::USER_AGENT, row.user_agent.clone().into());
        record
    }
}

fn text(record: &Record, key: &str) -> Option<String> {
    record
        .data
        .get(key)
        .and_then(|value| value.as_str())
        .map(str::to_owned)
}

#[async_trait]
impl SessionStore for ConsoleSessionStore {
    async fn create(&self, record: &mut Record) -> StoreResult<()> {
        let user_id = record
            .data
            .get(session_keys::USER_ID)
            .and_then(|value| value.as_i64())
            .ok_or_else(|| {
                StoreError::Backend("a console session needs a signed-in user".into())
            })?;
        let remember_me = record
            .data
            .get(session_keys::REMEMBER_ME)
            .and_then(|value| value.as_bool())
            .unwrap_or(false);
        let (ip, user_agent) = (
            text(record, session_keys::IP),
            text(record, session_keys::USER_AGENT),
        );
        let now_ms = self.clock.now_ms();
        loop {
            let public_id = new_session_id();
            let hash = token_hash(&record.id);
            let audit = AuditEvent {
                at_ms: now_ms,
                actor: format!("user:{user_id}"),
                action: "session.created",
                target: Some(format!("session:{public_id}")),
                reason: Some("console sign-in".into()),
                ip: ip.clone(),
            };
            let inserted = self
                .storage
                .insert_console_session(
                    NewConsoleSession {
                        id: &public_id,
                        token_hash: &hash,
                        user_id,
                        ip: ip.as_deref(),
                        user_agent: user_agent.as_deref(),
                        remember_me,
                        now_ms,
                        expires_at_ms: now_ms + self.policy.lifetime_secs(remember_me) * 1000,
                        idle_timeout_secs: self.policy.idle_timeout_secs,
                    },
                    &audit,
                )
                .await;
            match inserted {
                Ok(()) => return Ok(()),
                // 128 random bits collide only in theory; draw again rather than fail a sign-in.
                Err(StorageError::AlreadyExists(_)) => record.id = Id::default(),
                Err(error) => return Err(backend_error(error)),
            }
        }
    }

    async fn save(&self, record: &Record) -> StoreResult<()> {
        self.storage
            .touch_session(
                &token_hash(&record.id),
                self.clock.now_ms(),
                self.policy.touch_interval_secs * 1000,
            )
            .await
            .map_err(backend_error)
    }

    async fn load(&self, id: &Id) -> StoreResult<Option<Record>> {
        let Some(row) = self
            .storage
            .session_by_token_hash(&token_hash(id))
            .await
            .map_err(backend_error)?
        else {
            return Ok(None);
        };
        if row.status != "active" {
            return Ok(None);
        }
        let now_ms = self.clock.now_ms();
        if let Some(reason) = self.limit_reached(&row, now_ms) {
            let end = SessionEnd {
                status: "expired",
                ended_by: "system",
                ended_by_user_id: None,
                reason,
                now_ms,
            };
            let audit = AuditEvent {
                at_ms: now_ms,
                actor: "system".into(),
                action: "session.expired",
                target: Some(format!("session:{}", row.id)),
                reason: Some(reason.into()),
                ip: None,
            };
            self.storage
                .end_session(&row.id, &end, &audit)
                .await
                .map_err(backend_error)?;
            return Ok(None);
        }
        if now_ms - row.last_active_at >= self.policy.touch_interval_secs * 1000 {
            self.storage
                .touch_session(&row.token_hash, now_ms, self.policy.touch_interval_secs * 1000)
                .await
                .map_err(backend_error)?;
        }
        Ok(Some(self.record_from_row(*id, &row)))
    }

    /// Called on sign-out and when the id is cycled: the holder ended the session.
    async fn delete(&self, id: &Id) -> StoreResult<()> {
        let Some(row) = self
            .storage
            .session_by_token_hash(&token_hash(id))
            .await
            .map_err(backend_error)?
        else {
            return Ok(());
        };
        let now_ms = self.clock.now_ms();
        let end = SessionEnd {
            status: "revoked",
            ended_by: "holder",
            ended_by_user_id: row.user_id,
            reason: "signed out",
            now_ms,
        };
        let audit = AuditEvent {
            at_ms: now_ms,
            actor: row
                .user_id
                .map_or_else(|| "anonymous".into(), |id| format!("user:{id}")),
            action: "session.signed_out",
            target: Some(format!("session:{}", row.id)),
            reason: None,
            ip: row.ip.clone(),
        };
        self.storage
            .end_session(&row.id, &end, &audit)
            .await
            .map_err(backend_error)?;
        Ok(())
    }
}

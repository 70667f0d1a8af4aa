//! Creating a session: its user found or registered, the per-user limit checked under the write lock, the row
//! and its audit record written in one transaction.

use app::model::SessionId;

use super::deadline::deadline;
use super::session_owner::{self, SessionOwner};
use super::sessions::StoredPayload;
use super::{AuditEvent, DbKind, Storage, StorageError};

pub struct NewSession<'a> {
    pub id: &'a SessionId,
    pub token_hash: &'a [u8],
    pub app_id: i64,
    pub owner: SessionOwner<'a>,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub device: &'a crate::device::Device,
    pub location: &'a crate::geo::Location,
    pub now_ms: i64,
    pub expires_at_ms: Option<i64>,
    pub idle_timeout_secs: Option<i64>,
    pub remember_me: bool,
    pub payload: Option<StoredPayload<'a>>,
}

/// A session written: its user (None for a guest), and how many of the user's older sessions ended to make room
/// under the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsertedSession {
    pub user_id: Option<i64>,
    pub evicted: i64,
}

/// The per-user limit a new session is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimit {
    pub max: i64,
    /// At the limit, end the least recently active sessions instead of refusing.
    pub evict_oldest: bool,
}

impl Storage {
    /// Creates a session and returns its user's id (registering a user an app names for the first time). With
    /// `limit`, a user who already has that many unexpired active sessions is refused (or, set to, their least
    /// recently active ones end to make room), checked under the write lock so two racing requests cannot both
    /// pass.
    pub async fn insert_session(
        &self,
        session: &NewSession<'_>,
        limit: Option<SessionLimit>,
        audit: &AuditEvent,
    ) -> Result<InsertedSession, StorageError> {
        let mut tx = self.begin_write().await?;
        let owner = session_owner::resolve_in(&mut tx, session.owner, session.app_id, session.now_ms).await?;
        let user_id = owner.user_id;
        if let Some(id) = user_id.filter(|_| owner.registered) {
            let registered = AuditEvent {
                action: "user.created",
                target: Some(format!("user:{id}")),
                reason: Some("first seen in a session an app created".into()),
                ..audit.clone()
            };
            self.append_audit(&mut tx, &registered).await?;
        }
        let mut evicted = 0;
        if let (Some(user_id), Some(limit)) = (user_id, limit) {
            if self.kind == DbKind::Postgres {
                // Serializes session creation per user across nodes.
                sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
            }
            let (active,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND status = 'active'
                 AND (deadline_at IS NULL OR deadline_at > $2)",
            )
            .bind(user_id)
            .bind(session.now_ms)
            .fetch_one(&mut *tx)
            .await?;
            if active >= limit.max && !limit.evict_oldest {
                return Err(StorageError::SessionLimit { max: limit.max, user_id });
            }
            if active >= limit.max {
                evicted = active - limit.max + 1;
                self.evict_oldest_in(&mut tx, user_id, evicted, limit.max, audit).await?;
            }
        }
        let payload = session.payload.as_ref();
        sqlx::query(
            "INSERT INTO sessions (id, token_hash, app_id, user_id, kind, status, ip, user_agent, browser,
                 browser_version, os, os_version, device, city, country, country_code, created_at, updated_at,
                 last_active_at, expires_at, idle_timeout_secs, deadline_at, remember_me, payload_ciphertext,
                 payload_key_id, payload_bytes, payload_attribute_count, latitude, longitude, user_sort, app_sort)
             VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $16, $17,
                 $18, $19, $20, $21, $22, $23, $24, $25, $26,
                 COALESCE((SELECT email_normalized FROM users WHERE id = $4), ''),
                 (SELECT slug FROM apps WHERE id = $3))",
        )
        .bind(session.id.as_str())
        .bind(session.token_hash)
        .bind(session.app_id)
        .bind(user_id)
        .bind(if user_id.is_some() { "authenticated" } else { "guest" })
        .bind(session.ip)
        .bind(session.user_agent)
        .bind(&session.device.browser)
        .bind(&session.device.browser_version)
        .bind(&session.device.os)
        .bind(&session.device.os_version)
        .bind(&session.device.device)
        .bind(&session.location.city)
        .bind(&session.location.country)
        .bind(&session.location.country_code)
        .bind(session.now_ms)
        .bind(session.expires_at_ms)
        .bind(session.idle_timeout_secs)
        .bind(deadline(session.expires_at_ms, session.idle_timeout_secs, session.now_ms))
        .bind(i64::from(session.remember_me))
        .bind(payload.map(|p| p.ciphertext))
        .bind(payload.map(|p| p.key_id))
        .bind(payload.map_or(0, |p| p.plaintext_bytes))
        .bind(payload.map_or(0, |p| p.attribute_count))
        .bind(session.location.latitude)
        .bind(session.location.longitude)
        .execute(&mut *tx)
        .await
        .map_err(|error| StorageError::from_insert(error, "a session with this id"))?;
        self.append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(InsertedSession { user_id, evicted })
    }
}

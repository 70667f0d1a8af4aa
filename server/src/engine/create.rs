//! Creating a session: lifetime from the policy, device and location from the client, the payload sealed.

use secrecy::ExposeSecret;
use std::net::IpAddr;

use serde_json::{Map, Value};

use super::{Audience, Engine, EngineError, Event};
use crate::device::parse_user_agent;
use crate::geo::locate;
use crate::secrets::{new_session_id, new_token, sha256, Secret};
pub use crate::storage::SessionOwner;
use crate::storage::{AuditEvent, InsertedSession, NewSession, SessionLimit, StorageError};
use app::model::SessionId;

/// How long a new session lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// The policy's absolute lifetime (longer with remember-me) and idle timeout.
    Policy,
    /// A shorter lifetime the app asks for, within the policy's.
    Seconds(i64),
    /// No expiry at all, when the app asks for it.
    Durable,
}

pub struct CreateSession<'a> {
    pub app_id: i64,
    pub max_payload_bytes: i64,
    pub owner: SessionOwner<'a>,
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
    pub lifetime: Lifetime,
    pub remember_me: bool,
    pub payload: Option<Map<String, Value>>,
    /// Who asks, for the audit log.
    pub actor: String,
    /// The console brings its own secret (the cookie); apps get a new token.
    pub token_hash: Option<Vec<u8>>,
    /// Apps are held to the per-user limit. Console sign-ins count towards it but are never refused, so
    /// an admin can always sign in to end sessions.
    pub enforce_session_limit: bool,
}

#[derive(Debug)]
pub struct Created {
    pub id: SessionId,
    /// None for a guest.
    pub user_id: Option<i64>,
    pub token: Option<Secret>,
    pub created_at_ms: i64,
    pub expires_at_ms: Option<i64>,
    /// Whether the session is remembered: false when asked for but the workspace does not allow it.
    pub remember_me: bool,
}

impl Engine {
    pub async fn create_session(&self, request: CreateSession<'_>) -> Result<Created, EngineError> {
        let policy = self.policy().await?;
        let now_ms = self.now_ms();
        let longest = policy.lifetime_secs(request.remember_me);
        let (expires_at_ms, idle_timeout_secs) = match request.lifetime {
            Lifetime::Policy => (Some(now_ms + longest * 1000), policy.idle_timeout()),
            Lifetime::Seconds(secs) if (1..=longest).contains(&secs) => {
                (Some(now_ms + secs * 1000), policy.idle_timeout())
            }
            Lifetime::Seconds(_) => {
                return Err(EngineError::invalid(format!("ttlSeconds must be between 1 and {longest}")));
            }
            Lifetime::Durable => (None, None),
        };
        let id = new_session_id();
        let (token, token_hash) = match request.token_hash {
            Some(hash) => (None, hash),
            None => {
                let token = new_token("rs_");
                let hash = sha256(token.expose_secret().as_bytes());
                (Some(token), hash)
            }
        };
        let sealed = match &request.payload {
            Some(payload) => Some(self.seal_payload(&id, payload, request.max_payload_bytes).await?),
            None => None,
        };
        let ip_text = request.ip.map(|ip| ip.to_string());
        let device = parse_user_agent(request.user_agent.as_deref());
        let location = locate(self.geo.as_deref(), request.ip);
        let audit = AuditEvent {
            at_ms: now_ms,
            actor: request.actor,
            action: "session.created",
            target: Some(format!("session:{id}")),
            reason: None,
            ip: ip_text.clone(),
        };
        let session = NewSession {
            id: &id,
            token_hash: &token_hash,
            app_id: request.app_id,
            owner: request.owner,
            ip: ip_text.as_deref(),
            user_agent: request.user_agent.as_deref(),
            device: &device,
            location: &location,
            now_ms,
            expires_at_ms,
            idle_timeout_secs,
            remember_me: request.remember_me && policy.allow_remember_me,
            payload: sealed.as_ref().map(|sealed| sealed.stored()),
        };
        let limit = request
            .enforce_session_limit
            .then_some(SessionLimit { max: policy.max_active_per_user, evict_oldest: policy.evict_oldest });
        match self.storage.insert_session(&session, limit, &audit).await {
            Ok(InsertedSession { user_id, evicted }) => {
                self.events.publish(Event::sessions(Audience::owners([user_id])));
                if let Some(user_id) = user_id {
                    if evicted > 0 {
                        self.detect_session_limit(user_id, policy.max_active_per_user, evicted).await;
                    }
                    self.detect_after_sign_in(&id).await;
                }
                let remember_me = request.remember_me && policy.allow_remember_me;
                Ok(Created { id, user_id, token, created_at_ms: now_ms, expires_at_ms, remember_me })
            }
            Err(StorageError::SessionLimit { max, user_id }) => {
                self.detect_session_limit(user_id, max, 0).await;
                Err(EngineError::TooManySessions(max))
            }
            Err(StorageError::UserDisabled) => Err(EngineError::UserDisabled),
            Err(error @ StorageError::UnknownUser) => Err(EngineError::invalid(error.to_string())),
            Err(error) => Err(error.into()),
        }
    }
}

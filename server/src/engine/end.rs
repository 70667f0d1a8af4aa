//! Ending sessions: who ended it, why, and an audit record in the same transaction.

use super::{Engine, EngineError};
use crate::storage::{AuditEvent, SessionEnd};

/// Who acts on a session.
#[derive(Debug, Clone)]
pub enum Actor {
    /// A console user (an admin revoking, or a user ending their own), from the address they called from.
    User {
        id: i64,
        ip: Option<String>,
    },
    /// The session's own holder, through the app that created it.
    Holder {
        user_id: Option<i64>,
    },
    AdminToken {
        id: i64,
        name: String,
    },
    System,
}

impl Actor {
    pub fn audit_name(&self) -> String {
        match self {
            Actor::User { id, .. } => format!("user:{id}"),
            Actor::Holder { user_id: Some(id) } => format!("user:{id}"),
            Actor::Holder { user_id: None } => "guest".into(),
            Actor::AdminToken { id, name } => format!("admin_token:{id}:{name}"),
            Actor::System => "system".into(),
        }
    }

    fn ended_by(&self) -> &'static str {
        match self {
            Actor::User { .. } => "user",
            Actor::Holder { .. } => "holder",
            Actor::AdminToken { .. } => "admin_token",
            Actor::System => "system",
        }
    }

    fn ip(&self) -> Option<String> {
        match self {
            Actor::User { ip, .. } => ip.clone(),
            _ => None,
        }
    }

    fn user_id(&self) -> Option<i64> {
        match self {
            Actor::User { id, .. } => Some(*id),
            Actor::Holder { user_id } => *user_id,
            _ => None,
        }
    }
}

impl Engine {
    /// Ends one session; `status` is `revoked` or `expired`. False when it had already ended.
    pub async fn end_session(
        &self,
        session_id: &str,
        actor: Actor,
        status: &'static str,
        reason: &str,
    ) -> Result<bool, EngineError> {
        let now_ms = self.now_ms();
        let end = SessionEnd {
            status,
            ended_by: actor.ended_by(),
            ended_by_user_id: actor.user_id(),
            reason,
            now_ms,
        };
        let action = if status == "expired" { "session.expired" } else { "session.revoked" };
        let audit = AuditEvent {
            at_ms: now_ms,
            actor: actor.audit_name(),
            action,
            target: Some(format!("session:{session_id}")),
            reason: Some(reason.to_string()),
            ip: actor.ip(),
        };
        Ok(self.storage.end_session(session_id, &end, &audit).await?)
    }

    /// Revokes every active session of a user; returns the ids it ended.
    pub async fn revoke_user_sessions(
        &self,
        user_id: i64,
        actor: Actor,
        reason: &str,
    ) -> Result<Vec<String>, EngineError> {
        let now_ms = self.now_ms();
        let end = SessionEnd {
            status: "revoked",
            ended_by: actor.ended_by(),
            ended_by_user_id: actor.user_id(),
            reason,
            now_ms,
        };
        let audit = AuditEvent {
            at_ms: now_ms,
            actor: actor.audit_name(),
            action: "session.revoked",
            target: None,
            reason: Some(reason.to_string()),
            ip: actor.ip(),
        };
        Ok(self.storage.end_sessions_of_user(user_id, &end, &audit).await?)
    }

    /// Revokes every active session that exists now, except the one whose token hash is `keep` (the admin's
    /// own console session); returns how many ended.
    pub async fn revoke_all_active(
        &self,
        keep: Option<&[u8]>,
        actor: Actor,
        reason: &str,
    ) -> Result<u64, EngineError> {
        let now_ms = self.now_ms();
        let end = SessionEnd {
            status: "revoked",
            ended_by: actor.ended_by(),
            ended_by_user_id: actor.user_id(),
            reason,
            now_ms,
        };
        let audit = AuditEvent {
            at_ms: now_ms,
            actor: actor.audit_name(),
            action: "sessions.revoked_all",
            target: None,
            reason: None,
            ip: actor.ip(),
        };
        Ok(self.storage.end_all_active_sessions(keep, now_ms, &end, &audit).await?)
    }
}

//! Ending sessions: who ended it, why, and an audit record in the same transaction.

use app::end_cause::EndCause;
use app::model::SessionId;
use app::model::SessionStatus;

use super::{Audience, Engine, EngineError, Event};
use crate::storage::{
    expiry_cause, expiry_reason, AuditEvent, EndedBy, SessionEnd, SessionRow, UserSessions,
};

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
    /// Someone at the server's shell (`roster users disable`).
    Operator,
    System,
}

impl Actor {
    pub fn audit_name(&self) -> String {
        match self {
            Actor::User { id, .. } => format!("user:{id}"),
            Actor::Holder { user_id: Some(id) } => format!("user:{id}"),
            Actor::Holder { user_id: None } => "guest".into(),
            Actor::AdminToken { id, name } => format!("admin_token:{id}:{name}"),
            Actor::Operator => "operator".into(),
            Actor::System => "system".into(),
        }
    }

    fn ended_by(&self) -> EndedBy {
        match self {
            Actor::User { .. } => EndedBy::User,
            Actor::Holder { .. } => EndedBy::Holder,
            Actor::AdminToken { .. } => EndedBy::AdminToken,
            Actor::Operator | Actor::System => EndedBy::System,
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

    /// How a session this actor ends is recorded on the session row; `share_reason` tells its holder `reason`.
    pub(super) fn ending<'a>(
        &self,
        status: SessionStatus,
        reason: &'a str,
        share_reason: bool,
        now_ms: i64,
    ) -> SessionEnd<'a> {
        let cause = match self {
            Actor::Holder { .. } => EndCause::SignedOut,
            Actor::User { .. } | Actor::AdminToken { .. } | Actor::Operator => EndCause::EndedByAdmin,
            // The system ends sessions only by expiring them; which limit ran out is the caller's to say.
            Actor::System => EndCause::IdleTimeout,
        };
        SessionEnd {
            status,
            ended_by: self.ended_by(),
            ended_by_user_id: self.user_id(),
            ended_by_token_id: match self {
                Actor::AdminToken { id, .. } => Some(*id),
                _ => None,
            },
            reason,
            cause,
            share_reason,
            now_ms,
        }
    }

    /// The audit action of this actor ending a session: its holder signs out, anyone else revokes it.
    fn end_action(&self, status: SessionStatus) -> &'static str {
        match (self, status) {
            (_, SessionStatus::Expired) => "session.expired",
            (Actor::Holder { .. }, _) => "session.signed_out",
            _ => "session.revoked",
        }
    }

    /// The audit record of this actor's action.
    pub(super) fn audit(
        &self,
        action: &'static str,
        target: Option<String>,
        reason: Option<String>,
        at_ms: i64,
    ) -> AuditEvent {
        AuditEvent { at_ms, actor: self.audit_name(), action, target, reason, ip: self.ip() }
    }
}

impl Engine {
    /// Ends one session, as expired or revoked. False when it had already ended.
    pub async fn end_session(
        &self,
        session_id: &SessionId,
        actor: Actor,
        status: SessionStatus,
        reason: &str,
    ) -> Result<bool, EngineError> {
        let now_ms = self.now_ms();
        let action = actor.end_action(status);
        let target = Some(format!("session:{session_id}"));
        let audit = actor.audit(action, target, Some(reason.to_string()), now_ms);
        let end = actor.ending(status, reason, false, now_ms);
        self.end_one(session_id, &end, &audit).await
    }

    /// Marks a session whose deadline has passed as expired, saying which limit ran out.
    pub(super) async fn expire_session(&self, session: &SessionRow) -> Result<bool, EngineError> {
        let now_ms = self.now_ms();
        let cause = expiry_cause(session.expires_at, session.payload_expires_at, now_ms);
        let reason = expiry_reason(cause);
        let end = SessionEnd { cause, ..Actor::System.ending(SessionStatus::Expired, reason, false, now_ms) };
        let target = Some(format!("session:{}", session.id));
        let audit = Actor::System.audit("session.expired", target, Some(reason.to_string()), now_ms);
        self.end_one(&session.id, &end, &audit).await
    }

    async fn end_one(
        &self,
        session_id: &SessionId,
        end: &SessionEnd<'_>,
        audit: &AuditEvent,
    ) -> Result<bool, EngineError> {
        let ended = self.storage.end_session(session_id, end, audit).await?;
        if let Some(ended) = ended {
            self.events.publish(Event::sessions(Audience::owners([ended.user_id])));
        }
        Ok(ended.is_some())
    }

    /// Revokes every active session of a user; returns the ids it ended. `share_reason` tells the user why.
    pub async fn revoke_user_sessions(
        &self,
        user_id: i64,
        actor: Actor,
        reason: &str,
        share_reason: bool,
    ) -> Result<Vec<String>, EngineError> {
        self.end_user_sessions(&UserSessions::all_of(user_id), actor, reason, share_reason).await
    }

    /// A user signs out one of their own active sessions (from My sessions). False, and nothing written, when it
    /// is not theirs or not active: the caller says the same in both cases.
    pub async fn sign_out_own_session(
        &self,
        user_id: i64,
        session_id: &SessionId,
    ) -> Result<bool, EngineError> {
        match self.storage.session_by_id(session_id).await? {
            Some(row) if row.user_id == Some(user_id) && row.status == SessionStatus::Active => {
                let actor = Actor::Holder { user_id: Some(user_id) };
                self.end_session(session_id, actor, SessionStatus::Revoked, "signed out from My sessions")
                    .await
            }
            _ => Ok(false),
        }
    }

    /// The holder of `session` signs out everywhere else: their other active sessions in `app_id` (None: every
    /// app). A guest has no other sessions. Returns the ids it ended.
    pub async fn sign_out_other_sessions(
        &self,
        session: &SessionRow,
        app_id: Option<i64>,
    ) -> Result<Vec<String>, EngineError> {
        let Some(user_id) = session.user_id else {
            return Ok(Vec::new());
        };
        let scope = UserSessions { user_id, app_id, except: Some(&session.id) };
        self.end_user_sessions(
            &scope,
            Actor::Holder { user_id: Some(user_id) },
            "signed out from another session",
            false,
        )
        .await
    }

    async fn end_user_sessions(
        &self,
        scope: &UserSessions<'_>,
        actor: Actor,
        reason: &str,
        share_reason: bool,
    ) -> Result<Vec<String>, EngineError> {
        let now_ms = self.now_ms();
        let action = actor.end_action(SessionStatus::Revoked);
        let audit = actor.audit(action, None, Some(reason.to_string()), now_ms);
        let end = actor.ending(SessionStatus::Revoked, reason, share_reason, now_ms);
        let ended = self.storage.end_user_sessions(scope, &end, &audit).await?;
        if !ended.is_empty() {
            self.events.publish(Event::sessions(Audience::owners([Some(scope.user_id)])));
        }
        Ok(ended)
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
        let audit = actor.audit("sessions.revoked_all", None, None, now_ms);
        let end = actor.ending(SessionStatus::Revoked, reason, false, now_ms);
        let ended = self.storage.end_all_active_sessions(keep, now_ms, &end, &audit).await?;
        if ended > 0 {
            self.events.publish(Event::sessions(Audience::Everyone));
        }
        Ok(ended)
    }
}

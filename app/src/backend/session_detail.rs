use async_trait::async_trait;

use super::ClientInfo;
use crate::error::ConsoleError;
use crate::model::{CurrentUser, SessionId};
use crate::session_detail::{RevealedPayload, SessionDetail, TtlChange};

/// One session in full: its facts, its payload (revealed with an audit record), its expiry.
#[async_trait]
pub trait SessionDetailBackend: Send + Sync + 'static {
    /// One session in full, without its payload.
    async fn session_detail(
        &self,
        user: &CurrentUser,
        session_id: &SessionId,
    ) -> Result<SessionDetail, ConsoleError>;

    /// Decrypts a session's payload, after writing the audit event that says who read it.
    async fn reveal_payload(
        &self,
        user: &CurrentUser,
        session_id: &SessionId,
        client: &ClientInfo,
    ) -> Result<RevealedPayload, ConsoleError>;

    /// Sets an active session's expiry within the policy, audited; returns the new expiry.
    async fn update_ttl(
        &self,
        user: &CurrentUser,
        session_id: &SessionId,
        change: &TtlChange,
        client: &ClientInfo,
    ) -> Result<Option<i64>, ConsoleError>;
}

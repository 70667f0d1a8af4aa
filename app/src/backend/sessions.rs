use async_trait::async_trait;
use tower_sessions::session::Id;

use super::ClientInfo;
use crate::error::ConsoleError;
use crate::model::{CurrentUser, SessionId, SessionPage};
use crate::session_query::SessionQuery;

/// The Sessions console: every user's sessions, listed and ended.
#[async_trait]
pub trait SessionsBackend: Send + Sync + 'static {
    /// One page of every user's sessions; `current` is the console session making this request.
    async fn list_sessions(
        &self,
        user: &CurrentUser,
        query: &SessionQuery,
        current: Option<Id>,
    ) -> Result<SessionPage, ConsoleError>;

    /// Revokes one session, audited. Ending one that had already ended is not an error.
    async fn revoke_session(
        &self,
        user: &CurrentUser,
        session_id: &SessionId,
        client: &ClientInfo,
    ) -> Result<(), ConsoleError>;

    /// Revokes every active session except `current`, audited; returns how many ended.
    async fn kill_all_sessions(
        &self,
        user: &CurrentUser,
        current: Option<Id>,
        client: &ClientInfo,
    ) -> Result<u64, ConsoleError>;
}

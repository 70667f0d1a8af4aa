use async_trait::async_trait;
use tower_sessions::session::Id;

use crate::error::ConsoleError;
use crate::model::{CurrentUser, OwnSessions, SessionId};

/// The signed-in user's own sessions.
#[async_trait]
pub trait MySessionsBackend: Send + Sync + 'static {
    /// The user's own sessions; `current` is the console session making this request.
    async fn own_sessions(
        &self,
        user: &CurrentUser,
        current: Option<Id>,
    ) -> Result<OwnSessions, ConsoleError>;

    /// Ends one of the user's own sessions in any app, but not `current` (signing out of this browser is the
    /// header's Sign out). Another user's session, or one already ended, is refused with the same words.
    async fn sign_out_own(
        &self,
        user: &CurrentUser,
        current: Option<Id>,
        session_id: &SessionId,
    ) -> Result<(), ConsoleError>;

    /// Ends every other session of the user in every app; `current` stays. Returns how many ended.
    async fn sign_out_others(&self, user: &CurrentUser, current: Option<Id>) -> Result<usize, ConsoleError>;
}

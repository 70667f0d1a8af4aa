use async_trait::async_trait;
use tower_sessions::session::Id;

use crate::error::ConsoleError;
use crate::model::{CurrentUser, OwnSessionView};

/// The signed-in user's own sessions.
#[async_trait]
pub trait MySessionsBackend: Send + Sync + 'static {
    /// The user's own sessions; `current` is the console session making this request.
    async fn own_sessions(
        &self,
        user: &CurrentUser,
        current: Option<Id>,
    ) -> Result<Vec<OwnSessionView>, ConsoleError>;
}

//! Finding the live session a token names. Always read from the database, so a revocation on any node is
//! refused on the very next request.

use std::sync::Arc;

use app::model::SessionStatus;

use super::{Engine, EngineError, SessionEnding};
use crate::storage::expiry_cause;
use crate::storage::SessionRow;

impl Engine {
    /// The active session with this token hash (of this app, when given). A session past its deadline is
    /// marked expired here, so it is refused even before the sweep reaches it.
    pub async fn live_session(
        &self,
        token_hash: &[u8],
        app_id: Option<i64>,
    ) -> Result<Arc<SessionRow>, EngineError> {
        let session = self
            .cache
            .session(&self.storage, token_hash, self.now_ms())
            .await?
            .filter(|session| app_id.is_none_or(|app| session.app_id == app))
            .ok_or(EngineError::SessionNotFound)?;
        match session.status {
            SessionStatus::Active => {}
            SessionStatus::Revoked | SessionStatus::Expired => {
                return Err(EngineError::SessionEnded(SessionEnding::of(&session)))
            }
        }
        let now_ms = self.now_ms();
        if session.deadline_at.is_some_and(|deadline| deadline <= now_ms) {
            self.expire_session(&session).await?;
            let cause = expiry_cause(session.expires_at, session.payload_expires_at, now_ms);
            return Err(EngineError::SessionEnded(SessionEnding::new("expired", Some(cause))));
        }
        Ok(session)
    }

    /// A validation: the live session, counted as activity (written in batches, not per request).
    pub async fn validate(&self, token_hash: &[u8], app_id: i64) -> Result<Arc<SessionRow>, EngineError> {
        self.validate_reporting(token_hash, app_id, None).await
    }

    /// A validation that also reports what the user is doing (`page`, checked by the caller): kept as the
    /// session's last page with the next activity write.
    pub async fn validate_reporting(
        &self,
        token_hash: &[u8],
        app_id: i64,
        page: Option<&str>,
    ) -> Result<Arc<SessionRow>, EngineError> {
        let session = self.live_session(token_hash, Some(app_id)).await?;
        self.activity.record(&session.id, self.now_ms(), page);
        Ok(session)
    }
}

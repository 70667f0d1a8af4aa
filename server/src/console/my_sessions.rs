//! "My sessions": the signed-in user's own sessions in every app.

use async_trait::async_trait;
use tower_sessions::session::Id;

use app::backend::MySessionsBackend;
use app::model::{CurrentUser, OwnSessionView, SessionId};
use app::ConsoleError;

use super::{device_label, token_hash, Console};

#[async_trait]
impl MySessionsBackend for Console {
    async fn own_sessions(
        &self,
        user: &CurrentUser,
        current: Option<Id>,
    ) -> Result<Vec<OwnSessionView>, ConsoleError> {
        let current_hash = current.map(|id| token_hash(&id));
        let rows = self.engine.active_sessions_of_user(user.id, None).await?;
        Ok(rows
            .into_iter()
            .map(|row| OwnSessionView {
                is_current: current_hash.as_deref() == Some(row.token_hash.as_slice()),
                device: device_label(&row),
                id: row.id.into_string(),
                app_id: row.app_slug,
                ip: row.ip,
                created_at_ms: row.created_at,
                last_active_at_ms: row.last_active_at,
                expires_at_ms: row.expires_at,
                remember_me: row.remember_me != 0,
            })
            .collect())
    }

    async fn sign_out_own(
        &self,
        user: &CurrentUser,
        current: Option<Id>,
        session_id: &SessionId,
    ) -> Result<(), ConsoleError> {
        let refused = || ConsoleError::invalid("That is not one of your active sessions.");
        if let Some(current) = current {
            let this_browser = self.engine.live_session(&token_hash(&current), None).await?;
            if &this_browser.id == session_id {
                return Err(ConsoleError::invalid("To sign out of this browser, use Sign out at the top."));
            }
        }
        match self.engine.sign_out_own_session(user.id, session_id).await? {
            true => Ok(()),
            false => Err(refused()),
        }
    }

    async fn sign_out_others(&self, user: &CurrentUser, current: Option<Id>) -> Result<usize, ConsoleError> {
        let current = current.ok_or(ConsoleError::NotSignedIn)?;
        let this_browser = self.engine.live_session(&token_hash(&current), None).await?;
        if this_browser.user_id != Some(user.id) {
            return Err(ConsoleError::NotSignedIn);
        }
        Ok(self.engine.sign_out_other_sessions(&this_browser, None).await?.len())
    }
}

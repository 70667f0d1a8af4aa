//! "My sessions": the signed-in user's own sessions in every app.

use async_trait::async_trait;
use tower_sessions::session::Id;

use app::backend::MySessionsBackend;
use app::model::{CurrentUser, OwnSessionView};
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
}

//! "My sessions": the signed-in user's own sessions in every app.

use async_trait::async_trait;
use tower_sessions::session::Id;

use app::backend::MySessionsBackend;
use app::model::{CurrentUser, OwnSessionView, OwnSessions, SessionId, WarningSign};
use app::own_session::{MANY_ADDRESSES, WARNING_WINDOW_MS};
use app::ConsoleError;

use super::labels::{browser_on_system, browser_with_version, system_with_version};
use super::{token_hash, Console};
use crate::storage::OwnSessionRow;

#[async_trait]
impl MySessionsBackend for Console {
    async fn own_sessions(
        &self,
        user: &CurrentUser,
        current: Option<Id>,
    ) -> Result<OwnSessions, ConsoleError> {
        let current_hash = current.map(|id| token_hash(&id));
        let now_ms = self.engine.now_ms();
        let rows = self.engine.own_sessions(user.id).await?;
        let sessions = rows
            .into_iter()
            .map(|row| OwnSessionView {
                is_current: current_hash.as_deref() == Some(row.session.token_hash.as_slice()),
                warnings: warning_signs(&row, now_ms),
                device_name: browser_on_system(&row.session),
                browser: browser_with_version(&row.session),
                system: system_with_version(&row.session),
                sign_ins_from_device: row.device_sign_ins,
                network: self.engine.network_of(row.session.ip.as_deref()),
                id: row.session.id.into_string(),
                app_name: row.session.app_name,
                device_type: row.session.device,
                city: row.session.city,
                country: row.session.country,
                ip: row.session.ip,
                created_at_ms: row.session.created_at,
                last_active_at_ms: row.session.last_active_at,
                expires_at_ms: row.session.expires_at,
                remember_me: row.session.remember_me != 0,
                requests: row.session.validation_count,
                last_page: row.session.last_activity,
            })
            .collect();
        Ok(OwnSessions { now_ms, sessions })
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

fn warning_signs(row: &OwnSessionRow, now_ms: i64) -> Vec<WarningSign> {
    [
        (row.new_location != 0, WarningSign::NewLocation),
        (row.new_device != 0, WarningSign::NewDevice),
        (row.session.created_at < now_ms - WARNING_WINDOW_MS, WarningSign::OldSession),
        (row.addresses >= MANY_ADDRESSES, WarningSign::ManyAddresses),
    ]
    .into_iter()
    .filter_map(|(raised, sign)| raised.then_some(sign))
    .collect()
}

//! The server's side of `app::backend::ConsoleBackend`: what the console's server functions ask of storage.

use async_trait::async_trait;

use app::backend::{ClientInfo, ConsoleBackend};
use app::model::{CurrentUser, OwnSessionView, Role, SessionPage};
use app::session_detail::{ExportFormat, RevealedPayload, SessionDetail, TtlChange};
use app::session_query::SessionQuery;
use app::ConsoleError;

use crate::clock::SharedClock;
use crate::console_store::token_hash;
use crate::engine::Engine;
use crate::passwords::verify_password;
use crate::policy::{LOCK_MINUTES, SIGN_IN_FAILURES_BEFORE_LOCK};
use crate::secrets::{new_error_reference, Secret};
use crate::storage::{AuditEvent, SessionRow, Storage, UserRow};
use crate::{console_detail, console_export, console_sessions};

pub struct StorageBackend {
    engine: Engine,
    storage: Storage,
    clock: SharedClock,
}

impl StorageBackend {
    pub fn new(engine: Engine) -> Self {
        StorageBackend { storage: engine.storage.clone(), clock: engine.clock.clone(), engine }
    }

    fn event(&self, actor: String, action: &'static str, client: &ClientInfo) -> AuditEvent {
        AuditEvent {
            at_ms: self.clock.now_ms(),
            actor,
            action,
            target: None,
            reason: None,
            ip: client.ip.clone(),
        }
    }
}

/// Logs the real cause under a reference and gives the person a message with that reference; a busy database
/// is told as such, since a retry helps there.
pub fn internal(cause: impl std::fmt::Display + 'static) -> ConsoleError {
    let any = &cause as &dyn std::any::Any;
    let busy = any.downcast_ref::<crate::storage::StorageError>().is_some_and(|error| error.is_busy())
        || any.downcast_ref::<crate::engine::EngineError>().is_some_and(|error| error.is_busy());
    if busy {
        tracing::warn!("the database was busy: {cause}");
        return ConsoleError::Busy;
    }
    let reference = new_error_reference();
    tracing::error!(%reference, "{cause}");
    ConsoleError::Internal { reference }
}

fn current_user(row: &UserRow) -> Option<CurrentUser> {
    Some(CurrentUser {
        id: row.id,
        email: row.email.clone(),
        display_name: row.display_name.clone(),
        role: Role::parse(&row.role)?,
    })
}

/// "Chrome 120 on Windows 10", or None when the user agent told nothing.
pub fn device_label(row: &SessionRow) -> Option<String> {
    let browser = row.browser.as_ref().map(|name| match &row.browser_version {
        Some(version) => format!("{name} {}", version.split('.').next().unwrap_or(version)),
        None => name.clone(),
    });
    match (browser, &row.os) {
        (Some(browser), Some(os)) => Some(format!("{browser} on {os}")),
        (Some(browser), None) => Some(browser),
        (None, Some(os)) => Some(os.clone()),
        (None, None) => None,
    }
}

fn minutes_until(now_ms: i64, until_ms: i64) -> i64 {
    ((until_ms - now_ms).max(0) + 59_999) / 60_000
}

#[async_trait]
impl ConsoleBackend for StorageBackend {
    async fn sign_in(
        &self,
        email: &str,
        password: &str,
        client: &ClientInfo,
    ) -> Result<CurrentUser, ConsoleError> {
        let now_ms = self.clock.now_ms();
        let failures = self.storage.sign_in_failures(email).await.map_err(internal)?;
        let actor = format!("email:{}", email.trim().to_lowercase());
        if let Some(until) = failures.locked_until.filter(|until| *until > now_ms) {
            self.storage
                .record_audit(&self.event(actor, "sign_in.locked_out", client))
                .await
                .map_err(internal)?;
            return Err(ConsoleError::LockedOut { minutes: minutes_until(now_ms, until) });
        }
        let user = self.storage.user_by_email(email).await.map_err(internal)?;
        let password = Secret::new(password.to_owned());
        let stored_hash = user.as_ref().and_then(|user| user.password_hash.clone());
        let matched = verify_password(stored_hash, &password).await;
        // A match needs a stored hash, so it always comes with its user.
        if let Some(user) = user.filter(|_| matched) {
            let actor = format!("user:{}", user.id);
            if user.disabled != 0 {
                self.storage
                    .record_audit(&self.event(actor, "sign_in.disabled", client))
                    .await
                    .map_err(internal)?;
                return Err(ConsoleError::AccountDisabled);
            }
            let signed_in = current_user(&user)
                .ok_or_else(|| internal(format!("user {} has an unknown role", user.id)))?;
            self.storage.clear_sign_in_failures(email).await.map_err(internal)?;
            self.storage.record_audit(&self.event(actor, "sign_in", client)).await.map_err(internal)?;
            return Ok(signed_in);
        }
        let lock_until = now_ms + LOCK_MINUTES * 60_000;
        let counted = self
            .storage
            .record_sign_in_failure(email, SIGN_IN_FAILURES_BEFORE_LOCK, lock_until)
            .await
            .map_err(internal)?;
        let mut event = self.event(actor, "sign_in.failed", client);
        event.reason = Some(format!("failure {} in a row", counted.failures));
        self.storage.record_audit(&event).await.map_err(internal)?;
        match counted.locked_until {
            Some(until) if until > now_ms => {
                Err(ConsoleError::LockedOut { minutes: minutes_until(now_ms, until) })
            }
            _ => Err(ConsoleError::InvalidCredentials),
        }
    }

    async fn user(&self, user_id: i64) -> Result<Option<CurrentUser>, ConsoleError> {
        let row = self.storage.user_by_id(user_id).await.map_err(internal)?;
        Ok(row.filter(|row| row.disabled == 0).as_ref().and_then(current_user))
    }

    async fn record_refusal(
        &self,
        user: Option<&CurrentUser>,
        action: &str,
        client: &ClientInfo,
    ) -> Result<(), ConsoleError> {
        let actor = user.map_or_else(|| "anonymous".to_string(), |user| format!("user:{}", user.id));
        let mut event = self.event(actor, "access.refused", client);
        event.target = Some(action.to_string());
        self.storage.record_audit(&event).await.map_err(internal)?;
        Ok(())
    }

    async fn own_sessions(
        &self,
        user: &CurrentUser,
        current: Option<tower_sessions::session::Id>,
    ) -> Result<Vec<OwnSessionView>, ConsoleError> {
        let current_hash = current.map(|id| token_hash(&id));
        let rows =
            self.storage.active_sessions_of_user(user.id, self.clock.now_ms()).await.map_err(internal)?;
        Ok(rows
            .into_iter()
            .map(|row| OwnSessionView {
                is_current: current_hash.as_deref() == Some(row.token_hash.as_slice()),
                device: device_label(&row),
                id: row.id,
                app_id: row.app_slug,
                ip: row.ip,
                created_at_ms: row.created_at,
                last_active_at_ms: row.last_active_at,
                expires_at_ms: row.expires_at,
                remember_me: row.remember_me != 0,
            })
            .collect())
    }

    async fn list_sessions(
        &self,
        user: &CurrentUser,
        query: &SessionQuery,
        current: Option<tower_sessions::session::Id>,
    ) -> Result<SessionPage, ConsoleError> {
        console_sessions::page(&self.engine, user, query, current.map(|id| token_hash(&id))).await
    }

    async fn revoke_session(
        &self,
        user: &CurrentUser,
        session_id: &str,
        client: &ClientInfo,
    ) -> Result<(), ConsoleError> {
        console_sessions::revoke(&self.engine, user, session_id, client.ip.as_deref()).await
    }

    async fn kill_all_sessions(
        &self,
        user: &CurrentUser,
        current: Option<tower_sessions::session::Id>,
        client: &ClientInfo,
    ) -> Result<u64, ConsoleError> {
        console_sessions::kill_all(
            &self.engine,
            user,
            current.map(|id| token_hash(&id)),
            client.ip.as_deref(),
        )
        .await
    }

    async fn session_detail(
        &self,
        user: &CurrentUser,
        session_id: &str,
    ) -> Result<SessionDetail, ConsoleError> {
        console_detail::detail(&self.engine, user, session_id).await
    }

    async fn reveal_payload(
        &self,
        user: &CurrentUser,
        session_id: &str,
        client: &ClientInfo,
    ) -> Result<RevealedPayload, ConsoleError> {
        console_detail::reveal(&self.engine, user, session_id, client).await
    }

    async fn update_ttl(
        &self,
        user: &CurrentUser,
        session_id: &str,
        change: &TtlChange,
        client: &ClientInfo,
    ) -> Result<Option<i64>, ConsoleError> {
        console_detail::update_ttl(&self.engine, user, session_id, change, client).await
    }

    async fn export_page(
        &self,
        user: &CurrentUser,
        query: &SessionQuery,
        format: ExportFormat,
        client: &ClientInfo,
    ) -> Result<String, ConsoleError> {
        console_export::export_page(&self.engine, user, query, format, client).await
    }
}

#[cfg(test)]
mod tests {
    use super::minutes_until;

    #[test]
    fn lock_minutes_round_up() {
        assert_eq!(minutes_until(0, 15 * 60_000), 15);
        assert_eq!(minutes_until(0, 60_001), 2);
        assert_eq!(minutes_until(10, 0), 0);
    }
}

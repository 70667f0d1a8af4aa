//! Console sign-in under the lock-out policy, the user behind a console session, and audited refusals.

use async_trait::async_trait;

use app::backend::{ClientInfo, SignInBackend};
use app::end_cause::SignOutNotice;
use app::model::{CurrentUser, SessionStatus};
use app::ConsoleError;

use super::store::OWN_SIGN_OUT;
use super::{token_hash, Console};
use crate::engine::{SessionEnding, SignInRefusal};
use crate::secrets::Secret;
use crate::storage::{AuditEvent, UserRow, CONSOLE_APP};

fn current_user(row: &UserRow) -> CurrentUser {
    CurrentUser {
        id: row.id,
        email: row.email.clone(),
        display_name: row.display_name.clone(),
        role: row.role,
    }
}

/// A sign-out is explained for a week; after that, the sign-in page is plain again.
const NOTICE_FOR_MS: i64 = 7 * 24 * 60 * 60 * 1000;

fn minutes_until(now_ms: i64, until_ms: i64) -> i64 {
    ((until_ms - now_ms).max(0) + 59_999) / 60_000
}

#[async_trait]
impl SignInBackend for Console {
    async fn sign_in(
        &self,
        email: &str,
        password: &str,
        client: &ClientInfo,
    ) -> Result<CurrentUser, ConsoleError> {
        let password = Secret::from(password.to_owned());
        match self.engine.check_console_password(email, &password, client.ip.as_deref()).await? {
            Ok(user) => Ok(current_user(&user)),
            // The same words for both: the reply does not tell an attacker which limit they met.
            Err(SignInRefusal::LockedOut { until_ms } | SignInRefusal::Throttled { until_ms }) => {
                Err(ConsoleError::LockedOut { minutes: minutes_until(self.engine.now_ms(), until_ms) })
            }
            Err(SignInRefusal::Disabled) => Err(ConsoleError::AccountDisabled),
            Err(SignInRefusal::InvalidCredentials) => Err(ConsoleError::InvalidCredentials),
        }
    }

    async fn sign_out_notice(&self, cookie_value: &str) -> Result<Option<SignOutNotice>, ConsoleError> {
        let Ok(id) = cookie_value.parse::<tower_sessions::session::Id>() else {
            return Ok(None);
        };
        let Some(session) = self.engine.session_by_token_hash(&token_hash(&id)).await? else {
            return Ok(None);
        };
        let recent = session.ended_at.is_some_and(|at| self.engine.now_ms() - at <= NOTICE_FOR_MS);
        let own_sign_out = session.end_reason.as_deref() == Some(OWN_SIGN_OUT);
        if session.app_slug != CONSOLE_APP
            || session.status == SessionStatus::Active
            || !recent
            || own_sign_out
        {
            return Ok(None);
        }
        let ending = SessionEnding::of(&session);
        Ok(ending.cause.map(|cause| SignOutNotice {
            cause,
            ended_at_ms: session.ended_at.unwrap_or_default(),
            reason: ending.shared_reason,
            idle_timeout_secs: session.idle_timeout_secs,
        }))
    }

    async fn remember_me_allowed(&self) -> Result<bool, ConsoleError> {
        Ok(self.engine.policy().await?.allow_remember_me)
    }

    async fn user(&self, user_id: i64) -> Result<Option<CurrentUser>, ConsoleError> {
        let row = self.engine.user_by_id(user_id).await?;
        Ok(row.filter(|row| row.disabled == 0).as_ref().map(current_user))
    }

    async fn record_refusal(
        &self,
        user: Option<&CurrentUser>,
        action: &str,
        client: &ClientInfo,
    ) -> Result<(), ConsoleError> {
        let Some(user) = user else {
            self.engine.anonymous_refusals.note(client.ip.as_deref(), action, self.engine.now_ms());
            return Ok(());
        };
        let event = AuditEvent {
            at_ms: self.engine.now_ms(),
            actor: format!("user:{}", user.id),
            action: "access.refused",
            target: Some(action.to_string()),
            reason: None,
            ip: client.ip.clone(),
        };
        self.engine.record_audit(&event).await?;
        Ok(())
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

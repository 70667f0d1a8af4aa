//! Console sign-in under the lock-out policy, the user behind a console session, and audited refusals.

use async_trait::async_trait;

use app::backend::{ClientInfo, SignInBackend};
use app::model::CurrentUser;
use app::ConsoleError;

use super::Console;
use crate::engine::SignInRefusal;
use crate::secrets::Secret;
use crate::storage::{AuditEvent, UserRow};

fn current_user(row: &UserRow) -> CurrentUser {
    CurrentUser {
        id: row.id,
        email: row.email.clone(),
        display_name: row.display_name.clone(),
        role: row.role,
    }
}

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

//! Console sign-in under the lock-out policy, the user behind a console session, and audited refusals.

use async_trait::async_trait;

use app::backend::{ClientInfo, SignInBackend};
use app::model::{CurrentUser, Role};
use app::ConsoleError;

use super::{internal, Console};
use crate::passwords::verify_password;
use crate::policy::{LOCK_MINUTES, SIGN_IN_FAILURES_BEFORE_LOCK};
use crate::secrets::Secret;
use crate::storage::{AuditEvent, UserRow};

impl Console {
    fn event(&self, actor: String, action: &'static str, client: &ClientInfo) -> AuditEvent {
        AuditEvent {
            at_ms: self.engine.now_ms(),
            actor,
            action,
            target: None,
            reason: None,
            ip: client.ip.clone(),
        }
    }
}

fn current_user(row: &UserRow) -> Option<CurrentUser> {
    Some(CurrentUser {
        id: row.id,
        email: row.email.clone(),
        display_name: row.display_name.clone(),
        role: Role::parse(&row.role)?,
    })
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
        let now_ms = self.engine.now_ms();
        let failures = self.engine.storage.sign_in_failures(email).await?;
        let actor = format!("email:{}", email.trim().to_lowercase());
        if let Some(until) = failures.locked_until.filter(|until| *until > now_ms) {
            self.engine.storage.record_audit(&self.event(actor, "sign_in.locked_out", client)).await?;
            return Err(ConsoleError::LockedOut { minutes: minutes_until(now_ms, until) });
        }
        let user = self.engine.storage.user_by_email(email).await?;
        let password = Secret::new(password.to_owned());
        let stored_hash = user.as_ref().and_then(|user| user.password_hash.clone());
        let matched = verify_password(stored_hash, &password).await;
        // A match needs a stored hash, so it always comes with its user.
        if let Some(user) = user.filter(|_| matched) {
            let actor = format!("user:{}", user.id);
            if user.disabled != 0 {
                self.engine.storage.record_audit(&self.event(actor, "sign_in.disabled", client)).await?;
                return Err(ConsoleError::AccountDisabled);
            }
            let signed_in = current_user(&user)
                .ok_or_else(|| internal(format!("user {} has an unknown role", user.id)))?;
            self.engine.storage.clear_sign_in_failures(email).await?;
            self.engine.storage.record_audit(&self.event(actor, "sign_in", client)).await?;
            return Ok(signed_in);
        }
        let lock_until = now_ms + LOCK_MINUTES * 60_000;
        let counted = self
            .engine
            .storage
            .record_sign_in_failure(email, SIGN_IN_FAILURES_BEFORE_LOCK, lock_until)
            .await?;
        let mut event = self.event(actor, "sign_in.failed", client);
        event.reason = Some(format!("failure {} in a row", counted.failures));
        self.engine.storage.record_audit(&event).await?;
        match counted.locked_until {
            Some(until) if until > now_ms => {
                Err(ConsoleError::LockedOut { minutes: minutes_until(now_ms, until) })
            }
            _ => Err(ConsoleError::InvalidCredentials),
        }
    }

    async fn user(&self, user_id: i64) -> Result<Option<CurrentUser>, ConsoleError> {
        let row = self.engine.storage.user_by_id(user_id).await?;
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
        self.engine.storage.record_audit(&event).await?;
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

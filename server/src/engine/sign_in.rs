//! Console passwords under the lock-out policy: every attempt is audited (the typed email, never the password).

use super::{Engine, EngineError};
use crate::passwords::verify_password;
use crate::policy::{LOCK_MINUTES, SIGN_IN_FAILURES_BEFORE_LOCK};
use crate::secrets::Secret;
use crate::storage::{AuditEvent, UserRow};

/// Why a sign-in was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInRefusal {
    /// Too many failures in a row; no password is checked until then.
    LockedOut { until_ms: i64 },
    /// The password was right, but the account is disabled.
    Disabled,
    /// Unknown email or wrong password (the reply does not say which).
    InvalidCredentials,
}

impl Engine {
    fn sign_in_event(&self, actor: String, action: &'static str, ip: Option<&str>) -> AuditEvent {
        AuditEvent {
            at_ms: self.now_ms(),
            actor,
            action,
            target: None,
            reason: None,
            ip: ip.map(str::to_owned),
        }
    }

    /// Checks a console password; the user on success.
    pub async fn check_console_password(
        &self,
        email: &str,
        password: &Secret,
        ip: Option<&str>,
    ) -> Result<Result<UserRow, SignInRefusal>, EngineError> {
        let now_ms = self.now_ms();
        let failures = self.storage.sign_in_failures(email).await?;
        let actor = format!("email:{}", email.trim().to_lowercase());
        if let Some(until_ms) = failures.locked_until.filter(|until| *until > now_ms) {
            self.storage.record_audit(&self.sign_in_event(actor, "sign_in.locked_out", ip)).await?;
            return Ok(Err(SignInRefusal::LockedOut { until_ms }));
        }
        let user = self.storage.user_by_email(email).await?;
        let stored_hash = user.as_ref().and_then(|user| user.password_hash.0.clone());
        let matched = verify_password(stored_hash, password).await;
        // A match needs a stored hash, so it always comes with its user.
        if let Some(user) = user.filter(|_| matched) {
            let actor = format!("user:{}", user.id);
            if user.disabled != 0 {
                self.storage.record_audit(&self.sign_in_event(actor, "sign_in.disabled", ip)).await?;
                return Ok(Err(SignInRefusal::Disabled));
            }
            self.storage.clear_sign_in_failures(email).await?;
            self.storage.record_audit(&self.sign_in_event(actor, "sign_in", ip)).await?;
            return Ok(Ok(user));
        }
        let lock_until = now_ms + LOCK_MINUTES * 60_000;
        let counted =
            self.storage.record_sign_in_failure(email, SIGN_IN_FAILURES_BEFORE_LOCK, lock_until).await?;
        let mut event = self.sign_in_event(actor, "sign_in.failed", ip);
        event.reason = Some(format!("failure {} in a row", counted.failures));
        self.storage.record_audit(&event).await?;
        Ok(Err(match counted.locked_until {
            Some(until_ms) if until_ms > now_ms => SignInRefusal::LockedOut { until_ms },
            _ => SignInRefusal::InvalidCredentials,
        }))
    }
}

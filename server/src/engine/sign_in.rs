//! Console passwords under the lock-out policy. Every password checked is audited (the typed email, never the
//! password); attempts refused without a check, during a lock-out or over the address's allowance, are tallied
//! per address and minute like other anonymous refusals, so a flood cannot grow the audit chain per request.

use super::{Engine, EngineError};
use crate::policy::{LOCK_MINUTES, SIGN_IN_FAILURES_BEFORE_LOCK};
use crate::secrets::Secret;
use crate::storage::{AuditEvent, SignInAttempt, UserRow};

/// Why a sign-in was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInRefusal {
    /// Too many failures in a row; no password is checked until then.
    LockedOut { until_ms: i64 },
    /// Too many attempts from this address, whatever emails they named; no password is checked until then.
    Throttled { until_ms: i64 },
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

    /// Checks a console password; the user on success. The attempt is counted before the password is checked,
    /// so however many arrive at once, at most `SIGN_IN_FAILURES_BEFORE_LOCK` passwords are checked per lock.
    pub async fn check_console_password(
        &self,
        email: &str,
        password: &Secret,
        ip: Option<&str>,
    ) -> Result<Result<UserRow, SignInRefusal>, EngineError> {
        let now_ms = self.now_ms();
        let actor = format!("email:{}", email.trim().to_lowercase());
        let place = match self.sign_in_throttle.take(ip, now_ms) {
            Ok(place) => place,
            Err(until_ms) => {
                self.anonymous_refusals.note(ip, "sign_in.throttled", now_ms);
                return Ok(Err(SignInRefusal::Throttled { until_ms }));
            }
        };
        let lock_until = now_ms + LOCK_MINUTES * 60_000;
        let attempt = self
            .storage
            .claim_sign_in_attempt(email, SIGN_IN_FAILURES_BEFORE_LOCK, now_ms, lock_until)
            .await?;
        let (failures, locks_at) = match attempt {
            SignInAttempt::Locked { until_ms } => {
                self.anonymous_refusals.note(ip, "sign_in.locked_out", now_ms);
                return Ok(Err(SignInRefusal::LockedOut { until_ms }));
            }
            SignInAttempt::Allowed { failures, locks_at } => (failures, locks_at),
        };
        let user = self.storage.user_by_email(email).await?;
        let stored_hash = user.as_ref().and_then(|user| user.password_hash.0.clone());
        let matched = match self.password_checks.verify(stored_hash, password).await {
            Ok(matched) => matched,
            Err(busy) => {
                // Counted towards the lock all the same: a flood is what fills the queue.
                self.sign_in_throttle.give_back(place);
                return Err(EngineError::Busy(busy.to_string()));
            }
        };
        // A match needs a stored hash, so it always comes with its user.
        if let Some(user) = user.filter(|_| matched) {
            self.sign_in_throttle.give_back(place);
            self.storage.clear_sign_in_failures(email).await?;
            let actor = format!("user:{}", user.id);
            if user.disabled != 0 {
                self.storage.record_audit(&self.sign_in_event(actor, "sign_in.disabled", ip)).await?;
                return Ok(Err(SignInRefusal::Disabled));
            }
            self.storage.record_audit(&self.sign_in_event(actor, "sign_in", ip)).await?;
            return Ok(Ok(user));
        }
        let action = if locks_at.is_some() { "sign_in.locked" } else { "sign_in.failed" };
        let mut event = self.sign_in_event(actor, action, ip);
        event.reason = Some(match locks_at {
            Some(_) => format!("failure {failures} in a row: locked for {LOCK_MINUTES} minutes"),
            None => format!("failure {failures} in a row"),
        });
        self.storage.record_audit(&event).await?;
        if locks_at.is_some() {
            self.detect_lock_out(email, failures, LOCK_MINUTES).await;
        }
        Ok(Err(match locks_at {
            Some(until_ms) => SignInRefusal::LockedOut { until_ms },
            None => SignInRefusal::InvalidCredentials,
        }))
    }
}

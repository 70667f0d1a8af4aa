//! Console passwords: argon2id hashes, verified off the async runtime because each check costs tens of
//! milliseconds of CPU on purpose.

use secrecy::ExposeSecret;
use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::secrets::Secret;

pub use app::api::auth::MIN_PASSWORD_CHARS;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasswordError {
    #[error("Passwords must have at least {MIN_PASSWORD_CHARS} characters.")]
    TooShort,
    #[error("Passwords must have at most 1024 characters.")]
    TooLong,
    #[error("the password could not be hashed: {0}")]
    Hashing(String),
}

/// Checks the policy, then hashes with argon2id and a random salt.
pub fn hash_password(password: &Secret) -> Result<String, PasswordError> {
    let length = password.expose_secret().chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    if length > 1024 {
        return Err(PasswordError::TooLong);
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose_secret().as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| PasswordError::Hashing(error.to_string()))
}

/// Too many password checks are already waiting: the caller should answer "busy, try again".
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many password checks are waiting")]
pub struct PasswordChecksBusy;

/// Each check holds ~19 MiB and tens of milliseconds of a core: a bounded number run at once, and at most
/// this many per running check wait; the rest are refused at once rather than queued without bound.
const WAITING_PER_CHECK: usize = 4;

/// The server's password checks: a few run at once (one core fewer than the machine has), a few wait, the rest
/// are refused.
#[derive(Clone)]
pub struct PasswordChecks {
    running: std::sync::Arc<tokio::sync::Semaphore>,
    waiting_limit: usize,
    waiting: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl std::fmt::Debug for PasswordChecks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordChecks").field("waiting_limit", &self.waiting_limit).finish_non_exhaustive()
    }
}

impl Default for PasswordChecks {
    /// One core is always left to everything else: with every core hashing, a flood of wrong passwords slowed
    /// revocations from 8 ms to 116 ms (p95, `make bench-flood`, 2 cores).
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        PasswordChecks::new(cores.saturating_sub(1).max(1))
    }
}

impl PasswordChecks {
    pub fn new(at_once: usize) -> PasswordChecks {
        PasswordChecks {
            running: std::sync::Arc::new(tokio::sync::Semaphore::new(at_once)),
            waiting_limit: at_once * WAITING_PER_CHECK,
            waiting: Default::default(),
        }
    }

    /// True when `password` matches `stored` (see `verify_password`), or busy when too many checks wait.
    pub async fn verify(
        &self,
        stored: Option<Secret>,
        password: &Secret,
    ) -> Result<bool, PasswordChecksBusy> {
        use std::sync::atomic::Ordering;
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.waiting_limit {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(PasswordChecksBusy);
        }
        let permit = self.running.acquire().await;
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        let Ok(_permit) = permit else {
            return Err(PasswordChecksBusy);
        };
        Ok(verify_password(stored, password).await)
    }
}

/// True when `password` matches `stored`. With no stored hash (unknown email, no console password) a fixed
/// dummy hash is checked instead, so the answer takes as long as a real check and timing reveals nothing.
pub async fn verify_password(stored: Option<Secret>, password: &Secret) -> bool {
    let candidate = password.expose_secret().to_owned();
    tokio::task::spawn_blocking(move || {
        let has_real_hash = stored.is_some();
        let encoded = stored.map_or_else(|| dummy_hash().to_owned(), |hash| hash.expose_secret().to_owned());
        let Ok(parsed) = PasswordHash::new(&encoded) else {
            return false;
        };
        let matches = Argon2::default().verify_password(candidate.as_bytes(), &parsed).is_ok();
        matches && has_real_hash
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"roster-dummy-password-for-timing", &salt)
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hash = hash_password(&Secret::from("correct horse battery")).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        let (right, wrong) = (Secret::from("correct horse battery"), Secret::from("correct horse battery!"));
        assert!(verify_password(Some(Secret::from(hash.clone())), &right).await);
        assert!(!verify_password(Some(Secret::from(hash)), &wrong).await);
        assert!(!verify_password(None, &Secret::from("roster-dummy-password-for-timing")).await);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_flood_of_checks_is_refused_instead_of_queued_without_bound() {
        let hash = hash_password(&Secret::from("correct horse battery")).unwrap();
        let checks = PasswordChecks::new(2);
        let guess = Secret::from("wrong guess!");
        let flood = (0..200).map(|_| checks.verify(Some(Secret::from(hash.clone())), &guess));
        let outcomes = futures::future::join_all(flood).await;
        let admitted = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
        // The running and the waiting checks get through; every other one is refused at once.
        assert_eq!(admitted, 2 + 2 * WAITING_PER_CHECK, "{admitted} checks admitted");
        assert!(outcomes.iter().all(|outcome| *outcome != Ok(true)));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(hash_password(&Secret::from("elevenchars")), Err(PasswordError::TooShort));
    }
}

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
        assert!(
            verify_password(Some(Secret::from(hash.clone())), &Secret::from("correct horse battery")).await
        );
        assert!(!verify_password(Some(Secret::from(hash)), &Secret::from("correct horse battery!")).await);
        assert!(!verify_password(None, &Secret::from("roster-dummy-password-for-timing")).await);
    }

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(hash_password(&Secret::from("elevenchars")), Err(PasswordError::TooShort));
    }
}

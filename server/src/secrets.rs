//! Random identifiers and the one-way forms of secrets. Secrets live in types that neither serialize nor print.

use app::model::SessionId;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A public session id: 128 random bits as 32 lowercase hex characters.
pub fn new_session_id() -> SessionId {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    SessionId::from_random(bytes)
}

/// A bearer secret: `prefix` and 256 random bits in URL-safe base64. Shown once; only its SHA-256 is kept.
pub fn new_token(prefix: &str) -> Secret {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    Secret::from(format!("{prefix}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)))
}

/// A short random reference that ties a message shown to a person to the full error in the log.
pub fn new_error_reference() -> String {
    let mut bytes = [0u8; 4];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// SHA-256 of a secret: what the database keeps in its place.
pub fn sha256(secret: &[u8]) -> Vec<u8> {
    Sha256::digest(secret).to_vec()
}

/// A secret string (`secrecy`): `Debug` shows only that it is redacted, and there is no `Display` or
/// `Serialize`; reading it takes an explicit `expose_secret()`.
pub type Secret = secrecy::SecretString;
pub use secrecy::ExposeSecret;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_are_32_hex_characters_and_differ() {
        let (a, b) = (new_session_id(), new_session_id());
        assert_eq!(SessionId::parse(a.as_str()).as_ref(), Some(&a), "it reads back as itself");
        assert_eq!(a.as_str().len(), 32);
        assert_ne!(a, b);
        assert_eq!(SessionId::parse(&a.as_str().to_uppercase()), None, "upper case names no session");
        assert_eq!(SessionId::parse(&a.as_str()[..31]), None);
    }

    #[test]
    fn tokens_carry_256_random_bits() {
        let token = new_token("rs_");
        assert!(token.expose_secret().starts_with("rs_"));
        assert_eq!(token.expose_secret().len(), 3 + 43);
        assert_ne!(token.expose_secret(), new_token("rs_").expose_secret());
    }

    #[test]
    fn secrets_never_print_their_value() {
        let secret = Secret::from("hunter2-correct-horse");
        assert!(!format!("{secret:?}").contains("hunter2"));
    }
}

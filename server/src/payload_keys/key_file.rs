//! The key file earlier versions kept the payload keys in (read once, to move them into the database), and the
//! ring of ciphers the server holds.

use std::collections::BTreeMap;
use std::path::Path;

use aes_gcm::aead::KeyInit;
use aes_gcm::{Aes256Gcm, Key};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;
use serde::Deserialize;

use super::KeyError;

/// The key file's shape. Keys are base64; the file is never logged.
#[derive(Deserialize)]
pub(super) struct KeyFile {
    pub current: i64,
    pub keys: BTreeMap<i64, String>,
}

/// The keys as the server holds them: ciphers ready to use, and each key's fingerprint.
pub(super) struct Ring {
    pub current: i64,
    pub ciphers: BTreeMap<i64, Aes256Gcm>,
    pub fingerprints: BTreeMap<i64, Vec<u8>>,
}

/// Identifies a key without revealing it: SHA-256 of a label and the 256-bit key (nothing to guess).
pub(super) fn fingerprint(key: &[u8]) -> Vec<u8> {
    crate::secrets::sha256(&[b"roster payload key fingerprint\0".as_slice(), key].concat())
}

pub(super) fn random_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    key
}

pub(super) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> KeyError + '_ {
    move |source| KeyError::Io { path: path.to_path_buf(), source }
}

pub(super) fn cipher(key: &[u8]) -> Option<Aes256Gcm> {
    (key.len() == 32).then(|| Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key)))
}

/// The keys of a key file written by an earlier Roster, read once to move them into the database.
pub(super) fn read_file(path: &Path) -> Result<BTreeMap<i64, [u8; 32]>, KeyError> {
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    let file: KeyFile = serde_json::from_str(&text)
        .map_err(|error| KeyError::Invalid(path.to_path_buf(), error.to_string()))?;
    let mut keys = BTreeMap::new();
    for (id, encoded) in &file.keys {
        let key: [u8; 32] =
            STANDARD.decode(encoded).ok().and_then(|bytes| bytes.try_into().ok()).ok_or_else(|| {
                KeyError::Invalid(path.to_path_buf(), format!("key {id} is not 32 bytes of base64"))
            })?;
        keys.insert(*id, key);
    }
    if !keys.contains_key(&file.current) {
        return Err(KeyError::Invalid(path.to_path_buf(), "the current key is missing".into()));
    }
    Ok(keys)
}

impl Ring {
    /// The ring of these keys, the highest id current.
    pub(super) fn of(keys: &BTreeMap<i64, [u8; 32]>) -> Option<Ring> {
        let current = *keys.keys().max()?;
        let ciphers = keys.iter().filter_map(|(id, key)| Some((*id, cipher(key)?))).collect();
        let fingerprints = keys.iter().map(|(id, key)| (*id, fingerprint(key))).collect();
        Some(Ring { current, ciphers, fingerprints })
    }
}

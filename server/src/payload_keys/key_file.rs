//! The key file: its shape on disk, reading it into a ring of ciphers, and writing it so that nothing planted
//! beside it is followed.

use std::collections::BTreeMap;
use std::path::Path;

use aes_gcm::aead::KeyInit;
use aes_gcm::{Aes256Gcm, Key};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};

use super::KeyError;

/// The key file's shape. Keys are base64; the file is never logged.
#[derive(Serialize, Deserialize)]
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

pub(super) fn read_file(path: &Path) -> Result<Ring, KeyError> {
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    let file: KeyFile = serde_json::from_str(&text)
        .map_err(|error| KeyError::Invalid(path.to_path_buf(), error.to_string()))?;
    let (mut ciphers, mut fingerprints) = (BTreeMap::new(), BTreeMap::new());
    for (id, encoded) in &file.keys {
        let bytes = STANDARD.decode(encoded).ok();
        let key = bytes.as_deref().and_then(cipher).ok_or_else(|| {
            KeyError::Invalid(path.to_path_buf(), format!("key {id} is not 32 bytes of base64"))
        })?;
        ciphers.insert(*id, key);
        fingerprints.insert(*id, fingerprint(bytes.as_deref().unwrap_or_default()));
    }
    if !ciphers.contains_key(&file.current) {
        return Err(KeyError::Invalid(path.to_path_buf(), "the current key is missing".into()));
    }
    Ok(Ring { current: file.current, ciphers, fingerprints })
}

/// Writes the whole file to a fresh temporary file beside it (a random name, created exclusively with mode 0600,
/// so nothing planted at a known name is followed or reused), then renames it into place.
pub(super) fn write_file(path: &Path, file: &KeyFile) -> Result<(), KeyError> {
    use std::io::Write;
    let text = serde_json::to_string_pretty(file)
        .map_err(|error| KeyError::Invalid(path.to_path_buf(), error.to_string()))?;
    let folder = path.parent().filter(|folder| !folder.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut temporary = tempfile::NamedTempFile::new_in(folder).map_err(io(folder))?;
    temporary.write_all(text.as_bytes()).map_err(io(temporary.path()))?;
    temporary.as_file().sync_all().map_err(io(path))?;
    temporary
        .persist(path)
        .map_err(|error| KeyError::Io { path: path.to_path_buf(), source: error.error })?;
    Ok(())
}

pub(super) fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|metadata| metadata.modified()).ok()
}

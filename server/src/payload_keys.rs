//! Payload encryption: AES-256-GCM, a fresh random 96-bit nonce per write, the key id stored beside the
//! ciphertext, and the session id as associated data so a ciphertext copied onto another session's row
//! does not decrypt. Keys live in a key file (mode 0600) created on first start; rotation adds a key and
//! makes it current while the old ones keep decrypting.

use app::model::SessionId;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};

const NONCE_BYTES: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or write the payload key file {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the payload key file {0} is not valid: {1}")]
    Invalid(PathBuf, String),
    #[error("ROSTER_PAYLOAD_KEY must be 32 bytes in base64")]
    BadConfiguredKey,
    #[error("the payload key is given by ROSTER_PAYLOAD_KEY; rotate by changing it to a key file instead")]
    ConfiguredKeyCannotRotate,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("payload key {0} is not in the key ring")]
    UnknownKey(i64),
    #[error("the payload could not be decrypted (wrong key or session, or tampered ciphertext)")]
    Undecryptable,
}

/// The key file's shape. Keys are base64; the file is never logged.
#[derive(Serialize, Deserialize)]
struct KeyFile {
    current: i64,
    keys: BTreeMap<i64, String>,
}

struct Ring {
    current: i64,
    ciphers: BTreeMap<i64, Aes256Gcm>,
}

/// The payload key ring, shared by every request. `Debug` names key ids only.
#[derive(Clone)]
pub struct PayloadKeys {
    ring: Arc<RwLock<Ring>>,
    file: Option<PathBuf>,
}

impl std::fmt::Debug for PayloadKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ring =
            self.ring.read().map(|ring| ring.ciphers.keys().copied().collect::<Vec<_>>()).unwrap_or_default();
        f.debug_struct("PayloadKeys").field("key_ids", &ring).field("file", &self.file).finish()
    }
}

/// An encrypted payload: the nonce followed by the ciphertext, and the id of the key that made it.
pub struct Sealed {
    pub key_id: i64,
    pub bytes: Vec<u8>,
}

fn random_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    key
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> KeyError + '_ {
    move |source| KeyError::Io { path: path.to_path_buf(), source }
}

fn cipher(key: &[u8]) -> Option<Aes256Gcm> {
    (key.len() == 32).then(|| Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key)))
}

fn read_file(path: &Path) -> Result<Ring, KeyError> {
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    let file: KeyFile = serde_json::from_str(&text)
        .map_err(|error| KeyError::Invalid(path.to_path_buf(), error.to_string()))?;
    let mut ciphers = BTreeMap::new();
    for (id, encoded) in &file.keys {
        let key = STANDARD.decode(encoded).ok().and_then(|bytes| cipher(&bytes)).ok_or_else(|| {
            KeyError::Invalid(path.to_path_buf(), format!("key {id} is not 32 bytes of base64"))
        })?;
        ciphers.insert(*id, key);
    }
    if !ciphers.contains_key(&file.current) {
        return Err(KeyError::Invalid(path.to_path_buf(), "the current key is missing".into()));
    }
    Ok(Ring { current: file.current, ciphers })
}

/// Writes the whole file to a temporary name with mode 0600, then renames it into place.
fn write_file(path: &Path, file: &KeyFile) -> Result<(), KeyError> {
    let text = serde_json::to_string_pretty(file)
        .map_err(|error| KeyError::Invalid(path.to_path_buf(), error.to_string()))?;
    let temporary = path.with_extension("tmp");
    {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut out = options.open(&temporary).map_err(io(&temporary))?;
        out.write_all(text.as_bytes()).map_err(io(&temporary))?;
        out.sync_all().map_err(io(&temporary))?;
    }
    std::fs::rename(&temporary, path).map_err(io(path))
}

impl PayloadKeys {
    /// The key file at `path`, created with one new key when missing.
    pub fn open_or_create(path: &Path) -> Result<PayloadKeys, KeyError> {
        if !path.exists() {
            let mut keys = BTreeMap::new();
            keys.insert(1, STANDARD.encode(random_key()));
            write_file(path, &KeyFile { current: 1, keys })?;
            tracing::info!(path = %path.display(), "created a new payload key file (mode 0600)");
        }
        let ring = read_file(path)?;
        Ok(PayloadKeys { ring: Arc::new(RwLock::new(ring)), file: Some(path.to_path_buf()) })
    }

    /// One key given by configuration (base64 of 32 bytes), as key id 1.
    pub fn from_configured(encoded: &str) -> Result<PayloadKeys, KeyError> {
        let key = STANDARD
            .decode(encoded.trim())
            .ok()
            .and_then(|bytes| cipher(&bytes))
            .ok_or(KeyError::BadConfiguredKey)?;
        let ring = Ring { current: 1, ciphers: BTreeMap::from([(1, key)]) };
        Ok(PayloadKeys { ring: Arc::new(RwLock::new(ring)), file: None })
    }

    /// Adds a new key to the file and makes it current; returns its id.
    pub fn rotate(&self) -> Result<i64, KeyError> {
        let path = self.file.as_ref().ok_or(KeyError::ConfiguredKeyCannotRotate)?;
        let text = std::fs::read_to_string(path).map_err(io(path))?;
        let mut file: KeyFile = serde_json::from_str(&text)
            .map_err(|error| KeyError::Invalid(path.clone(), error.to_string()))?;
        let id = file.keys.keys().max().copied().unwrap_or(0) + 1;
        file.keys.insert(id, STANDARD.encode(random_key()));
        file.current = id;
        write_file(path, &file)?;
        self.reload()?;
        Ok(id)
    }

    fn reload(&self) -> Result<(), KeyError> {
        if let Some(path) = &self.file {
            let ring = read_file(path)?;
            if let Ok(mut current) = self.ring.write() {
                *current = ring;
            }
        }
        Ok(())
    }

    pub fn current_key_id(&self) -> i64 {
        self.ring.read().map(|ring| ring.current).unwrap_or(0)
    }

    pub fn seal(&self, session_id: &SessionId, plaintext: &[u8]) -> Sealed {
        let ring = self.ring.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        let cipher = &ring.ciphers[&ring.current];
        // Encryption with a valid key and in-memory buffers cannot fail.
        let ciphertext = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload { msg: plaintext, aad: session_id.as_str().as_bytes() },
            )
            .unwrap_or_default();
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&ciphertext);
        Sealed { key_id: ring.current, bytes }
    }

    pub fn open(&self, session_id: &SessionId, key_id: i64, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let known = self.ring.read().map(|ring| ring.ciphers.contains_key(&key_id)).unwrap_or(false);
        if !known {
            // Another node may have rotated: read the file once before giving up.
            let _ = self.reload();
        }
        let ring = self.ring.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        let cipher = ring.ciphers.get(&key_id).ok_or(CryptoError::UnknownKey(key_id))?;
        if sealed.len() < NONCE_BYTES {
            return Err(CryptoError::Undecryptable);
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_BYTES);
        cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload { msg: ciphertext, aad: session_id.as_str().as_bytes() },
            )
            .map_err(|_| CryptoError::Undecryptable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(digit: &str) -> SessionId {
        SessionId::parse(&digit.repeat(32)).expect("32 hex digits")
    }

    #[test]
    fn a_payload_opens_only_for_its_own_session_and_survives_rotation() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("payload-keys.json");
        let keys = PayloadKeys::open_or_create(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let (a, b) = (session("a"), session("b"));
        let sealed = keys.seal(&a, br#"{"cart":3}"#);
        assert_eq!(keys.open(&a, sealed.key_id, &sealed.bytes).unwrap(), br#"{"cart":3}"#);
        assert_eq!(keys.open(&b, sealed.key_id, &sealed.bytes), Err(CryptoError::Undecryptable));

        let again = keys.seal(&a, br#"{"cart":3}"#);
        assert_ne!(again.bytes, sealed.bytes, "a fresh nonce per write");

        assert_eq!(keys.rotate().unwrap(), 2);
        let newer = keys.seal(&a, b"{}");
        assert_eq!(newer.key_id, 2);
        assert_eq!(keys.open(&a, 1, &sealed.bytes).unwrap(), br#"{"cart":3}"#, "old keys keep decrypting");
        let reopened = PayloadKeys::open_or_create(&path).unwrap();
        assert_eq!(reopened.current_key_id(), 2);
    }

    #[test]
    fn tampered_ciphertext_does_not_open() {
        let keys = PayloadKeys::from_configured(&STANDARD.encode([7u8; 32])).unwrap();
        let a = session("a");
        let mut sealed = keys.seal(&a, b"{\"a\":1}");
        let last = sealed.bytes.len() - 1;
        sealed.bytes[last] ^= 1;
        assert_eq!(keys.open(&a, 1, &sealed.bytes), Err(CryptoError::Undecryptable));
        assert_eq!(keys.open(&a, 9, &sealed.bytes), Err(CryptoError::UnknownKey(9)));
        assert!(matches!(keys.rotate(), Err(KeyError::ConfiguredKeyCannotRotate)));
    }
}

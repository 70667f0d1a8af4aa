//! Payload encryption: AES-256-GCM, a fresh random 96-bit nonce per write, the key id stored beside the
//! ciphertext, and the session id as associated data so a ciphertext copied onto another session's row
//! does not decrypt. Keys live in a key file (mode 0600) created on first start; rotation adds a key and
//! makes it current while the old ones keep decrypting.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::Nonce;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;

mod key_file;

use key_file::{cipher, fingerprint, io, modified, random_key, read_file, write_file, KeyFile, Ring};

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
    /// Stored payloads need keys this ring does not hold: starting anyway would answer every read of them
    /// with an error, and a new key file would hide that the old one is lost.
    #[error(
        "stored payloads are encrypted with payload key(s) {missing:?}, which {source_name} does not hold; restore the key file from a backup (or set ROSTER_PAYLOAD_KEY to the key in use) before starting Roster"
    )]
    KeysMissing { missing: Vec<i64>, source_name: String },
    /// The ring holds a key id the database knows with another key: payloads sealed with the old key would
    /// all fail to open.
    #[error(
        "payload key(s) {replaced:?} in {source_name} are not the keys Roster used under those ids before; restore \
         the key file from a backup (or set ROSTER_PAYLOAD_KEY to the key in use) before starting Roster"
    )]
    KeysReplaced { replaced: Vec<i64>, source_name: String },
    #[error("could not compare the payload keys with the database: {0}")]
    Storage(#[from] crate::storage::StorageError),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("payload key {0} is not in the key ring")]
    UnknownKey(i64),
    #[error("the payload could not be decrypted (wrong key or session, or tampered ciphertext)")]
    Undecryptable,
}

/// The payload key ring, shared by every request. `Debug` names key ids only.
#[derive(Clone)]
pub struct PayloadKeys {
    ring: Arc<RwLock<Ring>>,
    file: Option<PathBuf>,
    /// The key file's modification time when it was last read.
    loaded: Arc<RwLock<Option<std::time::SystemTime>>>,
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

impl PayloadKeys {
    /// The key file at `path`, created with one new key when missing and no stored payload needs a key
    /// (`in_use`: the key ids the database's payloads were sealed with).
    pub fn open_for(path: &Path, in_use: &[i64]) -> Result<PayloadKeys, KeyError> {
        if !path.exists() && !in_use.is_empty() {
            return Err(KeyError::KeysMissing {
                missing: in_use.to_vec(),
                source_name: format!("the missing key file {}", path.display()),
            });
        }
        let keys = PayloadKeys::open_or_create(path)?;
        keys.check_holds(in_use, &format!("the key file {}", path.display()))?;
        Ok(keys)
    }

    /// The configured key (`ROSTER_PAYLOAD_KEY`), refused when stored payloads need other keys.
    pub fn configured_for(encoded: &str, in_use: &[i64]) -> Result<PayloadKeys, KeyError> {
        let keys = PayloadKeys::from_configured(encoded)?;
        keys.check_holds(in_use, "ROSTER_PAYLOAD_KEY")?;
        Ok(keys)
    }

    /// Refuses a ring whose key ids the database knows with other keys; records the fingerprints of ids it has
    /// not seen. Run at start, after `open_for` or `configured_for`.
    pub async fn check_fingerprints(
        &self,
        storage: &crate::storage::Storage,
        source_name: &str,
        now_ms: i64,
    ) -> Result<(), KeyError> {
        let fingerprints: Vec<(i64, Vec<u8>)> = {
            let ring = self.ring.read().unwrap_or_else(|poisoned| poisoned.into_inner());
            ring.fingerprints.iter().map(|(id, fingerprint)| (*id, fingerprint.clone())).collect()
        };
        let replaced = storage.check_payload_key_fingerprints(&fingerprints, now_ms).await?;
        if replaced.is_empty() {
            Ok(())
        } else {
            Err(KeyError::KeysReplaced { replaced, source_name: source_name.to_string() })
        }
    }

    fn check_holds(&self, in_use: &[i64], source_name: &str) -> Result<(), KeyError> {
        let ring = self.ring.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        let missing: Vec<i64> = in_use.iter().copied().filter(|id| !ring.ciphers.contains_key(id)).collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(KeyError::KeysMissing { missing, source_name: source_name.to_string() })
        }
    }

    /// The key file at `path`, created with one new key when missing.
    pub fn open_or_create(path: &Path) -> Result<PayloadKeys, KeyError> {
        if !path.exists() {
            let mut keys = BTreeMap::new();
            keys.insert(1, STANDARD.encode(random_key()));
            write_file(path, &KeyFile { current: 1, keys })?;
            tracing::info!(path = %path.display(), "created a new payload key file (mode 0600)");
        }
        let loaded = modified(path);
        let ring = read_file(path)?;
        Ok(PayloadKeys {
            ring: Arc::new(RwLock::new(ring)),
            file: Some(path.to_path_buf()),
            loaded: Arc::new(RwLock::new(loaded)),
        })
    }

    /// One key given by configuration (base64 of 32 bytes), as key id 1.
    pub fn from_configured(encoded: &str) -> Result<PayloadKeys, KeyError> {
        let bytes = STANDARD.decode(encoded.trim()).map_err(|_| KeyError::BadConfiguredKey)?;
        let key = cipher(&bytes).ok_or(KeyError::BadConfiguredKey)?;
        let ring = Ring {
            current: 1,
            ciphers: BTreeMap::from([(1, key)]),
            fingerprints: BTreeMap::from([(1, fingerprint(&bytes))]),
        };
        Ok(PayloadKeys { ring: Arc::new(RwLock::new(ring)), file: None, loaded: Arc::default() })
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
            let loaded = modified(path);
            let ring = read_file(path)?;
            if let Ok(mut current) = self.ring.write() {
                *current = ring;
            }
            if let Ok(mut at) = self.loaded.write() {
                *at = loaded;
            }
        }
        Ok(())
    }

    /// Reads the key file again when it changed since it was read (`roster keys rotate` ran in another
    /// process): new payloads are then sealed with the new current key. True when it did.
    pub fn reload_if_changed(&self) -> Result<bool, KeyError> {
        let Some(path) = &self.file else {
            return Ok(false);
        };
        let loaded = *self.loaded.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        if modified(path) == loaded {
            return Ok(false);
        }
        self.reload()?;
        Ok(true)
    }

    /// Checks the key file every `every` while the server runs.
    pub fn spawn_watch(&self, every: std::time::Duration) {
        if self.file.is_none() {
            return;
        }
        let keys = self.clone();
        crate::periodic::every(every, move || {
            match keys.reload_if_changed() {
                Ok(true) => {
                    tracing::info!(current = keys.current_key_id(), "payload key file changed: reloaded")
                }
                Ok(false) => {}
                // A half-written or broken file: keep the keys in memory and say so.
                Err(error) => tracing::warn!(%error, "payload key file changed but could not be read"),
            }
            std::future::ready(())
        });
    }

    pub fn current_key_id(&self) -> i64 {
        self.ring.read().map(|ring| ring.current).unwrap_or(0)
    }

    /// Encrypts `plaintext` bound to `owner` (a session's id; the webhook's name): it opens for that owner only,
    /// so a ciphertext copied onto another row does not decrypt.
    pub fn seal(&self, owner: &str, plaintext: &[u8]) -> Sealed {
        let ring = self.ring.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        let cipher = &ring.ciphers[&ring.current];
        // Encryption with a valid key and in-memory buffers cannot fail.
        let ciphertext = cipher
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: plaintext, aad: owner.as_bytes() })
            .unwrap_or_default();
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&ciphertext);
        Sealed { key_id: ring.current, bytes }
    }

    pub fn open(&self, owner: &str, key_id: i64, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
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
            .decrypt(Nonce::from_slice(nonce), Payload { msg: ciphertext, aad: owner.as_bytes() })
            .map_err(|_| CryptoError::Undecryptable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::SessionId;

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
        let sealed = keys.seal(a.as_str(), br#"{"cart":3}"#);
        assert_eq!(keys.open(a.as_str(), sealed.key_id, &sealed.bytes).unwrap(), br#"{"cart":3}"#);
        assert_eq!(keys.open(b.as_str(), sealed.key_id, &sealed.bytes), Err(CryptoError::Undecryptable));

        let again = keys.seal(a.as_str(), br#"{"cart":3}"#);
        assert_ne!(again.bytes, sealed.bytes, "a fresh nonce per write");

        assert_eq!(keys.rotate().unwrap(), 2);
        let newer = keys.seal(a.as_str(), b"{}");
        assert_eq!(newer.key_id, 2);
        assert_eq!(
            keys.open(a.as_str(), 1, &sealed.bytes).unwrap(),
            br#"{"cart":3}"#,
            "old keys keep decrypting"
        );
        let reopened = PayloadKeys::open_or_create(&path).unwrap();
        assert_eq!(reopened.current_key_id(), 2);
    }

    #[test]
    fn tampered_ciphertext_does_not_open() {
        let keys = PayloadKeys::from_configured(&STANDARD.encode([7u8; 32])).unwrap();
        let a = session("a");
        let mut sealed = keys.seal(a.as_str(), b"{\"a\":1}");
        let last = sealed.bytes.len() - 1;
        sealed.bytes[last] ^= 1;
        assert_eq!(keys.open(a.as_str(), 1, &sealed.bytes), Err(CryptoError::Undecryptable));
        assert_eq!(keys.open(a.as_str(), 9, &sealed.bytes), Err(CryptoError::UnknownKey(9)));
        assert!(matches!(keys.rotate(), Err(KeyError::ConfiguredKeyCannotRotate)));
    }

    #[test]
    fn a_missing_key_file_is_not_replaced_while_payloads_need_it() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("payload-keys.json");
        let refused = PayloadKeys::open_for(&path, &[1]).unwrap_err();
        assert!(matches!(refused, KeyError::KeysMissing { ref missing, .. } if missing == &[1]), "{refused}");
        assert!(!path.exists(), "no new key file takes the old one's place");
        PayloadKeys::open_for(&path, &[]).expect("a fresh workspace gets a key file");
        let short = PayloadKeys::open_for(&path, &[1, 3]).unwrap_err();
        assert!(short.to_string().contains("[3]"), "{short}");
        let configured = PayloadKeys::configured_for(&STANDARD.encode([7u8; 32]), &[2]).unwrap_err();
        assert!(configured.to_string().contains("ROSTER_PAYLOAD_KEY"), "{configured}");
    }

    #[test]
    fn the_key_file_is_never_written_through_a_planted_name() {
        let folder = tempfile::tempdir().unwrap();
        let victim = folder.path().join("victim");
        std::fs::write(&victim, "untouched").unwrap();
        std::os::unix::fs::symlink(&victim, folder.path().join("payload-keys.tmp")).unwrap();
        let path = folder.path().join("payload-keys.json");
        let keys = PayloadKeys::open_or_create(&path).unwrap();
        keys.rotate().unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
        assert!(!std::fs::symlink_metadata(&path).unwrap().file_type().is_symlink());
        let names: Vec<_> =
            std::fs::read_dir(folder.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 3, "no temporary file left behind: {names:?}");
    }

    #[test]
    fn a_running_server_picks_up_a_rotation_made_by_another_process() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("payload-keys.json");
        let serving = PayloadKeys::open_or_create(&path).unwrap();
        assert!(!serving.reload_if_changed().unwrap(), "nothing changed yet");
        let operator = PayloadKeys::open_or_create(&path).unwrap();
        // File times can be coarse: make sure the rotation lands on a later tick.
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(operator.rotate().unwrap(), 2);
        assert!(serving.reload_if_changed().unwrap());
        assert_eq!(serving.seal(session("c").as_str(), b"{}").key_id, 2, "new payloads use the new key");
    }
}

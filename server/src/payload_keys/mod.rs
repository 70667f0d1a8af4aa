//! Payload encryption: AES-256-GCM, a fresh random 96-bit nonce per write, the key id stored beside the
//! ciphertext, and the session id as associated data so a ciphertext copied onto another session's row
//! does not decrypt.
//!
//! The keys live in the database, each sealed by the master key (see `master_key`), so every node sharing the
//! database holds the same ring; the highest id is current. Rotation adds a key; every node seals its next
//! payload with it (`follow_rotation`) and old keys keep decrypting. A key file from an earlier version, or
//! `ROSTER_PAYLOAD_KEY`, is moved into the database on the first start.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, RwLock};

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::Nonce;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;

mod key_file;
mod master_key;

pub use master_key::{MasterKey, MASTER_KEY_FILE};

use key_file::{random_key, read_file, Ring};

use crate::storage::{AuditEvent, Storage};

const NONCE_BYTES: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or write the key file {path}: {source}")]
    Io { path: std::path::PathBuf, source: std::io::Error },
    #[error("the key file {0} is not valid: {1}")]
    Invalid(std::path::PathBuf, String),
    #[error("ROSTER_PAYLOAD_KEY must be 32 bytes in base64")]
    BadConfiguredKey,
    #[error("ROSTER_MASTER_KEY must be 32 bytes in base64 (make one with `openssl rand -base64 32`)")]
    BadMasterKey,
    /// The database's keys were sealed by another master key: every node must be given the same one.
    #[error(
        "{source_name} does not open the payload keys in the database: give every node the master key the first \
         node used (the same ROSTER_MASTER_KEY, or a copy of its data folder's master.key)"
    )]
    WrongMasterKey { source_name: String },
    /// Stored payloads need keys the ring does not hold: starting anyway would answer every read of them with an
    /// error, and new keys would hide that the old ones are lost.
    #[error(
        "stored payloads are encrypted with payload key(s) {missing:?}, which {source_name} does not hold; restore \
         the database's payload keys (or an earlier version's key file, or its ROSTER_PAYLOAD_KEY) from a backup \
         before starting Roster"
    )]
    KeysMissing { missing: Vec<i64>, source_name: String },
    /// The ring holds a key id the database knows with another key: payloads sealed with the old key would
    /// all fail to open.
    #[error(
        "payload key(s) {replaced:?} in {source_name} are not the keys Roster used under those ids before; restore \
         the database's payload keys (or an earlier version's key file, or its ROSTER_PAYLOAD_KEY) from a backup \
         before starting Roster"
    )]
    KeysReplaced { replaced: Vec<i64>, source_name: String },
    /// A ring made in memory (tests) has nowhere to store a new key.
    #[error("these payload keys are not kept in a database, so they cannot be rotated")]
    NotStored,
    #[error("could not read or write the payload keys in the database: {0}")]
    Storage(#[from] crate::storage::StorageError),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("payload key {0} is not in the key ring")]
    UnknownKey(i64),
    #[error("the payload could not be decrypted (wrong key or session, or tampered ciphertext)")]
    Undecryptable,
}

/// Where the first keys of a database that has none come from.
pub enum FirstKeys<'a> {
    /// A new random key.
    Fresh,
    /// The key file an earlier version kept in the data folder (used when it exists, else `Fresh`).
    KeyFile(&'a Path),
    /// The key an earlier version was given as `ROSTER_PAYLOAD_KEY`, as key 1.
    Configured(&'a str),
}

/// The payload key ring, shared by every request. `Debug` names key ids only.
#[derive(Clone)]
pub struct PayloadKeys {
    ring: Arc<RwLock<Ring>>,
    /// Seals and opens the keys stored in the database; None for a ring made in memory.
    master: Option<Arc<MasterKey>>,
}

impl std::fmt::Debug for PayloadKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ring =
            self.ring.read().map(|ring| ring.ciphers.keys().copied().collect::<Vec<_>>()).unwrap_or_default();
        f.debug_struct("PayloadKeys").field("key_ids", &ring).field("master", &self.master).finish()
    }
}

/// An encrypted payload: the nonce followed by the ciphertext, and the id of the key that made it.
pub struct Sealed {
    pub key_id: i64,
    pub bytes: Vec<u8>,
}

impl PayloadKeys {
    /// The database's keys, opened with `master`. A database without keys first gets `first` (a key file or
    /// configured key moved in, or a fresh key). Refused when the master key does not open them, when stored
    /// payloads need keys the ring lacks, or when a key id stands for another key than it did before.
    pub async fn load(
        storage: &Storage,
        master: MasterKey,
        first: FirstKeys<'_>,
        now_ms: i64,
    ) -> Result<PayloadKeys, KeyError> {
        let master = Arc::new(master);
        let in_use = storage.payload_key_ids_in_use().await?;
        if storage.newest_payload_key_id().await?.is_none() {
            store_first_keys(storage, &master, first, &in_use, now_ms).await?;
        }
        let ring = read_ring(storage, &master).await?;
        let keys = PayloadKeys { ring: Arc::new(RwLock::new(ring)), master: Some(master) };
        keys.check_holds(&in_use, "the database")?;
        keys.check_fingerprints(storage, "the database", now_ms).await?;
        Ok(keys)
    }

    /// Refuses a ring whose key ids the database knows with other keys; records the fingerprints of ids it has
    /// not seen.
    async fn check_fingerprints(
        &self,
        storage: &Storage,
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

    /// One key given by configuration (base64 of 32 bytes), as key id 1, held in memory only.
    pub fn from_configured(encoded: &str) -> Result<PayloadKeys, KeyError> {
        let ring =
            Ring::of(&BTreeMap::from([(1, configured_key(encoded)?)])).ok_or(KeyError::BadConfiguredKey)?;
        Ok(PayloadKeys { ring: Arc::new(RwLock::new(ring)), master: None })
    }

    /// A random key held in memory only, for a command that neither seals nor opens a payload (so that it
    /// neither needs the master key nor writes the first keys).
    pub fn unused() -> PayloadKeys {
        let ring = Ring::of(&BTreeMap::from([(1, random_key())])).expect("one key makes a ring");
        PayloadKeys { ring: Arc::new(RwLock::new(ring)), master: None }
    }

    /// Adds a new key to the database and makes it current here; every other node seals its next payload with
    /// it. Returns its id.
    pub async fn rotate(&self, storage: &Storage, actor: &str, now_ms: i64) -> Result<i64, KeyError> {
        let master = self.master.as_ref().ok_or(KeyError::NotStored)?;
        let key = random_key();
        let id = storage
            .add_payload_key(
                |id| master.wrap(id, &key),
                now_ms,
                |id| AuditEvent {
                    at_ms: now_ms,
                    actor: actor.to_string(),
                    action: "payload_key.rotated",
                    target: Some(format!("payload key {id}")),
                    reason: None,
                    ip: None,
                },
            )
            .await?;
        self.reload(storage).await?;
        Ok(id)
    }

    /// Reads the ring from the database again (another node rotated). A ring made in memory stays as it is.
    pub async fn reload(&self, storage: &Storage) -> Result<(), KeyError> {
        let Some(master) = &self.master else {
            return Ok(());
        };
        let ring = read_ring(storage, master).await?;
        *self.ring.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = ring;
        Ok(())
    }

    /// Makes sure the next seal uses the database's newest key: one indexed read before each payload write,
    /// so a rotation on any node holds everywhere from the next write on.
    pub async fn follow_rotation(&self, storage: &Storage) -> Result<(), KeyError> {
        if self.master.is_none() {
            return Ok(());
        }
        let newest = storage.newest_payload_key_id().await?;
        if newest.is_some_and(|newest| newest > self.current_key_id()) {
            self.reload(storage).await?;
            tracing::info!(current = self.current_key_id(), "payload keys rotated on another node: reloaded");
        }
        Ok(())
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

    /// Decrypts a payload sealed for `owner`. A key id this ring does not hold yet (another node rotated) is
    /// `UnknownKey`: `reload` and try again.
    pub fn open(&self, owner: &str, key_id: i64, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
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

fn configured_key(encoded: &str) -> Result<[u8; 32], KeyError> {
    STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(KeyError::BadConfiguredKey)
}

/// Moves an earlier version's keys (or a new key) into a database that has none, once they are known to be the
/// keys its payloads were sealed with.
async fn store_first_keys(
    storage: &Storage,
    master: &MasterKey,
    first: FirstKeys<'_>,
    in_use: &[i64],
    now_ms: i64,
) -> Result<(), KeyError> {
    let (keys, from) = match first {
        FirstKeys::KeyFile(path) if path.exists() => {
            (read_file(path)?, format!("the key file {}", path.display()))
        }
        FirstKeys::Configured(encoded) => {
            (BTreeMap::from([(1, configured_key(encoded)?)]), "ROSTER_PAYLOAD_KEY".into())
        }
        FirstKeys::Fresh | FirstKeys::KeyFile(_) if !in_use.is_empty() => {
            // Payloads exist but no key does: a new key under their id would hide that the old one is lost.
            return Err(KeyError::KeysMissing {
                missing: in_use.to_vec(),
                source_name: "the database".into(),
            });
        }
        FirstKeys::Fresh | FirstKeys::KeyFile(_) => (BTreeMap::from([(1, random_key())]), "a new key".into()),
    };
    // Refused before anything is stored: payloads exist but these keys are not theirs.
    let candidate = Ring::of(&keys).ok_or(KeyError::BadConfiguredKey)?;
    let candidate = PayloadKeys { ring: Arc::new(RwLock::new(candidate)), master: None };
    candidate.check_holds(in_use, &from)?;
    candidate.check_fingerprints(storage, &from, now_ms).await?;
    let sealed: Vec<(i64, Vec<u8>)> = keys.iter().map(|(id, key)| (*id, master.wrap(*id, key))).collect();
    let event = AuditEvent {
        at_ms: now_ms,
        actor: "operator".into(),
        action: "payload_key.stored",
        target: Some(format!("payload keys {:?}", keys.keys().collect::<Vec<_>>())),
        reason: Some(format!("from {from}, sealed by {}", master.source)),
        ip: None,
    };
    if storage.store_first_payload_keys(&sealed, now_ms, &event).await? {
        tracing::info!("payload keys stored in the database from {from}, sealed by {}", master.source);
    }
    Ok(())
}

async fn read_ring(storage: &Storage, master: &MasterKey) -> Result<Ring, KeyError> {
    let mut keys = BTreeMap::new();
    for (id, wrapped) in storage.sealed_payload_keys().await? {
        let key = master
            .unwrap(id, &wrapped)
            .ok_or_else(|| KeyError::WrongMasterKey { source_name: master.source.clone() })?;
        keys.insert(id, key);
    }
    Ring::of(&keys).ok_or(KeyError::KeysMissing { missing: Vec::new(), source_name: "the database".into() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::SessionId;

    fn session(digit: &str) -> SessionId {
        SessionId::parse(&digit.repeat(32)).expect("32 hex digits")
    }

    #[test]
    fn a_payload_opens_only_for_its_own_session_with_a_fresh_nonce_per_write() {
        let keys = PayloadKeys::from_configured(&STANDARD.encode([7u8; 32])).unwrap();
        let (a, b) = (session("a"), session("b"));
        let sealed = keys.seal(a.as_str(), br#"{"cart":3}"#);
        assert_eq!(keys.open(a.as_str(), sealed.key_id, &sealed.bytes).unwrap(), br#"{"cart":3}"#);
        assert_eq!(keys.open(b.as_str(), sealed.key_id, &sealed.bytes), Err(CryptoError::Undecryptable));
        let again = keys.seal(a.as_str(), br#"{"cart":3}"#);
        assert_ne!(again.bytes, sealed.bytes, "a fresh nonce per write");
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
        assert!(matches!(PayloadKeys::from_configured("c2hvcnQ="), Err(KeyError::BadConfiguredKey)));
    }
}

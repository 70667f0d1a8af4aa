//! The master key: it seals the payload keys stored in the database, so a copy of the database alone opens no
//! payload. Every node sharing a database is given the same one (`ROSTER_MASTER_KEY`); a single node without
//! one makes it in its data folder on first start.

use std::io::Write;
use std::path::{Path, PathBuf};

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;

use super::key_file::{cipher, io, random_key};
use super::{KeyError, NONCE_BYTES};

/// The file a single node keeps its master key in, in the data folder.
pub const MASTER_KEY_FILE: &str = "master.key";

/// `Debug` names where the key came from, never the key.
pub struct MasterKey {
    cipher: Aes256Gcm,
    /// Where it came from, for error messages: "ROSTER_MASTER_KEY" or the file's path.
    pub source: String,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MasterKey").field("source", &self.source).finish()
    }
}

impl MasterKey {
    /// The key given by configuration: 32 bytes in base64.
    pub fn configured(encoded: &str) -> Result<MasterKey, KeyError> {
        let bytes = STANDARD.decode(encoded.trim()).map_err(|_| KeyError::BadMasterKey)?;
        let cipher = cipher(&bytes).ok_or(KeyError::BadMasterKey)?;
        Ok(MasterKey { cipher, source: "ROSTER_MASTER_KEY".into() })
    }

    /// The key in `folder`'s master key file, made (mode 0600) when there is none. Two processes starting at
    /// once agree: the file is never replaced once it exists.
    pub fn in_folder(folder: &Path) -> Result<MasterKey, KeyError> {
        let path = folder.join(MASTER_KEY_FILE);
        if std::fs::symlink_metadata(&path).is_err() {
            let mut temporary = tempfile::NamedTempFile::new_in(folder).map_err(io(folder))?;
            temporary.write_all(STANDARD.encode(random_key()).as_bytes()).map_err(io(temporary.path()))?;
            temporary.as_file().sync_all().map_err(io(&path))?;
            match temporary.persist_noclobber(&path) {
                Ok(_) => tracing::info!(path = %path.display(), "created a new master key file (mode 0600)"),
                // Another process made it first: use theirs.
                Err(error) if error.error.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(error) => return Err(KeyError::Io { path, source: error.error }),
            }
        }
        MasterKey::from_file(path)
    }

    fn from_file(path: PathBuf) -> Result<MasterKey, KeyError> {
        let metadata = std::fs::symlink_metadata(&path).map_err(io(&path))?;
        if !metadata.file_type().is_file() {
            return Err(KeyError::Invalid(path, "not a regular file".into()));
        }
        let text = std::fs::read_to_string(&path).map_err(io(&path))?;
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| KeyError::Invalid(path.clone(), "not 32 bytes of base64".into()))?;
        let cipher = cipher(&bytes).ok_or_else(|| KeyError::Invalid(path.clone(), "not 32 bytes".into()))?;
        Ok(MasterKey { cipher, source: format!("the master key file {}", path.display()) })
    }

    /// Seals a payload key for storage under `id`: it opens under that id only.
    pub(super) fn wrap(&self, id: i64, key: &[u8; 32]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        let aad = associated_data(id);
        // Encryption with a valid key and in-memory buffers cannot fail.
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: key, aad: &aad })
            .unwrap_or_default();
        [nonce.as_slice(), &sealed].concat()
    }

    /// The payload key stored under `id`; None when this master key did not seal it.
    pub(super) fn unwrap(&self, id: i64, wrapped: &[u8]) -> Option<[u8; 32]> {
        if wrapped.len() < NONCE_BYTES {
            return None;
        }
        let (nonce, sealed) = wrapped.split_at(NONCE_BYTES);
        let aad = associated_data(id);
        let key = self.cipher.decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad: &aad }).ok()?;
        key.try_into().ok()
    }
}

fn associated_data(id: i64) -> Vec<u8> {
    format!("roster payload key {id}").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_key_opens_with_its_master_key_under_its_own_id_only() {
        let master = MasterKey::configured(&STANDARD.encode([1u8; 32])).unwrap();
        let other = MasterKey::configured(&STANDARD.encode([2u8; 32])).unwrap();
        let key = [9u8; 32];
        let wrapped = master.wrap(3, &key);
        assert!(!wrapped.windows(32).any(|window| window == key), "the key is not stored in the clear");
        assert_eq!(master.unwrap(3, &wrapped), Some(key));
        assert_eq!(master.unwrap(4, &wrapped), None, "moved to another id, it does not open");
        assert_eq!(other.unwrap(3, &wrapped), None, "another master key does not open it");
        assert!(matches!(MasterKey::configured("short"), Err(KeyError::BadMasterKey)));
    }

    #[test]
    fn a_folder_keeps_the_master_key_it_made_and_refuses_a_planted_link() {
        let folder = tempfile::tempdir().unwrap();
        let first = MasterKey::in_folder(folder.path()).unwrap();
        let path = folder.path().join(MASTER_KEY_FILE);
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let again = MasterKey::in_folder(folder.path()).unwrap();
        let wrapped = first.wrap(1, &[5u8; 32]);
        assert_eq!(again.unwrap(1, &wrapped), Some([5u8; 32]), "the same key on the next start");

        let planted = tempfile::tempdir().unwrap();
        std::fs::write(planted.path().join("elsewhere"), STANDARD.encode([3u8; 32])).unwrap();
        std::os::unix::fs::symlink(planted.path().join("elsewhere"), planted.path().join(MASTER_KEY_FILE))
            .unwrap();
        assert!(matches!(MasterKey::in_folder(planted.path()), Err(KeyError::Invalid(..))));
    }
}

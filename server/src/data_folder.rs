//! The data folder: the SQLite database, the payload key file and the lock a serving process holds. Only the
//! account Roster runs as may read it: the folder is created with mode 0700 and the database with 0600 (SQLite
//! gives its WAL and shared-memory files the database's mode).

use std::fs::{DirBuilder, File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

const DATABASE_FILE: &str = "roster.db";
const SERVE_LOCK_FILE: &str = "serve.lock";

#[derive(Debug, thiserror::Error)]
pub enum DataFolderError {
    #[error("cannot prepare the data folder {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// Two servers on one SQLite file would each trust a cache the other's revocations never reach.
    #[error(
        "another `roster serve` (process {pid}) is already using the data folder {folder}; stop it first, or give \
         this one its own --data-dir (several nodes share one PostgreSQL database instead)"
    )]
    InUse { folder: PathBuf, pid: String },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DataFolderError + '_ {
    move |source| DataFolderError::Io { path: path.to_path_buf(), source }
}

/// Creates the folder (0700) when missing.
pub fn prepare(folder: &Path) -> Result<(), DataFolderError> {
    if !folder.is_dir() {
        DirBuilder::new().recursive(true).mode(0o700).create(folder).map_err(io(folder))?;
    }
    Ok(())
}

/// The SQLite URL of the database in a prepared folder, creating the file (0600) when missing.
pub fn sqlite_database(folder: &Path) -> Result<String, DataFolderError> {
    let path = folder.join(DATABASE_FILE);
    OpenOptions::new().append(true).create(true).mode(0o600).open(&path).map_err(io(&path))?;
    Ok(format!("sqlite://{}", path.display()))
}

/// Held for as long as a server runs on the folder; the operating system lets it go when the process ends,
/// however it ends.
#[derive(Debug)]
pub struct ServeLock {
    _file: File,
}

/// Takes a prepared folder's serve lock, or says which process holds it.
pub fn lock_for_serving(folder: &Path) -> Result<ServeLock, DataFolderError> {
    let path = folder.join(SERVE_LOCK_FILE);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&path)
        .map_err(io(&path))?;
    match file.try_lock() {
        Ok(()) => {
            file.set_len(0).map_err(io(&path))?;
            write!(file, "{}", std::process::id()).map_err(io(&path))?;
            Ok(ServeLock { _file: file })
        }
        Err(TryLockError::WouldBlock) => {
            let mut pid = String::new();
            let _ = file.rewind().and_then(|()| file.read_to_string(&mut pid));
            let pid = if pid.trim().is_empty() { "unknown".to_string() } else { pid.trim().to_string() };
            Err(DataFolderError::InUse { folder: folder.to_path_buf(), pid })
        }
        Err(TryLockError::Error(error)) => Err(io(&path)(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_folder_and_database_are_private_to_their_owner() {
        let parent = tempfile::tempdir().unwrap();
        let folder = parent.path().join("data");
        prepare(&folder).unwrap();
        let url = sqlite_database(&folder).unwrap();
        assert!(url.ends_with("/data/roster.db"), "{url}");
        assert_eq!(mode(&folder), 0o700);
        assert_eq!(mode(&folder.join(DATABASE_FILE)), 0o600);
    }

    #[test]
    fn a_second_server_on_one_folder_is_refused_until_the_first_lets_go() {
        let folder = tempfile::tempdir().unwrap();
        let first = lock_for_serving(folder.path()).unwrap();
        let refused = lock_for_serving(folder.path()).unwrap_err();
        let message = refused.to_string();
        assert!(message.contains(&format!("process {}", std::process::id())), "{message}");
        assert!(message.contains("already using the data folder"), "{message}");
        drop(first);
        lock_for_serving(folder.path()).expect("free again once the first server has stopped");
    }
}

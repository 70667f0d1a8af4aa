//! Signed checkpoints of the audit chain, kept outside the database (CloudTrail's digest files do the same): every
//! minute and at a clean stop the server signs the chain's latest sequence number and hash with an Ed25519 key
//! from the data folder (mode 0600) and appends the signature to `audit-checkpoints.log` beside it.
//!
//! The hash chain alone catches a record edited or removed in the middle, but not records removed from its end:
//! the shorter chain is still a chain. A checkpoint names a record that must exist with that hash, so removing
//! the tail up to a checkpoint, or rewriting the chain beneath one, is caught by `roster audit verify`.

use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

use crate::storage::{Storage, StorageError};

const KEY_FILE: &str = "audit-signing.key";
const LOG_FILE: &str = "audit-checkpoints.log";

#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error("cannot read or write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the audit signing key {0} is not a key Roster wrote (expected 64 hex characters)")]
    BadKey(PathBuf),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// What a checkpoint check found wrong: the first checkpoint that fails, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointBreak {
    pub seq: i64,
    pub problem: String,
}

/// One line of the log: `seq hash at_ms signature`, hex where binary.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Checkpoint {
    seq: i64,
    hash: Vec<u8>,
    at_ms: i64,
}

impl Checkpoint {
    /// What is signed: a fixed label, so the signature cannot be taken for any other message of this key.
    fn message(&self) -> Vec<u8> {
        format!("roster audit checkpoint v1\n{}\n{}\n{}", self.seq, hex::encode(&self.hash), self.at_ms)
            .into_bytes()
    }
}

/// The signing key and the log of one data folder. Appends are serialized, so lines never interleave.
pub struct AuditCheckpoints {
    key: SigningKey,
    log: PathBuf,
    last: Mutex<Option<i64>>,
}

impl std::fmt::Debug for AuditCheckpoints {
    /// Never the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditCheckpoints").field("log", &self.log).finish_non_exhaustive()
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CheckpointError + '_ {
    move |source| CheckpointError::Io { path: path.to_path_buf(), source }
}

impl AuditCheckpoints {
    /// The folder's key (created, mode 0600, when missing) and log.
    pub fn open(folder: &Path) -> Result<AuditCheckpoints, CheckpointError> {
        let key_path = folder.join(KEY_FILE);
        let key = match std::fs::read_to_string(&key_path) {
            Ok(text) => parse_key(&text).ok_or_else(|| CheckpointError::BadKey(key_path.clone()))?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let key = SigningKey::from_bytes(&rand::random::<[u8; 32]>());
                let mut file = OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(&key_path)
                    .map_err(io(&key_path))?;
                file.write_all(hex::encode(key.to_bytes()).as_bytes()).map_err(io(&key_path))?;
                file.sync_all().map_err(io(&key_path))?;
                key
            }
            Err(error) => return Err(io(&key_path)(error)),
        };
        let log = folder.join(LOG_FILE);
        let last =
            read_log(&log)?.last().and_then(|line| line.as_ref().ok()).map(|(checkpoint, _)| checkpoint.seq);
        Ok(AuditCheckpoints { key, log, last: Mutex::new(last) })
    }

    /// Signs the chain's latest record unless the last checkpoint already names it. Returns the sequence number
    /// signed, if one was.
    pub async fn checkpoint(&self, storage: &Storage, now_ms: i64) -> Result<Option<i64>, CheckpointError> {
        let Some((seq, hash)) = storage.latest_audit_hash().await? else {
            return Ok(None);
        };
        let mut last = self.last.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if *last == Some(seq) {
            return Ok(None);
        }
        let checkpoint = Checkpoint { seq, hash, at_ms: now_ms };
        let signature = self.key.sign(&checkpoint.message());
        let line = format!(
            "{} {} {} {}\n",
            checkpoint.seq,
            hex::encode(&checkpoint.hash),
            checkpoint.at_ms,
            hex::encode(signature.to_bytes())
        );
        let mut file = OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .open(&self.log)
            .map_err(io(&self.log))?;
        file.write_all(line.as_bytes()).map_err(io(&self.log))?;
        file.sync_data().map_err(io(&self.log))?;
        *last = Some(seq);
        Ok(Some(seq))
    }

    /// Checks every checkpoint: its signature, and that the record it names is in the database with that hash.
    /// Returns how many there are, or the first that fails.
    pub async fn verify(&self, storage: &Storage) -> Result<Result<i64, CheckpointBreak>, CheckpointError> {
        let verifying = self.key.verifying_key();
        let checkpoints = read_log(&self.log)?;
        let last_seq = storage.last_audit_seq().await?;
        for (line, checkpoint) in checkpoints.iter().enumerate() {
            let (checkpoint, signature) = match checkpoint {
                Ok(found) => found,
                Err(seq) => {
                    return Ok(Err(CheckpointBreak {
                        seq: *seq,
                        problem: format!(
                            "line {} of {} is not a checkpoint Roster wrote",
                            line + 1,
                            LOG_FILE
                        ),
                    }))
                }
            };
            if !signed_by(&verifying, checkpoint, signature) {
                return Ok(Err(CheckpointBreak {
                    seq: checkpoint.seq,
                    problem: "its checkpoint's signature does not match: the checkpoint log was altered"
                        .into(),
                }));
            }
            if checkpoint.seq > last_seq {
                return Ok(Err(CheckpointBreak {
                    seq: checkpoint.seq,
                    problem: format!(
                        "it was signed in a checkpoint but the chain now ends at record {last_seq}: records were deleted from its end"
                    ),
                }));
            }
            match storage.audit_hash_at(checkpoint.seq).await? {
                Some(hash) if hash == checkpoint.hash => {}
                Some(_) => {
                    return Ok(Err(CheckpointBreak {
                        seq: checkpoint.seq,
                        problem:
                            "its hash differs from the one signed in its checkpoint: the chain was rewritten"
                                .into(),
                    }))
                }
                None => {
                    return Ok(Err(CheckpointBreak {
                        seq: checkpoint.seq,
                        problem: "it was signed in a checkpoint and is missing from the database".into(),
                    }))
                }
            }
        }
        Ok(Ok(checkpoints.len() as i64))
    }
}

fn signed_by(key: &VerifyingKey, checkpoint: &Checkpoint, signature: &Signature) -> bool {
    key.verify(&checkpoint.message(), signature).is_ok()
}

fn parse_key(text: &str) -> Option<SigningKey> {
    let bytes: [u8; 32] = hex::decode(text.trim()).ok()?.try_into().ok()?;
    Some(SigningKey::from_bytes(&bytes))
}

type LogLine = Result<(Checkpoint, Signature), i64>;

/// The log's lines in order: each a checkpoint and its signature, or, for a line that does not parse, the
/// sequence number it seems to name (0 when none). A missing log has no checkpoints.
fn read_log(path: &Path) -> Result<Vec<LogLine>, CheckpointError> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(io(path)(error)),
    };
    let mut lines = Vec::new();
    for line in BufReader::new(file).lines() {
        let line = line.map_err(io(path))?;
        if line.trim().is_empty() {
            continue;
        }
        lines.push(parse_line(&line));
    }
    Ok(lines)
}

fn parse_line(line: &str) -> LogLine {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let seq = fields.first().and_then(|seq| seq.parse::<i64>().ok()).unwrap_or(0);
    let parsed = (|| {
        let [seq, hash, at_ms, signature] = fields.as_slice() else {
            return None;
        };
        let signature: [u8; 64] = hex::decode(signature).ok()?.try_into().ok()?;
        let checkpoint =
            Checkpoint { seq: seq.parse().ok()?, hash: hex::decode(hash).ok()?, at_ms: at_ms.parse().ok()? };
        Some((checkpoint, Signature::from_bytes(&signature)))
    })();
    parsed.ok_or(seq)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_reads_back_and_its_signature_binds_every_field() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let checkpoint = Checkpoint { seq: 42, hash: vec![1, 2, 3], at_ms: 1_000 };
        let signature = key.sign(&checkpoint.message());
        let line = format!("42 010203 1000 {}", hex::encode(signature.to_bytes()));
        let (read, read_signature) = parse_line(&line).unwrap();
        assert_eq!(read, checkpoint);
        assert!(signed_by(&key.verifying_key(), &read, &read_signature));
        let moved = Checkpoint { seq: 41, ..checkpoint };
        assert!(!signed_by(&key.verifying_key(), &moved, &read_signature), "another record, same signature");
        assert_eq!(parse_line("17 not-hex"), Err(17));
    }
}

//! The audit log: an append-only hash chain. Each record's hash covers its fields and the previous record's
//! hash, so editing or deleting any record breaks every hash after it (`roster audit verify`).

use sha2::{Digest, Sha256};
use sqlx::{Any, FromRow, Transaction};

use super::{DbKind, Storage, StorageError};

/// What happened, as the caller describes it; the storage adds sequence number and hashes.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub at_ms: i64,
    pub actor: String,
    pub action: &'static str,
    pub target: Option<String>,
    pub reason: Option<String>,
    pub ip: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub reason: Option<String>,
    pub ip: Option<String>,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

/// The first record whose hash does not match its contents or its predecessor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    pub seq: i64,
    pub problem: &'static str,
}

const GENESIS: [u8; 32] = [0; 32];

fn chain_hash(prev: &[u8], seq: i64, at: i64, fields: [&str; 2], optional: [Option<&str>; 3]) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(prev);
    hasher.update(seq.to_le_bytes());
    hasher.update(at.to_le_bytes());
    // Length-prefixed, with a marker for absent values, so no two different records hash alike.
    for field in fields {
        hasher.update((field.len() as u64).to_le_bytes());
        hasher.update(field.as_bytes());
    }
    for field in optional {
        match field {
            Some(text) => {
                hasher.update([1]);
                hasher.update((text.len() as u64).to_le_bytes());
                hasher.update(text.as_bytes());
            }
            None => hasher.update([0]),
        }
    }
    hasher.finalize().to_vec()
}

fn record_hash(record: &AuditRecord) -> Vec<u8> {
    chain_hash(
        &record.prev_hash,
        record.seq,
        record.at,
        [&record.actor, &record.action],
        [record.target.as_deref(), record.reason.as_deref(), record.ip.as_deref()],
    )
}

impl Storage {
    /// Appends inside the caller's write transaction, so an action and its record commit together.
    pub(super) async fn append_audit(
        &self,
        tx: &mut Transaction<'static, Any>,
        event: &AuditEvent,
    ) -> Result<i64, StorageError> {
        if self.kind == DbKind::Postgres {
            // Serializes appenders across nodes; SQLite's BEGIN IMMEDIATE already did.
            sqlx::query("LOCK TABLE audit_events IN EXCLUSIVE MODE").execute(&mut **tx).await?;
        }
        let last: Option<(i64, Vec<u8>)> =
            sqlx::query_as("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut **tx)
                .await?;
        let (seq, prev) = match last {
            Some((seq, hash)) => (seq + 1, hash),
            None => (1, GENESIS.to_vec()),
        };
        let hash = chain_hash(
            &prev,
            seq,
            event.at_ms,
            [&event.actor, event.action],
            [event.target.as_deref(), event.reason.as_deref(), event.ip.as_deref()],
        );
        let words = self.search_words(tx, event).await?;
        sqlx::query(
            "INSERT INTO audit_events (seq, at, actor, action, target, reason, ip, prev_hash, hash, words)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(seq)
        .bind(event.at_ms)
        .bind(&event.actor)
        .bind(event.action)
        .bind(&event.target)
        .bind(&event.reason)
        .bind(&event.ip)
        .bind(prev)
        .bind(hash)
        .bind(words)
        .execute(&mut **tx)
        .await?;
        Ok(seq)
    }

    /// What the audit log's search matches for `event`: its actor, target and reason, and the email of each user
    /// they name (`user:12`, or a session's user for `session:…`), so a search for an email finds what that person
    /// did and what was done to them and their sessions.
    async fn search_words(
        &self,
        tx: &mut Transaction<'static, Any>,
        event: &AuditEvent,
    ) -> Result<String, StorageError> {
        let mut words = vec![event.actor.clone()];
        for named in [Some(event.actor.as_str()), event.target.as_deref()] {
            let Some(id) =
                named.and_then(|text| text.strip_prefix("user:")).and_then(|id| id.parse::<i64>().ok())
            else {
                continue;
            };
            let email: Option<(String,)> = sqlx::query_as("SELECT email_normalized FROM users WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
            words.extend(email.map(|(email,)| email));
        }
        if let Some(session_id) = event.target.as_deref().and_then(|target| target.strip_prefix("session:")) {
            let owner: Option<(String,)> = sqlx::query_as(
                "SELECT u.email_normalized FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1",
            )
            .bind(session_id)
            .fetch_optional(&mut **tx)
            .await?;
            words.extend(owner.map(|(email,)| email));
        }
        words.extend(event.target.clone());
        words.extend(event.reason.clone());
        Ok(words.join(" ").to_lowercase())
    }

    /// Records an event that goes with no other write (a refusal, a failed sign-in).
    pub async fn record_audit(&self, event: &AuditEvent) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        let seq = self.append_audit(&mut tx, event).await?;
        tx.commit().await?;
        Ok(seq)
    }

    /// Appends many events in order in one transaction: how the console benchmark seeds a long log.
    pub async fn record_audit_batch(&self, events: &[AuditEvent]) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        for event in events {
            self.append_audit(&mut tx, event).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Newest first.
    pub async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditRecord>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT seq, at, actor, action, target, reason, ip, prev_hash, hash FROM audit_events
             ORDER BY seq DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Walks the chain in pages (never the whole log in memory) and reports the first broken record.
    pub async fn verify_audit_chain(&self) -> Result<Result<i64, ChainBreak>, StorageError> {
        self.verify_audit_chain_with(&mut |_| {}).await
    }

    /// The last record's sequence number and hash; None for an empty log.
    pub async fn latest_audit_hash(&self) -> Result<Option<(i64, Vec<u8>)>, StorageError> {
        Ok(sqlx::query_as("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The hash stored with record `seq`, if there is one.
    pub async fn audit_hash_at(&self, seq: i64) -> Result<Option<Vec<u8>>, StorageError> {
        let found: Option<(Vec<u8>,)> = sqlx::query_as("SELECT hash FROM audit_events WHERE seq = $1")
            .bind(seq)
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.map(|(hash,)| hash))
    }

    /// The last record's sequence number: how many records an intact chain holds.
    pub async fn last_audit_seq(&self) -> Result<i64, StorageError> {
        let (last,): (i64,) =
            sqlx::query_as("SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) FROM audit_events")
                .fetch_one(&self.pool)
                .await?;
        Ok(last)
    }

    /// `verify_audit_chain`, telling `progress` how many records it has checked after each page.
    pub async fn verify_audit_chain_with(
        &self,
        progress: &mut (dyn FnMut(i64) + Send),
    ) -> Result<Result<i64, ChainBreak>, StorageError> {
        const PAGE: i64 = 1000;
        let mut expected_prev = GENESIS.to_vec();
        let mut expected_seq = 1;
        loop {
            let page: Vec<AuditRecord> = sqlx::query_as(
                "SELECT seq, at, actor, action, target, reason, ip, prev_hash, hash FROM audit_events
                 WHERE seq >= $1 ORDER BY seq LIMIT $2",
            )
            .bind(expected_seq)
            .bind(PAGE)
            .fetch_all(&self.pool)
            .await?;
            if page.is_empty() {
                return Ok(Ok(expected_seq - 1));
            }
            for record in &page {
                let problem = if record.seq != expected_seq {
                    Some("a record is missing before this one")
                } else if record.prev_hash != expected_prev {
                    Some("its previous-hash does not match the record before it")
                } else if record_hash(record) != record.hash {
                    Some("its contents do not match its hash")
                } else {
                    None
                };
                if let Some(problem) = problem {
                    return Ok(Err(ChainBreak { seq: record.seq.min(expected_seq), problem }));
                }
                expected_prev = record.hash.clone();
                expected_seq += 1;
            }
            progress(expected_seq - 1);
        }
    }
}

//! Validation without a database round trip, when that is safe. On SQLite one process owns the database, so
//! every write that ends a session passes through this process's `Storage`, which bumps a generation
//! counter; a cached session is used only while the generation it was read under is still current. Any
//! revocation therefore empties the cache for the very next request. With PostgreSQL other nodes write
//! too, so the cache is off and every validation reads the database.

use std::sync::{Arc, RwLock};

use quick_cache::sync::Cache;

use app::model::SessionStatus;

use crate::policy::SessionPolicy;
use crate::storage::{KeyedApp, SessionRow, Storage, StorageError};

/// A cached entry is re-read after this long, so counters and last-active in replies stay fresh.
const MAX_AGE_MS: i64 = 5_000;
/// At most this many sessions (and apps) are kept; past it the least used go first.
const MAX_ENTRIES: usize = 200_000;

/// Validation cache lookups by result (`GET /metrics`); none on PostgreSQL, where the cache is off.
const CACHE_LOOKUPS: &str = "roster_validation_cache_lookups_total";

struct Entry<T> {
    value: Arc<T>,
    generation: u64,
    loaded_at_ms: i64,
}

impl<T> Clone for Entry<T> {
    fn clone(&self) -> Self {
        Entry { value: self.value.clone(), generation: self.generation, loaded_at_ms: self.loaded_at_ms }
    }
}

type Table<T> = Cache<Vec<u8>, Entry<T>>;

#[derive(Clone)]
pub struct ValidationCache {
    enabled: bool,
    sessions: Arc<Table<SessionRow>>,
    apps: Arc<Table<KeyedApp>>,
    /// The workspace policy, read on every console request and session creation. Kept on PostgreSQL too:
    /// a settings change made on another node arrives within `MAX_AGE_MS`.
    policy: Arc<RwLock<Option<Entry<SessionPolicy>>>>,
}

impl std::fmt::Debug for ValidationCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidationCache").field("enabled", &self.enabled).finish()
    }
}

fn get<T>(table: &Table<T>, key: &[u8], generation: u64, now_ms: i64) -> Option<Arc<T>> {
    let entry = table.get(key)?;
    (entry.generation == generation && now_ms - entry.loaded_at_ms < MAX_AGE_MS).then_some(entry.value)
}

fn put<T>(table: &Table<T>, key: Vec<u8>, value: Arc<T>, generation: u64, now_ms: i64) {
    table.insert(key, Entry { value, generation, loaded_at_ms: now_ms });
}

impl ValidationCache {
    pub fn for_storage(storage: &Storage) -> ValidationCache {
        ValidationCache {
            enabled: storage.kind() == crate::storage::DbKind::Sqlite,
            sessions: Arc::new(Cache::new(MAX_ENTRIES)),
            apps: Arc::new(Cache::new(MAX_ENTRIES)),
            policy: Arc::default(),
        }
    }

    /// The workspace policy, re-read after a settings write on this node or after `MAX_AGE_MS`.
    pub async fn policy(&self, storage: &Storage, now_ms: i64) -> Result<SessionPolicy, StorageError> {
        let generation = storage.generation();
        {
            let cached = self.policy.read().unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some(entry) = cached.as_ref() {
                if entry.generation == generation && now_ms - entry.loaded_at_ms < MAX_AGE_MS {
                    return Ok(*entry.value);
                }
            }
        }
        let policy = SessionPolicy::from_settings(&storage.settings().await?);
        let entry = Entry { value: Arc::new(policy), generation, loaded_at_ms: now_ms };
        *self.policy.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(entry);
        Ok(policy)
    }

    /// The session with this token hash, from the cache when it is still current, else from the database.
    pub async fn session(
        &self,
        storage: &Storage,
        token_hash: &[u8],
        now_ms: i64,
    ) -> Result<Option<Arc<SessionRow>>, StorageError> {
        // Read the generation before the database: a revocation that commits in between makes this entry
        // stale at once.
        let generation = storage.generation();
        if self.enabled {
            if let Some(row) = get(&self.sessions, token_hash, generation, now_ms) {
                if row.deadline_at.is_none_or(|deadline| deadline > now_ms) {
                    metrics::counter!(CACHE_LOOKUPS, "result" => "hit").increment(1);
                    return Ok(Some(row));
                }
            }
            metrics::counter!(CACHE_LOOKUPS, "result" => "miss").increment(1);
        }
        let Some(row) = storage.session_by_token_hash(token_hash, None).await? else {
            return Ok(None);
        };
        let row = Arc::new(row);
        if self.enabled && row.status == SessionStatus::Active {
            put(&self.sessions, token_hash.to_vec(), row.clone(), generation, now_ms);
        }
        Ok(Some(row))
    }

    /// The app a live API key belongs to, with the key's id.
    pub async fn app(
        &self,
        storage: &Storage,
        key_hash: &[u8],
        now_ms: i64,
    ) -> Result<Option<Arc<KeyedApp>>, StorageError> {
        let generation = storage.generation();
        if self.enabled {
            if let Some(app) = get(&self.apps, key_hash, generation, now_ms) {
                return Ok(Some(app));
            }
        }
        let Some(app) = storage.app_by_key_hash(key_hash).await? else {
            return Ok(None);
        };
        let app = Arc::new(app);
        if self.enabled {
            put(&self.apps, key_hash.to_vec(), app.clone(), generation, now_ms);
        }
        Ok(Some(app))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_serves_only_its_own_generation_and_only_while_fresh() {
        let table: Table<&str> = Cache::new(8);
        put(&table, b"token".to_vec(), Arc::new("session"), 7, 1_000);
        assert_eq!(get(&table, b"token", 7, 1_000 + MAX_AGE_MS - 1).as_deref(), Some(&"session"));
        assert_eq!(get(&table, b"token", 8, 1_001), None, "any end of a session since it was read voids it");
        assert_eq!(get(&table, b"token", 7, 1_000 + MAX_AGE_MS), None, "too old: read it again");
    }

    #[test]
    fn the_cache_stays_within_its_bound() {
        let table: Table<u32> = Cache::new(100);
        for n in 0..10_000u32 {
            put(&table, n.to_be_bytes().to_vec(), Arc::new(n), 1, 0);
        }
        assert!(table.len() <= 100, "{} entries kept", table.len());
        assert!(get(&table, &9_999u32.to_be_bytes(), 1, 0).is_some(), "the newest entry is kept");
    }
}

//! All SQL lives under this module. One set of queries runs on SQLite (the default, an embedded file) and on
//! PostgreSQL (several nodes sharing one server), through sqlx's `Any` driver; the few places where the two
//! differ ask `DbKind`.

mod alarm_webhook;
mod alarms;
mod analytics;
mod apps;
mod audit;
mod audit_list;
mod bulk;
mod bulk_load;
mod credentials;
mod deadline;
mod dense_search_pages;
mod ended_by;
mod history;
mod key_checks;
mod leadership;
mod notifications;
mod own_sessions;
mod page_window;
mod payload_keys;
mod recount;
mod session_end;
mod session_insert;
mod session_list;
mod session_owner;
mod session_search;
mod sessions;
mod settings;
mod sort_ranks;
mod sql_builder;
mod user_changes;
mod user_list;
mod user_term_sql;
mod users;

pub use alarm_webhook::{AlarmWebhookRow, NewAlarmWebhook};
pub use alarms::{AlarmRow, EarlierSignIn, NewAlarm, RaisedAlarm, SignInFacts};
pub use analytics::{AnalyticsCount, SessionSpan};
pub use apps::{AdminTokenRow, AppListRow, AppRow, KeyedApp, NewApp, CONSOLE_APP};
pub use audit::{AuditEvent, AuditRecord, ChainBreak};
pub use audit_list::{AuditPage, AuditQuery, AUDIT_COUNT_CAP, AUDIT_SEARCH_MIN_CHARS};
pub use bulk::BulkSession;
pub use bulk_load::BulkLoad;
pub use credentials::{CredentialKind, CredentialRequests, CredentialRow};
pub use deadline::deadline;
pub use ended_by::EndedBy;
pub use history::{HistoryListPage, HistoryQuery, HistoryRow};
pub use leadership::Leadership;
pub use notifications::{NotificationListener, LISTENER_APPLICATION_NAME};
pub use own_sessions::OwnSessionRow;
pub use session_end::{expiry_cause, expiry_reason, ChangedSession, ExpiredBatch, UserSessions};
pub use session_insert::{InsertedSession, NewSession, SessionLimit};
pub use session_list::{ListPage, ListQuery, SortColumn, SEARCH_COUNT_CAP};
pub use session_owner::SessionOwner;
pub use sessions::{Activity, SessionEnd, SessionRow, StoredPayload};
pub use settings::PolicyLimits;
pub use user_changes::{Disabling, UserChange};
pub use user_list::{UserListPage, UserListQuery, UserSortColumn, UserSummaryRow, USER_SEARCH_COUNT_CAP};
pub use users::{normalize_email, NewUser, SignInAttempt, StoredPasswordHash, UserRow};

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};
use thiserror::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

#[derive(Debug, Error)]
pub enum StorageError {
    #[error("database URL must start with sqlite: or postgres: (got {0:?})")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A unique constraint refused the write; the string names what already exists.
    #[error("{0} already exists")]
    AlreadyExists(&'static str),
    /// A page past the first this-many matches of a search that matched more than it counts.
    #[error("a search that matches more than {0} sessions shows its first {0}; narrow the search or filter to see the rest")]
    SearchTooDeep(i64),
    /// A page past the first this-many records of an audit search or filter that matched more than it counts.
    #[error(
        "an audit search that matches more than {0} records shows its first {0}; narrow it to see the rest"
    )]
    AuditSearchTooDeep(i64),
    /// The user already has `max` active sessions.
    #[error("the user already has {max} active sessions")]
    SessionLimit { max: i64, user_id: i64 },
    /// The session's user is disabled: no new sessions.
    #[error("this user is disabled in Roster")]
    UserDisabled,
    /// An app named a user by external id alone, and Roster has never seen that id.
    #[error("userEmail is needed the first time a user is seen")]
    UnknownUser,
}

impl StorageError {
    /// The database could not take the request now (SQLite's write lock stayed taken past the busy timeout, or
    /// no pooled connection came free): worth a retry, not a failure of Roster.
    pub fn is_busy(&self) -> bool {
        match self {
            StorageError::Database(sqlx::Error::PoolTimedOut) => true,
            StorageError::Database(error) => error.as_database_error().and_then(|db| db.code()).is_some_and(
                // SQLITE_BUSY and SQLITE_LOCKED with their extended codes; PostgreSQL's lock_not_available,
                // deadlock_detected and serialization_failure (the transaction was rolled back: a retry is safe).
                |code| {
                    matches!(code.as_ref(), "5" | "6" | "261" | "517" | "262" | "55P03" | "40P01" | "40001")
                },
            ),
            _ => false,
        }
    }

    fn from_insert(error: sqlx::Error, what: &'static str) -> StorageError {
        match error.as_database_error() {
            Some(db) if db.is_unique_violation() => StorageError::AlreadyExists(what),
            _ => StorageError::Database(error),
        }
    }
}

/// The connection pool's connections now, for `GET /metrics`.
#[derive(Clone, Copy, Debug)]
pub struct PoolUse {
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

#[derive(Clone, Debug)]
pub struct Storage {
    pool: AnyPool,
    kind: DbKind,
    /// Bumped by every write that ends a session or changes what a validation returns, so in-memory caches
    /// know when to forget (see `engine::cache`).
    generation: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Where the database is, for connections outside the pool (PostgreSQL's listener). It may hold a password.
    url: std::sync::Arc<secrecy::SecretString>,
    /// The database orders text by code point, as the counts of user prefixes do (see `sort_ranks`).
    user_ranks: bool,
}

impl Storage {
    /// Connects, applies the connection settings and runs the migrations.
    pub async fn connect(url: &str) -> Result<Storage, StorageError> {
        sqlx::any::install_default_drivers();
        let kind = if url.starts_with("sqlite:") {
            DbKind::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            DbKind::Postgres
        } else {
            return Err(StorageError::UnsupportedUrl(url.to_string()));
        };
        let options = AnyConnectOptions::from_str(url)?;
        let pool = match kind {
            DbKind::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(8)
                    // sqlx already turns on foreign keys and a 5 s busy timeout for SQLite; WAL lets readers
                    // run beside the one writer, and NORMAL sync is safe with WAL.
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute("PRAGMA synchronous = NORMAL").await?;
                            // An ended session's payload is destroyed: its ciphertext is overwritten with zeros
                            // in the file, not left in free space for a copy of the file to give away.
                            conn.execute("PRAGMA secure_delete = ON").await?;
                            // 32 MB per connection instead of 2 MB: the sort indexes of a million sessions are
                            // hundreds of MB, and every expiry or revocation touches a page of each.
                            conn.execute("PRAGMA cache_size = -32768").await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            DbKind::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    // A deep console page is estimated costly enough for the JIT, which then spends more
                    // compiling (12 ms measured) than the index walk it speeds up: every query here is short.
                    .after_connect(|conn, _| {
                        Box::pin(async move { conn.execute("SET jit = off").await.map(|_| ()) })
                    })
                    .connect_with(options)
                    .await?
            }
        };
        if kind == DbKind::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
        }
        let mut storage = Storage {
            pool,
            kind,
            generation: Default::default(),
            url: std::sync::Arc::new(url.into()),
            user_ranks: false,
        };
        storage.migrate().await?;
        storage.user_ranks = storage.orders_text_by_code_point().await?;
        Ok(storage)
    }

    async fn migrate(&self) -> Result<(), StorageError> {
        match self.kind {
            DbKind::Sqlite => sqlx::migrate!("migrations/sqlite").run(&self.pool).await?,
            DbKind::Postgres => sqlx::migrate!("migrations/postgres").run(&self.pool).await?,
        }
        Ok(())
    }

    pub fn kind(&self) -> DbKind {
        self.kind
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Another node changed something: whatever this node keeps in memory is read again.
    pub fn forget_cached(&self) {
        self.bump_generation();
    }

    fn bump_generation(&self) {
        self.generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// Commits a write that ends or changes sessions. The generation moves even when the commit reports an
    /// error: the write may have reached the database all the same, and a cache that forgets too much costs
    /// only a read, while one that remembers too much accepts a revoked token.
    async fn commit_and_forget(&self, tx: Transaction<'static, Any>) -> Result<(), StorageError> {
        let committed = tx.commit().await;
        self.bump_generation();
        Ok(committed?)
    }

    /// A transaction that holds the write lock from its first statement. On SQLite a deferred transaction
    /// that reads and then writes fails at once with SQLITE_BUSY instead of waiting out the busy timeout.
    ///
    /// On PostgreSQL every write transaction takes the audit log's lock first, before any row lock: one lock
    /// order for all of them. When single-row writers locked their row and then the audit log while the sweep
    /// held the audit log and wanted their row, PostgreSQL broke the deadlock by failing one of them.
    async fn begin_write(&self) -> Result<Transaction<'static, Any>, StorageError> {
        Ok(match self.kind {
            DbKind::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            DbKind::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query("LOCK TABLE audit_events IN EXCLUSIVE MODE").execute(&mut *tx).await?;
                tx
            }
        })
    }

    /// The database answers a query now (`GET /readyz`).
    pub async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub fn pool_use(&self) -> PoolUse {
        PoolUse {
            open: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
            max: self.pool.options().get_max_connections(),
        }
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

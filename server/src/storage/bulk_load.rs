//! Bulk loads for `roster demo`: one transaction in which the sessions table's count triggers, and (when the
//! load is bigger than the table) its secondary indexes, are set aside while the rows go in; then the indexes are
//! built again, every count is recounted once and the triggers come back, before the commit.
//!
//! Each trigger fires per row, and most of them update one of a few counter rows: a million inserts made a
//! million updates of the same rows (on PostgreSQL each a new row version). Each of the table's twenty indexes
//! took a random insert per row, most of them missing the cache; an index built after the load is one sort.
//! Because everything comes back in the same transaction, a load that fails half-way leaves the database as it
//! was, triggers and indexes included.

use sqlx::{Any, AnyConnection, AssertSqlSafe, Transaction};

use super::{DbKind, Storage, StorageError};

/// A load in progress: rows go in through `insert_users` and `insert_sessions`; nothing is visible to other
/// connections, and the sessions table is held, until `finish`. Dropped unfinished, it rolls back.
pub struct BulkLoad {
    tx: Transaction<'static, Any>,
    kind: DbKind,
    pool: sqlx::AnyPool,
    /// The `CREATE INDEX` of each index dropped for the load.
    indexes: Vec<String>,
    /// SQLite cannot switch a trigger off: each is dropped and created again from its own stored text.
    sqlite_triggers: Vec<String>,
}

impl Storage {
    /// Begins a load of about `sessions` sessions. It holds the database's write lock (and on PostgreSQL the
    /// sessions table) until it finishes: other writers wait, so a large load is for a database that is not
    /// serving yet.
    pub async fn begin_bulk_load(&self, sessions: usize) -> Result<BulkLoad, StorageError> {
        let mut tx = self.begin_write().await?;
        let stored: i64 =
            sqlx::query_scalar("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM session_counts")
                .fetch_one(&mut *tx)
                .await?;
        // Rebuilding an index reads the whole table: worth it only when the load is at least as big.
        let rebuild_indexes = i64::try_from(sessions).unwrap_or(i64::MAX) >= stored.max(1);
        let mut load = BulkLoad {
            tx,
            kind: self.kind,
            pool: self.pool.clone(),
            indexes: Vec::new(),
            sqlite_triggers: Vec::new(),
        };
        if self.kind == DbKind::Sqlite {
            // Ids and token hashes are random, so their index pages are touched all over: with SQLite's default
            // 2 MB page cache a million rows spend most of their time re-reading them.
            sqlx::query("PRAGMA cache_size = -262144").execute(load.connection()).await?;
        }
        if rebuild_indexes {
            load.drop_indexes().await?;
        }
        load.set_triggers_aside().await?;
        Ok(load)
    }
}

impl BulkLoad {
    pub(super) fn kind(&self) -> DbKind {
        self.kind
    }

    pub(super) fn connection(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    /// Every index on sessions but those of its primary key and unique constraints (the load must still be
    /// refused a duplicate id or token).
    async fn drop_indexes(&mut self) -> Result<(), StorageError> {
        let found: Vec<(String, String)> = match self.kind {
            DbKind::Sqlite => sqlx::query_as(
                "SELECT name, sql FROM sqlite_master
                 WHERE type = 'index' AND tbl_name = 'sessions' AND sql IS NOT NULL",
            ),
            DbKind::Postgres => sqlx::query_as(
                "SELECT indexname::text, indexdef FROM pg_indexes
                 WHERE schemaname = current_schema() AND tablename = 'sessions'
                   AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'sessions'::regclass)",
            ),
        }
        .fetch_all(self.connection())
        .await?;
        for (name, definition) in found {
            sqlx::query(AssertSqlSafe(format!("DROP INDEX \"{name}\""))).execute(self.connection()).await?;
            self.indexes.push(definition);
        }
        Ok(())
    }

    async fn set_triggers_aside(&mut self) -> Result<(), StorageError> {
        match self.kind {
            DbKind::Sqlite => {
                let triggers: Vec<(String, String)> = sqlx::query_as(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'sessions'",
                )
                .fetch_all(self.connection())
                .await?;
                for (name, sql) in triggers {
                    sqlx::query(AssertSqlSafe(format!("DROP TRIGGER \"{name}\"")))
                        .execute(self.connection())
                        .await?;
                    self.sqlite_triggers.push(sql);
                }
            }
            DbKind::Postgres => {
                sqlx::query("ALTER TABLE sessions DISABLE TRIGGER USER").execute(self.connection()).await?;
            }
        }
        Ok(())
    }

    /// Builds the indexes again, recounts every count the triggers keep (on the indexes), puts the triggers
    /// back and commits.
    pub async fn finish(mut self) -> Result<(), StorageError> {
        if self.kind == DbKind::Postgres && !self.indexes.is_empty() {
            // Each index is sorted in memory: with 256 MB the bigger ones (sessions_ip carries every sort key)
            // spilled to disk, and a million sessions took 122 s to seed instead of 93.
            sqlx::query("SET LOCAL maintenance_work_mem = '1GB'").execute(self.connection()).await?;
        }
        for definition in std::mem::take(&mut self.indexes) {
            sqlx::query(AssertSqlSafe(definition)).execute(self.connection()).await?;
        }
        let kind = self.kind;
        super::recount::recount_in(self.connection(), kind).await?;
        match self.kind {
            DbKind::Sqlite => {
                for sql in std::mem::take(&mut self.sqlite_triggers) {
                    sqlx::query(AssertSqlSafe(sql)).execute(self.connection()).await?;
                }
            }
            DbKind::Postgres => {
                sqlx::query("ALTER TABLE sessions ENABLE TRIGGER USER").execute(self.connection()).await?;
            }
        }
        self.tx.commit().await?;
        if self.kind == DbKind::Postgres {
            // Fresh statistics for the planner, and the visibility map that lets the console's sort indexes
            // answer a page without visiting the table (autovacuum would get there, minutes later).
            sqlx::query("VACUUM (ANALYZE) sessions, users").execute(&self.pool).await?;
        }
        Ok(())
    }
}

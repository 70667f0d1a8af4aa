//! The payload keys, each sealed by the master key: stored here so that every node reads the same ring.

use super::{AuditEvent, Storage, StorageError};

impl Storage {
    /// Every stored key as (id, sealed key), oldest first.
    pub async fn sealed_payload_keys(&self) -> Result<Vec<(i64, Vec<u8>)>, StorageError> {
        Ok(sqlx::query_as("SELECT id, wrapped FROM payload_keys ORDER BY id").fetch_all(&self.pool).await?)
    }

    /// The current key's id (the highest), None before the first start.
    pub async fn newest_payload_key_id(&self) -> Result<Option<i64>, StorageError> {
        let (newest,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(id) FROM payload_keys").fetch_one(&self.pool).await?;
        Ok(newest)
    }

    /// Stores the first keys (made fresh, or imported from a key file) when there are none yet; when another
    /// node got there first, stores nothing. True when these keys were stored.
    pub async fn store_first_payload_keys(
        &self,
        keys: &[(i64, Vec<u8>)],
        now_ms: i64,
        event: &AuditEvent,
    ) -> Result<bool, StorageError> {
        let mut tx = self.begin_write().await?;
        let (existing,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM payload_keys").fetch_one(&mut *tx).await?;
        if existing > 0 {
            return Ok(false);
        }
        for (id, wrapped) in keys {
            sqlx::query("INSERT INTO payload_keys (id, wrapped, created_at) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(wrapped.as_slice())
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
        }
        self.append_audit(&mut tx, event).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Adds the next key (`wrap` seals it for the id it is given) and returns that id, with its audit record.
    pub async fn add_payload_key(
        &self,
        wrap: impl FnOnce(i64) -> Vec<u8>,
        now_ms: i64,
        event: impl FnOnce(i64) -> AuditEvent,
    ) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        let (newest,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(id) FROM payload_keys").fetch_one(&mut *tx).await?;
        let id = newest.unwrap_or(0) + 1;
        sqlx::query("INSERT INTO payload_keys (id, wrapped, created_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(wrap(id).as_slice())
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
        self.append_audit(&mut tx, &event(id)).await?;
        tx.commit().await?;
        Ok(id)
    }
}

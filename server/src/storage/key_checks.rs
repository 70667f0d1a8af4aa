//! The payload keys' fingerprints: which key each key id named when Roster first started with it.

use super::{Storage, StorageError};

impl Storage {
    /// Records the fingerprint of every key id not seen before, and returns the ids whose recorded fingerprint
    /// differs from the one given: keys replaced under the same id.
    pub async fn check_payload_key_fingerprints(
        &self,
        fingerprints: &[(i64, Vec<u8>)],
        now_ms: i64,
    ) -> Result<Vec<i64>, StorageError> {
        let mut tx = self.begin_write().await?;
        let mut replaced = Vec::new();
        for (key_id, fingerprint) in fingerprints {
            let recorded: Option<(Vec<u8>,)> =
                sqlx::query_as("SELECT fingerprint FROM payload_key_checks WHERE key_id = $1")
                    .bind(key_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            match recorded {
                Some((recorded,)) if &recorded != fingerprint => replaced.push(*key_id),
                Some(_) => {}
                None => {
                    sqlx::query("INSERT INTO payload_key_checks (key_id, fingerprint, recorded_at) VALUES ($1, $2, $3)")
                        .bind(key_id)
                        .bind(fingerprint.as_slice())
                        .bind(now_ms)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(replaced)
    }
}

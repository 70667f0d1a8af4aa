//! Apps' API keys and admin tokens as the Apps page lists them, their revocation, and their use: requests per
//! hour (summed over the nodes that flush them) and when each was last used.

use sqlx::{AssertSqlSafe, FromRow};

use super::{AuditEvent, Storage, StorageError};

/// Which bearer credential: the tables differ, the bookkeeping does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CredentialKind {
    AppKey,
    AdminToken,
}

impl CredentialKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialKind::AppKey => "app_key",
            CredentialKind::AdminToken => "admin_token",
        }
    }

    fn table(self) -> &'static str {
        match self {
            CredentialKind::AppKey => "app_api_keys",
            CredentialKind::AdminToken => "admin_tokens",
        }
    }
}

/// A live key or token, without its hash.
#[derive(Debug, Clone, FromRow)]
pub struct CredentialRow {
    pub id: i64,
    /// The app a key belongs to; None for an admin token.
    pub app_slug: Option<String>,
    /// An admin token's name; None for a key.
    pub name: Option<String>,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// Requests one credential made in one hour (`hour`: Unix time in whole hours), and its latest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialRequests {
    pub kind: CredentialKind,
    pub id: i64,
    pub hour: i64,
    pub requests: i64,
    pub last_used_at: i64,
}

impl Storage {
    /// Every live API key (with its app) and admin token, newest first.
    pub async fn live_credentials(&self) -> Result<(Vec<CredentialRow>, Vec<CredentialRow>), StorageError> {
        let keys = sqlx::query_as(
            "SELECT k.id, a.slug AS app_slug, CAST(NULL AS TEXT) AS name, k.prefix, k.created_at, k.last_used_at
             FROM app_api_keys k JOIN apps a ON a.id = k.app_id WHERE k.revoked_at IS NULL
             ORDER BY k.created_at DESC, k.id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        let tokens = sqlx::query_as(
            "SELECT id, CAST(NULL AS TEXT) AS app_slug, name, prefix, created_at, last_used_at
             FROM admin_tokens WHERE revoked_at IS NULL ORDER BY created_at DESC, id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok((keys, tokens))
    }

    /// A live key or token by id.
    pub async fn live_credential(
        &self,
        kind: CredentialKind,
        id: i64,
    ) -> Result<Option<CredentialRow>, StorageError> {
        let sql = match kind {
            CredentialKind::AppKey => {
                "SELECT k.id, a.slug AS app_slug, CAST(NULL AS TEXT) AS name, k.prefix, k.created_at, k.last_used_at
                 FROM app_api_keys k JOIN apps a ON a.id = k.app_id WHERE k.id = $1 AND k.revoked_at IS NULL"
            }
            CredentialKind::AdminToken => {
                "SELECT id, CAST(NULL AS TEXT) AS app_slug, name, prefix, created_at, last_used_at
                 FROM admin_tokens WHERE id = $1 AND revoked_at IS NULL"
            }
        };
        Ok(sqlx::query_as(sql).bind(id).fetch_optional(&self.pool).await?)
    }

    /// Revokes a live key or token, audited in the same transaction; the cached app of a key is forgotten at
    /// the commit, so the key is refused from its next request. False when it was not live.
    pub async fn revoke_credential(
        &self,
        kind: CredentialKind,
        id: i64,
        now_ms: i64,
        audit: &AuditEvent,
    ) -> Result<bool, StorageError> {
        let sql = format!("UPDATE {} SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL", kind.table());
        let mut tx = self.begin_write().await?;
        let revoked =
            sqlx::query(AssertSqlSafe(sql)).bind(now_ms).bind(id).execute(&mut *tx).await?.rows_affected();
        if revoked == 0 {
            return Ok(false);
        }
        self.append_audit(&mut tx, audit).await?;
        self.commit_and_forget(tx).await?;
        Ok(true)
    }

    /// Adds counted requests to their hours and moves each credential's last use forward; hours before
    /// `keep_from_hour` are dropped.
    pub async fn record_credential_requests(
        &self,
        batch: &[CredentialRequests],
        keep_from_hour: i64,
    ) -> Result<(), StorageError> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for counted in batch {
            sqlx::query(
                "INSERT INTO credential_requests (kind, credential_id, hour, requests) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (kind, credential_id, hour)
                 DO UPDATE SET requests = credential_requests.requests + excluded.requests",
            )
            .bind(counted.kind.as_str())
            .bind(counted.id)
            .bind(counted.hour)
            .bind(counted.requests)
            .execute(&mut *tx)
            .await?;
            let sql = format!(
                "UPDATE {} SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)",
                counted.kind.table()
            );
            sqlx::query(AssertSqlSafe(sql))
                .bind(counted.last_used_at)
                .bind(counted.id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM credential_requests WHERE hour < $1")
            .bind(keep_from_hour)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Requests per credential from `from_hour` on: (kind, id, requests).
    pub async fn credential_requests_since(
        &self,
        from_hour: i64,
    ) -> Result<Vec<(String, i64, i64)>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT kind, credential_id, CAST(SUM(requests) AS BIGINT) FROM credential_requests
             WHERE hour >= $1 GROUP BY kind, credential_id",
        )
        .bind(from_hour)
        .fetch_all(&self.pool)
        .await?)
    }
}

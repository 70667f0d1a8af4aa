//! Registered apps and their API keys, and the admin API's tokens. Keys and tokens are stored as SHA-256.

use sqlx::{Any, FromRow, Transaction};

use super::{AuditEvent, Storage, StorageError};

/// The app the console's own sign-ins belong to, made by the first migration.
pub use app::apps::CONSOLE_APP;

#[derive(Debug, Clone, FromRow)]
pub struct AppRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub max_payload_bytes: i64,
}

/// The app a live API key belongs to, with the key's id (its requests are counted by it).
#[derive(Debug, Clone, FromRow)]
pub struct KeyedApp {
    pub key_id: i64,
    #[sqlx(flatten)]
    pub app: AppRow,
}

/// A registered app with its count of active sessions (kept by triggers in `session_counts`).
#[derive(Debug, Clone, FromRow)]
pub struct AppListRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub max_payload_bytes: i64,
    pub created_at: i64,
    pub active_sessions: i64,
}

/// Who a bearer credential belongs to.
#[derive(Debug, Clone, FromRow)]
pub struct AdminTokenRow {
    pub id: i64,
    pub name: String,
}

/// An app to register, with the hash and shown prefix of its first API key.
pub struct NewApp<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub max_payload_bytes: i64,
    pub key_hash: &'a [u8],
    pub key_prefix: &'a str,
    pub now_ms: i64,
}

impl Storage {
    /// Registers an app with its first API key, audited in the same transaction.
    pub async fn create_app(&self, app: &NewApp<'_>, audit: &AuditEvent) -> Result<i64, StorageError> {
        let NewApp { slug, name, max_payload_bytes, key_hash, key_prefix, now_ms } = *app;
        let mut tx = self.begin_write().await?;
        let (app_id,): (i64,) = sqlx::query_as(
            "INSERT INTO apps (slug, name, max_payload_bytes, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(slug)
        .bind(name)
        .bind(max_payload_bytes)
        .bind(now_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(|error| StorageError::from_insert(error, "an app with this id"))?;
        insert_app_key(&mut tx, app_id, key_hash, key_prefix, now_ms).await?;
        self.append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(app_id)
    }

    /// Every app's slug, A to Z (a handful: apps are registered by operators).
    pub async fn app_slugs(&self) -> Result<Vec<String>, StorageError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT slug FROM apps ORDER BY slug").fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(|(slug,)| slug).collect())
    }

    pub async fn app_by_slug(&self, slug: &str) -> Result<Option<AppRow>, StorageError> {
        Ok(sqlx::query_as("SELECT id, slug, name, max_payload_bytes FROM apps WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The app a live API key belongs to.
    pub async fn app_by_key_hash(&self, key_hash: &[u8]) -> Result<Option<KeyedApp>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT k.id AS key_id, a.id, a.slug, a.name, a.max_payload_bytes
             FROM app_api_keys k JOIN apps a ON a.id = k.app_id
             WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
        )
        .bind(key_hash)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Every registered app, A to Z, with its active sessions.
    pub async fn list_apps(&self) -> Result<Vec<AppListRow>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT a.id, a.slug, a.name, a.max_payload_bytes, a.created_at,
                 CAST(COALESCE((SELECT SUM(c.n) FROM session_counts c WHERE c.app_id = a.id AND c.status = 'active'), 0)
                      AS BIGINT) AS active_sessions
             FROM apps a ORDER BY a.slug",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Renames an app and sets its payload limit, audited. Stored payloads stay as they are (Analytics counts
    /// them against the new limit); the cached app is forgotten, so the next write is held to the new limit.
    /// False when no app has this slug.
    pub async fn update_app(
        &self,
        slug: &str,
        name: &str,
        max_payload_bytes: i64,
        audit: &AuditEvent,
    ) -> Result<bool, StorageError> {
        let mut tx = self.begin_write().await?;
        let before: Option<(i64, i64)> =
            sqlx::query_as("SELECT id, max_payload_bytes FROM apps WHERE slug = $1")
                .bind(slug)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((app_id, old_limit)) = before else {
            return Ok(false);
        };
        sqlx::query("UPDATE apps SET name = $1, max_payload_bytes = $2 WHERE id = $3")
            .bind(name)
            .bind(max_payload_bytes)
            .bind(app_id)
            .execute(&mut *tx)
            .await?;
        if old_limit != max_payload_bytes {
            self.recount_payload_bands(&mut tx, app_id).await?;
        }
        self.append_audit(&mut tx, audit).await?;
        self.commit_and_forget(tx).await?;
        Ok(true)
    }

    /// Adds an API key to an app, audited.
    pub async fn add_app_key(
        &self,
        app_id: i64,
        key_hash: &[u8],
        prefix: &str,
        now_ms: i64,
        audit: &AuditEvent,
    ) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        let id = insert_app_key(&mut tx, app_id, key_hash, prefix, now_ms).await?;
        self.append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn create_admin_token(
        &self,
        name: &str,
        token_hash: &[u8],
        prefix: &str,
        now_ms: i64,
        audit: &AuditEvent,
    ) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO admin_tokens (name, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(name)
        .bind(token_hash)
        .bind(prefix)
        .bind(now_ms)
        .fetch_one(&mut *tx)
        .await?;
        self.append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn admin_token_by_hash(
        &self,
        token_hash: &[u8],
    ) -> Result<Option<AdminTokenRow>, StorageError> {
        Ok(sqlx::query_as("SELECT id, name FROM admin_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Every stored setting, by name.
    pub async fn settings(&self) -> Result<Vec<(String, i64)>, StorageError> {
        Ok(sqlx::query_as("SELECT name, value FROM settings").fetch_all(&self.pool).await?)
    }

    pub async fn put_setting(&self, name: &str, value: i64) -> Result<(), StorageError> {
        let written = sqlx::query(
            "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = $2",
        )
        .bind(name)
        .bind(value)
        .execute(&self.pool)
        .await;
        self.bump_generation();
        written?;
        Ok(())
    }
}

async fn insert_app_key(
    tx: &mut Transaction<'static, Any>,
    app_id: i64,
    key_hash: &[u8],
    prefix: &str,
    now_ms: i64,
) -> Result<i64, StorageError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO app_api_keys (app_id, key_hash, prefix, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(app_id)
    .bind(key_hash)
    .bind(prefix)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

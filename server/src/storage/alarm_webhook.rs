//! The alarm webhook's one row: where new alarms are posted, the signing secret sealed with the payload key,
//! and how the last delivery went.

use sqlx::FromRow;

use super::{AuditEvent, Storage, StorageError};

#[derive(Debug, Clone, FromRow)]
pub struct AlarmWebhookRow {
    pub url: String,
    pub secret_sealed: Vec<u8>,
    pub secret_key_id: i64,
    pub changed_at: i64,
    pub last_attempt_at: Option<i64>,
    /// 1 when the last attempt was answered with a 2xx.
    pub last_delivered: Option<i64>,
    pub last_detail: Option<String>,
}

/// A webhook to save: its URL and the secret, already sealed.
pub struct NewAlarmWebhook<'a> {
    pub url: &'a str,
    pub secret_sealed: &'a [u8],
    pub secret_key_id: i64,
    pub now_ms: i64,
}

impl Storage {
    pub async fn alarm_webhook(&self) -> Result<Option<AlarmWebhookRow>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT url, secret_sealed, secret_key_id, changed_at, last_attempt_at, last_delivered, last_detail
             FROM alarm_webhook WHERE id = 1",
        )
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Sets the webhook (None: removes it), forgetting the last delivery, with its audit record.
    pub async fn put_alarm_webhook(
        &self,
        webhook: Option<&NewAlarmWebhook<'_>>,
        audit: &AuditEvent,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM alarm_webhook").execute(&mut *tx).await?;
        if let Some(webhook) = webhook {
            sqlx::query(
                "INSERT INTO alarm_webhook (id, url, secret_sealed, secret_key_id, changed_at)
                 VALUES (1, $1, $2, $3, $4)",
            )
            .bind(webhook.url)
            .bind(webhook.secret_sealed)
            .bind(webhook.secret_key_id)
            .bind(webhook.now_ms)
            .execute(&mut *tx)
            .await?;
        }
        self.append_audit(&mut tx, audit).await?;
        self.commit_and_forget(tx).await
    }

    /// Records an attempt's outcome, unless the webhook was changed after the attempt began (`changed_at`
    /// tells the two apart), so an old URL's failure never shows against a new one.
    pub async fn record_webhook_attempt(
        &self,
        changed_at: i64,
        at_ms: i64,
        delivered: bool,
        detail: &str,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE alarm_webhook SET last_attempt_at = $1, last_delivered = $2, last_detail = $3
             WHERE id = 1 AND changed_at = $4",
        )
        .bind(at_ms)
        .bind(i64::from(delivered))
        .bind(detail)
        .bind(changed_at)
        .execute(&mut *tx)
        .await?;
        self.commit_and_forget(tx).await
    }
}

//! PostgreSQL's NOTIFY and LISTEN: how the nodes sharing one database tell each other that something changed.
//! SQLite has one node, so it has neither.

use secrecy::ExposeSecret;
use sqlx::postgres::PgListener;

use super::{DbKind, Storage, StorageError};

/// The one channel every node sends on and listens to.
const EVENTS_CHANNEL: &str = "roster_events";
/// How the listening connection names itself in `pg_stat_activity`, so an operator (or a test) can find it.
pub const LISTENER_APPLICATION_NAME: &str = "roster-events";

/// A connection of its own that receives what other nodes send. Notifications sent while it is disconnected
/// are lost; `next` says when that happened so the caller can make up for it.
pub struct NotificationListener(PgListener);

impl Storage {
    /// Sends `payload` to every node listening, this one included. Outside any transaction: a NOTIFY inside a
    /// write transaction would hold PostgreSQL's database-wide notification lock until that transaction ends.
    pub async fn notify(&self, payload: &str) -> Result<(), StorageError> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(EVENTS_CHANNEL)
            .bind(payload)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A listener on the events channel; None on SQLite.
    pub async fn listen(&self) -> Result<Option<NotificationListener>, StorageError> {
        if self.kind != DbKind::Postgres {
            return Ok(None);
        }
        let url = self.url.expose_secret();
        let separator = if url.contains('?') { '&' } else { '?' };
        let mut listener =
            PgListener::connect(&format!("{url}{separator}application_name={LISTENER_APPLICATION_NAME}"))
                .await?;
        listener.listen(EVENTS_CHANNEL).await?;
        Ok(Some(NotificationListener(listener)))
    }
}

impl NotificationListener {
    /// The next payload; `Ok(None)` when the connection was lost (it reconnects on the next call, and what was
    /// sent in between never arrives).
    pub async fn next(&mut self) -> Result<Option<String>, StorageError> {
        Ok(self.0.try_recv().await?.map(|notification| notification.payload().to_string()))
    }
}

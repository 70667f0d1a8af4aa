//! The periodic expiry sweep, so counts and lists stay true for sessions nobody validates any more.

use std::time::Duration;

use super::{Audience, Engine, Event};

/// At most this many sessions per transaction.
const BATCH: i64 = 100;
/// And at most this long holding the write lock: on a cold cache one expiry can cost milliseconds (it rewrites
/// the session's entry in every sort index), and sign-ins, revocations and validations wait behind the sweep.
const BATCH_BUDGET: Duration = Duration::from_millis(25);
/// Between batches the sweep lets go of the write lock for longer than SQLite's busy handler sleeps between
/// its retries (100 ms at most), so a writer that is waiting always gets its turn. With a shorter pause a
/// backlog (a server stopped for an hour, or a million demo sessions reaching their idle timeout) took the lock
/// back before the waiting writer looked again, until its busy timeout ran out and the request failed.
const PAUSE_BETWEEN_BATCHES: Duration = Duration::from_millis(120);

impl Engine {
    /// Expires every session whose deadline has passed, in batches; returns how many.
    pub async fn expire_due(&self) -> Result<usize, super::EngineError> {
        self.expire_due_in_batches(BATCH, BATCH_BUDGET, PAUSE_BETWEEN_BATCHES).await
    }

    pub async fn expire_due_in_batches(
        &self,
        batch: i64,
        budget: Duration,
        pause: Duration,
    ) -> Result<usize, super::EngineError> {
        let mut total = 0;
        loop {
            let expired = self.storage.expire_due_sessions(self.now_ms(), batch, budget).await?;
            total += expired.owners.len();
            if !expired.owners.is_empty() {
                self.events.publish(Event::sessions(Audience::owners(expired.owners)));
            }
            if !expired.more_due {
                return Ok(total);
            }
            tokio::time::sleep(pause).await;
        }
    }
}

pub fn spawn_expiry_sweep(engine: Engine, period: Duration) -> tokio::task::JoinHandle<()> {
    crate::periodic::every(period, move || {
        let engine = engine.clone();
        async move {
            // Several nodes on one database: one sweeps; the others would only queue for the same rows.
            if !engine.leadership.leads().await {
                return;
            }
            match engine.expire_due().await {
                Ok(0) => {}
                Ok(count) => tracing::info!("expired {count} sessions"),
                Err(error) if error.is_busy() => {
                    tracing::info!("the expiry sweep waits: the database is busy ({error})")
                }
                Err(error) => tracing::warn!("the expiry sweep failed: {error}"),
            }
        }
    })
}

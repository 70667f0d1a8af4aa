//! The periodic expiry sweep, so counts and lists stay true for sessions nobody validates any more.

use std::time::Duration;

use super::Engine;

/// Small enough that one batch holds the write lock briefly: expiring a session rewrites its entry in every
/// sort index.
const BATCH: i64 = 100;
/// Between full batches the sweep lets go of the write lock for a moment: on SQLite a backlog of expiries
/// (a server that was stopped for an hour) would otherwise take the lock back at once, batch after batch, and
/// sign-ins and revocations would wait out the busy timeout and fail.
const PAUSE_BETWEEN_BATCHES: Duration = Duration::from_millis(20);

impl Engine {
    /// Expires every session whose deadline has passed, in batches; returns how many.
    pub async fn expire_due(&self) -> Result<usize, super::EngineError> {
        let mut total = 0;
        loop {
            let done = self.storage.expire_due_sessions(self.now_ms(), BATCH).await?;
            total += done;
            if (done as i64) < BATCH {
                return Ok(total);
            }
            tokio::time::sleep(PAUSE_BETWEEN_BATCHES).await;
        }
    }
}

pub fn spawn_expiry_sweep(engine: Engine, period: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        // After a long sweep, carry on from now rather than firing every missed tick at once.
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match engine.expire_due().await {
                Ok(0) => {}
                Ok(count) => tracing::info!("expired {count} sessions"),
                Err(error) => tracing::warn!("the expiry sweep failed: {error}"),
            }
        }
    })
}

//! The periodic expiry sweep, so counts and lists stay true for sessions nobody validates any more.

use std::time::Duration;

use super::Engine;

const BATCH: i64 = 500;

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
        }
    }
}

pub fn spawn_expiry_sweep(engine: Engine, period: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
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

//! Validations are counted in memory and written in batches: a busy session costs one write per flush, not
//! one per request. Each node adds its own counts, so several nodes sum correctly.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::storage::{Activity, Storage, StorageError};

#[derive(Clone, Debug)]
pub struct ActivityRecorder {
    pending: Arc<Mutex<HashMap<String, Activity>>>,
    storage: Storage,
}

impl ActivityRecorder {
    pub fn new(storage: Storage) -> ActivityRecorder {
        ActivityRecorder { pending: Arc::default(), storage }
    }

    pub fn record(&self, session_id: &str, now_ms: i64) {
        let mut pending = self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = pending
            .entry(session_id.to_string())
            .or_insert(Activity { validations: 0, last_request_at: now_ms });
        entry.validations += 1;
        entry.last_request_at = entry.last_request_at.max(now_ms);
    }

    /// Writes what was counted; `touch_interval_ms` bounds how often last-active moves.
    pub async fn flush(&self, touch_interval_ms: i64) -> Result<(), StorageError> {
        let batch: Vec<(String, Activity)> = {
            let mut pending = self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            pending.drain().collect()
        };
        self.storage.record_activity(&batch, touch_interval_ms).await
    }

    /// Flushes every `period` until the process ends.
    pub fn spawn_flusher(&self, period: Duration, touch_interval_ms: i64) -> tokio::task::JoinHandle<()> {
        let recorder = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(period);
            loop {
                ticks.tick().await;
                if let Err(error) = recorder.flush(touch_interval_ms).await {
                    tracing::warn!("could not write session activity: {error}");
                }
            }
        })
    }
}

//! Validations are counted in memory and written in batches: a busy session costs one write per flush, not
//! one per request. Each node adds its own counts, so several nodes sum correctly.

use app::model::SessionId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{Audience, Event, EventBus};
use crate::storage::{Activity, Storage, StorageError};

/// Activity moves "last active" and request counts on the consoles that list every session; they hear of it
/// at most this often, so steady traffic costs an open console one refetch per period, not one per flush.
const ANNOUNCE_AT_MOST_EVERY: Duration = Duration::from_secs(5);

#[derive(Clone, Debug)]
pub struct ActivityRecorder {
    pending: Arc<Mutex<HashMap<String, Activity>>>,
    storage: Storage,
    events: EventBus,
    last_announced: Arc<Mutex<Option<Instant>>>,
}

impl ActivityRecorder {
    pub fn new(storage: Storage, events: EventBus) -> ActivityRecorder {
        ActivityRecorder { pending: Arc::default(), storage, events, last_announced: Arc::default() }
    }

    /// Counts one validation; `page` (what the app says the user is on) replaces the one counted before.
    pub fn record(&self, session_id: &SessionId, now_ms: i64, page: Option<&str>) {
        let mut pending = self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = pending.entry(session_id.to_string()).or_insert(Activity {
            validations: 0,
            last_request_at: now_ms,
            last_page: None,
        });
        entry.validations += 1;
        entry.last_request_at = entry.last_request_at.max(now_ms);
        if let Some(page) = page {
            entry.last_page = Some(page.to_owned());
        }
    }

    /// Writes what was counted; `touch_interval_ms` bounds how often last-active moves.
    pub async fn flush(&self, touch_interval_ms: i64) -> Result<(), StorageError> {
        let batch: Vec<(String, Activity)> = {
            let mut pending = self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            pending.drain().collect()
        };
        self.storage.record_activity(&batch, touch_interval_ms).await?;
        if !batch.is_empty() {
            self.announce_unless_recent();
        }
        Ok(())
    }

    /// Tells the consoles that list every session (audience: nobody in particular) that activity moved.
    fn announce_unless_recent(&self) {
        let mut last = self.last_announced.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if last.is_none_or(|at| at.elapsed() >= ANNOUNCE_AT_MOST_EVERY) {
            *last = Some(Instant::now());
            self.events.publish(Event::sessions(Audience::Users(Vec::new())));
        }
    }

    /// Flushes every `period` until the process ends.
    pub fn spawn_flusher(&self, period: Duration, touch_interval_ms: i64) -> tokio::task::JoinHandle<()> {
        let recorder = self.clone();
        crate::periodic::every(period, move || {
            let recorder = recorder.clone();
            async move {
                if let Err(error) = recorder.flush(touch_interval_ms).await {
                    tracing::warn!("could not write session activity: {error}");
                }
            }
        })
    }
}

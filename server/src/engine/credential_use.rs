//! Requests per API key and admin token, counted in memory by the hour and written in batches with the
//! session activity: authenticating a request costs a map update, not a database write. The Apps page adds
//! what this node has not flushed yet, so a request shows at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::clock::SharedClock;
use crate::storage::{CredentialKind, CredentialRequests, Storage, StorageError};

const HOUR_MS: i64 = 3_600_000;
/// The Apps page's window, in whole hours: this one and the 23 before it.
pub const WINDOW_HOURS: i64 = 24;

pub fn hour_of(ms: i64) -> i64 {
    ms.div_euclid(HOUR_MS)
}

/// One credential's requests in one hour: (kind, credential id, hour).
type CredentialHour = (CredentialKind, i64, i64);
/// Requests counted, and the latest of them (Unix ms).
type Counted = (i64, i64);

#[derive(Clone, Debug)]
pub struct CredentialUseRecorder {
    pending: Arc<Mutex<HashMap<CredentialHour, Counted>>>,
    storage: Storage,
}

impl CredentialUseRecorder {
    pub fn new(storage: Storage) -> CredentialUseRecorder {
        CredentialUseRecorder { pending: Arc::default(), storage }
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, HashMap<CredentialHour, Counted>> {
        self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts one request authenticated with this credential.
    pub fn record(&self, kind: CredentialKind, id: i64, now_ms: i64) {
        let mut pending = self.pending();
        let (requests, last) = pending.entry((kind, id, hour_of(now_ms))).or_insert((0, now_ms));
        *requests += 1;
        *last = (*last).max(now_ms);
    }

    /// What is counted and not yet written: per credential, (requests since `from_hour`, last use).
    pub fn unflushed(&self, from_hour: i64) -> HashMap<(CredentialKind, i64), Counted> {
        let mut totals: HashMap<(CredentialKind, i64), Counted> = HashMap::new();
        for ((kind, id, hour), (requests, last)) in self.pending().iter() {
            let total = totals.entry((*kind, *id)).or_insert((0, *last));
            if *hour >= from_hour {
                total.0 += requests;
            }
            total.1 = total.1.max(*last);
        }
        totals
    }

    /// Writes what was counted and drops hours the window no longer reaches.
    pub async fn flush(&self, now_ms: i64) -> Result<(), StorageError> {
        let batch: Vec<CredentialRequests> = self
            .pending()
            .drain()
            .map(|((kind, id, hour), (requests, last_used_at))| CredentialRequests {
                kind,
                id,
                hour,
                requests,
                last_used_at,
            })
            .collect();
        let written = self.storage.record_credential_requests(&batch, hour_of(now_ms) - WINDOW_HOURS).await;
        if written.is_err() {
            // Counted again next time rather than lost: counts are what the page promises.
            let mut pending = self.pending();
            for counted in batch {
                let entry = pending
                    .entry((counted.kind, counted.id, counted.hour))
                    .or_insert((0, counted.last_used_at));
                entry.0 += counted.requests;
                entry.1 = entry.1.max(counted.last_used_at);
            }
        }
        written
    }

    /// Flushes every `period` until the process ends.
    pub fn spawn_flusher(&self, period: Duration, clock: SharedClock) -> tokio::task::JoinHandle<()> {
        let recorder = self.clone();
        crate::periodic::every(period, move || {
            let (recorder, clock) = (recorder.clone(), clock.clone());
            async move {
                if let Err(error) = recorder.flush(clock.now_ms()).await {
                    tracing::warn!("could not write API key and token use: {error}");
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_whole_hours_since_1970() {
        assert_eq!(hour_of(HOUR_MS - 1), 0);
        assert_eq!(hour_of(HOUR_MS), 1);
        assert_eq!(hour_of(-1), -1, "before 1970 still rounds down");
    }
}

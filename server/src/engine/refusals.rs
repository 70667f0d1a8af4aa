//! Refused calls without a console session (an expired cookie, a script probing the server functions) and
//! sign-in attempts refused before any password check (locked out, throttled) are audited per address and minute, not one chained record each: a flood then costs the audit log one record
//! per address and minute instead of a write under the global audit lock per request.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use super::{Engine, EngineError};
use crate::storage::AuditEvent;

const MINUTE_MS: i64 = 60_000;
/// Addresses tallied separately per minute; the rest share one tally without an address.
const ADDRESSES_PER_MINUTE: usize = 10_000;
/// Distinct actions named per record.
const ACTIONS_NAMED: usize = 5;

#[derive(Default)]
struct Tally {
    count: u64,
    actions: BTreeSet<String>,
}

/// One minute's tallies, per address (None: no address, or past the per-minute bound).
type MinuteTallies = HashMap<Option<String>, Tally>;

#[derive(Clone, Default)]
pub struct AnonymousRefusals {
    minutes: Arc<Mutex<HashMap<i64, MinuteTallies>>>,
}

impl std::fmt::Debug for AnonymousRefusals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnonymousRefusals").finish_non_exhaustive()
    }
}

impl AnonymousRefusals {
    pub fn note(&self, ip: Option<&str>, action: &str, now_ms: i64) {
        let mut minutes = self.minutes.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let addresses = minutes.entry(now_ms.div_euclid(MINUTE_MS)).or_default();
        let known = ip.map(str::to_owned).filter(|ip| addresses.contains_key(&Some(ip.clone())));
        let key = match known {
            Some(ip) => Some(ip),
            None if addresses.len() < ADDRESSES_PER_MINUTE => ip.map(str::to_owned),
            None => None,
        };
        let tally = addresses.entry(key).or_default();
        tally.count += 1;
        if tally.actions.len() < ACTIONS_NAMED {
            tally.actions.insert(action.chars().take(64).collect());
        }
    }

    /// The records of every minute before `before_ms` (all of them with `i64::MAX`), taken out of the tally.
    fn take(&self, before_ms: i64) -> Vec<AuditEvent> {
        let mut minutes = self.minutes.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let done: Vec<i64> =
            minutes.keys().copied().filter(|minute| minute * MINUTE_MS + MINUTE_MS <= before_ms).collect();
        let mut events = Vec::new();
        for minute in done {
            for (ip, tally) in minutes.remove(&minute).unwrap_or_default() {
                let actions = tally.actions.into_iter().collect::<Vec<_>>().join(", ");
                events.push(AuditEvent {
                    at_ms: minute * MINUTE_MS,
                    actor: "anonymous".into(),
                    action: "access.refused",
                    target: Some(actions),
                    reason: Some(format!("{} refused anonymous calls in this minute", tally.count)),
                    ip,
                });
            }
        }
        events
    }
}

impl Engine {
    /// Writes the tallies of finished minutes (of every minute when `everything`, at shutdown).
    pub async fn flush_anonymous_refusals(&self, everything: bool) -> Result<usize, EngineError> {
        let before_ms = if everything { i64::MAX } else { self.now_ms() };
        let events = self.anonymous_refusals.take(before_ms);
        for event in &events {
            self.record_audit(event).await?;
        }
        Ok(events.len())
    }

    /// Flushes finished minutes every `every`.
    pub fn spawn_refusal_flusher(&self, every: std::time::Duration) {
        let engine = self.clone();
        crate::periodic::every(every, move || {
            let engine = engine.clone();
            async move {
                if let Err(error) = engine.flush_anonymous_refusals(false).await {
                    tracing::warn!(%error, "could not write the refused anonymous calls to the audit log");
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_790_000_000_000;

    #[test]
    fn a_flood_becomes_one_record_per_address_and_minute() {
        let refusals = AnonymousRefusals::default();
        for n in 0..5_000 {
            let ip = format!("203.0.113.{}", n % 50);
            let action = if (n / 50) % 2 == 0 { "revoke_session" } else { "list_sessions" };
            refusals.note(Some(&ip), action, NOW + n);
        }
        assert!(refusals.take(NOW).is_empty(), "the minute is not over yet");
        let records = refusals.take(i64::MAX);
        assert_eq!(records.len(), 50);
        let counted: u64 = records
            .iter()
            .map(|record| {
                record.reason.as_deref().unwrap().split(' ').next().unwrap().parse::<u64>().unwrap()
            })
            .sum();
        assert_eq!(counted, 5_000, "every refusal is counted");
        assert_eq!(records[0].target.as_deref(), Some("list_sessions, revoke_session"));
        assert!(refusals.take(i64::MAX).is_empty(), "written once");
    }

    #[test]
    fn the_tally_is_bounded_whatever_the_number_of_addresses() {
        let refusals = AnonymousRefusals::default();
        for n in 0..(ADDRESSES_PER_MINUTE as u32 + 500) {
            let ip = std::net::Ipv4Addr::from(0x0a00_0000 + n).to_string();
            refusals.note(Some(&ip), "list_sessions", NOW);
        }
        let records = refusals.take(i64::MAX);
        assert_eq!(records.len(), ADDRESSES_PER_MINUTE + 1, "the rest share one record without an address");
        assert!(records.iter().any(|record| record.ip.is_none()));
    }
}

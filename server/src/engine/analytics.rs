//! Analytics from kept counts and the hourly rollup: a request reads a few hundred rows whatever the number of
//! sessions. The rollup is written every minute (the most active sessions seen in the hour, per app) and filled
//! in once from the sessions' own times when it has nothing for the last 30 days (a first start, an upgrade).

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use app::analytics::{
    top, Analytics, AnalyticsQuery, PayloadFill, Peak, Range, Slice, TimePoint, PAYLOAD_BANDS,
};
use app::format::{or_unknown, Unknown};

use super::credential_use::hour_of;
use super::{Engine, EngineError};
use crate::storage::AnalyticsCount;

const HOUR_MS: i64 = 3_600_000;
/// Countries, and browser and system pairs, shown by name; the rest are summed.
const TOP: usize = 10;

fn country_label(value: &str) -> String {
    or_unknown(&Some(value.to_string()).filter(|value| !value.is_empty()), Unknown::Location)
}

/// `Chrome|Windows` as "Chrome on Windows".
fn client_label(value: &str) -> String {
    let (browser, os) = value.split_once('|').unwrap_or((value, ""));
    let browser = or_unknown(&Some(browser.to_string()).filter(|text| !text.is_empty()), Unknown::Browser);
    let os = if os.is_empty() { "Unknown OS" } else { os };
    format!("{browser} on {os}")
}

/// Sums the counts of one dimension by label.
fn slices(counts: &[AnalyticsCount], dimension: &str, label: fn(&str) -> String) -> Vec<Slice> {
    let mut summed: HashMap<String, i64> = HashMap::new();
    for count in counts.iter().filter(|count| count.dimension == dimension) {
        *summed.entry(label(&count.value)).or_default() += count.n;
    }
    summed.into_iter().map(|(label, sessions)| Slice { label, sessions }).collect()
}

/// The points of Active sessions over time: each hour of the range, or each day (the most of its hours).
fn points(range: Range, now_ms: i64, hours: &BTreeMap<i64, i64>) -> Vec<TimePoint> {
    let now_hour = hour_of(now_ms);
    if range.hourly() {
        return (now_hour - range.hours() + 1..=now_hour)
            .map(|hour| TimePoint { at_ms: hour * HOUR_MS, active: hours.get(&hour).copied() })
            .collect();
    }
    let today = now_hour.div_euclid(24);
    (today - range.hours() / 24 + 1..=today)
        .map(|day| TimePoint {
            at_ms: day * 24 * HOUR_MS,
            active: hours.range(day * 24..(day + 1) * 24).map(|(_, active)| *active).max(),
        })
        .collect()
}

/// From each session's start and end, the active sessions at the end of each hour from `first_hour` to
/// `last_hour`, per app: (hour, app id, active). One pass over the spans and one over the hours.
fn hours_from_spans(
    spans: &[crate::storage::SessionSpan],
    first_hour: i64,
    last_hour: i64,
) -> Vec<(i64, i64, i64)> {
    let len = (last_hour - first_hour + 1).max(0) as usize;
    let mut changes: HashMap<i64, Vec<i64>> = HashMap::new();
    // Active at the end of hour h (the instant (h + 1) * HOUR_MS): started before it and not ended by it.
    let index = |at_ms: i64| ((at_ms.div_euclid(HOUR_MS) - first_hour).clamp(0, len as i64)) as usize;
    for span in spans {
        let counts = changes.entry(span.app_id).or_insert_with(|| vec![0; len + 1]);
        let from = index(span.created_at);
        let to = span.ended_at.map_or(len, index);
        if from < to {
            counts[from] += 1;
            counts[to] -= 1;
        }
    }
    let mut rows = Vec::new();
    for (app_id, counts) in changes {
        let mut active = 0;
        for (offset, change) in counts.iter().take(len).enumerate() {
            active += change;
            if active > 0 {
                rows.push((first_hour + offset as i64, app_id, active));
            }
        }
    }
    rows
}

impl Engine {
    pub async fn analytics(&self, query: AnalyticsQuery) -> Result<Analytics, EngineError> {
        let now_ms = self.now_ms();
        let apps = self.storage.list_apps().await?;
        // The filtered app comes from the list already read: no second query for it.
        let app_id = match &query.app {
            Some(slug) => {
                Some(apps.iter().find(|row| row.slug == *slug).ok_or(EngineError::NotFound("app"))?.id)
            }
            None => None,
        };
        let shown: Vec<_> = apps.iter().filter(|row| app_id.is_none_or(|id| id == row.id)).collect();
        let first_hour = match query.range {
            Range::Month => (hour_of(now_ms).div_euclid(24) - 29) * 24,
            range => hour_of(now_ms) - range.hours() + 1,
        };
        let hours: BTreeMap<i64, i64> =
            self.storage.active_hours(first_hour, app_id).await?.into_iter().collect();
        let peak = hours
            .iter()
            .max_by_key(|(hour, active)| (**active, -**hour))
            .map(|(hour, active)| Peak { active: *active, at_ms: hour * HOUR_MS });
        let counts = self.storage.analytics_counts(app_id).await?;
        let by_app = shown
            .iter()
            .map(|row| Slice { label: row.name.clone(), sessions: row.active_sessions })
            .collect();
        let payload_fill = shown
            .iter()
            .map(|row| {
                let mut bands = [0; 6];
                for count in counts.iter().filter(|count| count.app_id == row.id && count.dimension == "fill")
                {
                    if let Some(band) = PAYLOAD_BANDS.iter().position(|(code, _)| *code == count.value) {
                        bands[band] += count.n;
                    }
                }
                PayloadFill { app: row.name.clone(), limit_bytes: row.max_payload_bytes, bands }
            })
            .collect();
        Ok(Analytics {
            apps: apps.iter().map(|row| (row.slug.clone(), row.name.clone())).collect(),
            over_time: points(query.range, now_ms, &hours),
            peak,
            by_app,
            by_country: top(slices(&counts, "country", country_label), TOP, "Other countries"),
            by_client: top(slices(&counts, "client", client_label), TOP, "Other"),
            payload_fill,
            query,
            now_ms,
        })
    }

    /// Records this hour's active sessions per app in the rollup.
    pub async fn record_active_hour(&self) -> Result<(), EngineError> {
        Ok(self.storage.record_active_hour(hour_of(self.now_ms())).await?)
    }

    /// Fills the rollup's last 30 days from the sessions' start and end times, when it has none of them.
    pub async fn fill_active_hours_once(&self) -> Result<(), EngineError> {
        let now_hour = hour_of(self.now_ms());
        let first_hour = now_hour - Range::Month.hours();
        if self.storage.has_active_hours_since(first_hour).await? {
            return Ok(());
        }
        let spans = self.storage.session_spans_since(first_hour * HOUR_MS).await?;
        let rows = hours_from_spans(&spans, first_hour, now_hour - 1);
        self.storage.fill_active_hours(&rows).await?;
        Ok(())
    }

    /// Fills the rollup in if it must, then records the hour every `period` until the process ends.
    pub fn spawn_active_hours(&self, period: Duration) -> tokio::task::JoinHandle<()> {
        let engine = self.clone();
        tokio::spawn(async move {
            // One node keeps the rollup: the others would add the same rows.
            if engine.leadership.leads().await {
                if let Err(error) = engine.fill_active_hours_once().await {
                    tracing::warn!("could not fill in the hourly active sessions: {error}");
                }
            }
            let mut ticks = tokio::time::interval(period);
            loop {
                ticks.tick().await;
                if !engine.leadership.leads().await {
                    continue;
                }
                if let Err(error) = engine.record_active_hour().await {
                    tracing::warn!("could not record this hour's active sessions: {error}");
                }
                if let Err(error) = engine.storage.drop_empty_rank_counts().await {
                    tracing::warn!("could not drop the sort ranks' empty counts: {error}");
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::SessionSpan;

    #[test]
    fn spans_count_at_each_hour_end() {
        let h = HOUR_MS;
        let spans = [
            SessionSpan { app_id: 1, created_at: 10 * h + 5, ended_at: Some(12 * h + 1) },
            SessionSpan { app_id: 1, created_at: 11 * h, ended_at: None },
            SessionSpan { app_id: 2, created_at: 9 * h, ended_at: Some(10 * h + 30) },
        ];
        let mut rows = hours_from_spans(&spans, 10, 13);
        rows.sort();
        // App 1: one active at the end of hour 10, two at the end of 11, one (the second) at the ends of 12, 13.
        assert_eq!(rows, [(10, 1, 1), (11, 1, 2), (12, 1, 1), (13, 1, 1)]);
    }

    #[test]
    fn daily_points_take_the_most_of_their_hours() {
        let now_ms = (24 * 40 + 5) * HOUR_MS;
        let hours = BTreeMap::from([(24 * 40, 3), (24 * 40 + 4, 7), (24 * 39 + 1, 2)]);
        let points = points(Range::Month, now_ms, &hours);
        assert_eq!(points.len(), 30);
        assert_eq!(points[29], TimePoint { at_ms: 24 * 40 * HOUR_MS, active: Some(7) });
        assert_eq!(points[28].active, Some(2));
        assert_eq!(points[0].active, None, "no record: a gap, not a zero");
        assert_eq!(client_label("Chrome|Windows"), "Chrome on Windows");
        assert_eq!(client_label("|"), "Unknown Browser on Unknown OS");
        assert_eq!(country_label(""), "Unknown location");
    }
}

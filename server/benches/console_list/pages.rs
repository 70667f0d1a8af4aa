//! The other pages at the same scale: My sessions, Users, History, the audit log and Analytics.

use std::time::Instant;

use app::history::EndedHow;
use roster::engine::Engine;
use roster::storage::{AuditEvent, AuditQuery, HistoryQuery, Storage, UserListQuery, UserSortColumn};

use crate::list::percentile;

/// "My sessions" of the demo's users, who hold about a hundredth of all sessions each: the warning signs and
/// device counts are worked out per active session, on the per-user indexes.
pub async fn my_sessions_timings(engine: &Engine) {
    let mut timings = Vec::new();
    let mut listed = 0;
    for user_id in 1..=40 {
        if engine.user_by_id(user_id).await.unwrap().is_none() {
            continue;
        }
        for _ in 0..3 {
            let started = Instant::now();
            listed = listed.max(engine.own_sessions(user_id).await.unwrap().len());
            timings.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    timings.sort_by(f64::total_cmp);
    println!(
        "\nMy sessions with warning signs ({} timings, up to {listed} active sessions listed): p50 {:.2} ms   \
         p95 {:.2} ms   max {:.2} ms",
        timings.len(),
        percentile(&timings, 0.50),
        percentile(&timings, 0.95),
        timings[timings.len() - 1]
    );
}

/// The Users page: every sort both ways on its first, middle and last page, and searches by name and email, over
/// every user (100,000 at a million sessions), with the workspace's live count beside each page as the page shows.
pub async fn users_timings(engine: &Engine) {
    let first = engine
        .list_users(&UserListQuery {
            search: None,
            sort: UserSortColumn::Email,
            descending: false,
            limit: 1,
            offset: 0,
        })
        .await
        .unwrap();
    let users = first.total;
    let sorts = UserSortColumn::ALL;
    let mut queries = Vec::new();
    for sort in sorts {
        for descending in [false, true] {
            for offset in [0, users / 2, (users - 50).max(0)] {
                queries.push((None, sort, descending, offset));
            }
        }
    }
    for term in ["ann", "lovelace", "example", "zq", "nobody-at-all"] {
        queries.push((Some(term), UserSortColumn::Email, false, 0));
        queries.push((Some(term), UserSortColumn::LastActive, true, 0));
    }
    let mut timings = Vec::new();
    for pass in 0..4 {
        for (search, sort, descending, offset) in &queries {
            let started = Instant::now();
            let query = UserListQuery {
                search: *search,
                sort: *sort,
                descending: *descending,
                limit: 50,
                offset: *offset,
            };
            engine.list_users(&query).await.unwrap();
            engine.count_active_sessions().await.unwrap();
            if pass > 0 {
                timings.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    timings.sort_by(f64::total_cmp);
    println!(
        "\nUsers page over {users} users ({} timings: 7 sorts x 2 directions x first/middle/last page, 10 searches): \
         p50 {:.2} ms   p95 {:.2} ms   max {:.2} ms",
        timings.len(),
        percentile(&timings, 0.50),
        percentile(&timings, 0.95),
        timings[timings.len() - 1]
    );
}

/// Analytics: every app filter and all apps, each range, five times; after filling the hourly rollup in from the
/// sessions (timed too: it runs once, on the first start after an upgrade or a demo seeding).
pub async fn analytics_timings(engine: &Engine) {
    let started = Instant::now();
    engine.fill_active_hours_once().await.unwrap();
    engine.record_active_hour().await.unwrap();
    println!(
        "\nAnalytics rollup filled in from the sessions (once) in {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let first = engine.analytics(app::analytics::AnalyticsQuery::default()).await.unwrap();
    let mut filters: Vec<Option<String>> = first.apps.iter().map(|(slug, _)| Some(slug.clone())).collect();
    filters.push(None);
    let mut timings = Vec::new();
    for _ in 0..5 {
        for app in &filters {
            for range in app::analytics::Range::ALL {
                let query = app::analytics::AnalyticsQuery { app: app.clone(), range };
                let started = Instant::now();
                engine.analytics(query).await.unwrap();
                timings.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    let active: i64 = first.by_app.iter().map(|slice| slice.sessions).sum();
    report(
        &format!(
            "Analytics page's server work at {active} active sessions ({} app filters x 3 ranges x 5)",
            filters.len()
        ),
        timings,
    );
}

/// Prints p50, p95 and max of `timings` (milliseconds).
fn report(label: &str, mut timings: Vec<f64>) {
    timings.sort_by(f64::total_cmp);
    println!(
        "\n{label} ({} timings): p50 {:.2} ms   p95 {:.2} ms   max {:.2} ms",
        timings.len(),
        percentile(&timings, 0.50),
        percentile(&timings, 0.95),
        timings[timings.len() - 1]
    );
}

/// Session history: every filter both ways on its first, middle and last page, and searches of each kind.
pub async fn history_timings(engine: &Engine, sample_email: &str, sample_id: &str) {
    let all = engine
        .list_history(&HistoryQuery { how: None, search: None, oldest_first: false, limit: 1, offset: 0 })
        .await
        .unwrap();
    let mut queries: Vec<(Option<EndedHow>, Option<String>, bool, i64)> = Vec::new();
    for how in [None, Some(EndedHow::Terminated), Some(EndedHow::SignedOut), Some(EndedHow::Expired)] {
        for oldest_first in [false, true] {
            for offset in [0, all.total / 4, (all.total - 50).max(0)] {
                queries.push((how, None, oldest_first, offset));
            }
        }
    }
    let id_prefix: String = sample_id.chars().take(6).collect();
    for term in ["ann", "lovelace", "example", sample_email, id_prefix.as_str(), "10.", "nobody-at-all"] {
        queries.push((None, Some(term.to_string()), false, 0));
        queries.push((Some(EndedHow::Expired), Some(term.to_string()), false, 0));
    }
    // One warm-up pass, then three timed ones.
    let mut timings = Vec::new();
    for pass in 0..4 {
        for (how, search, oldest_first, offset) in &queries {
            let started = Instant::now();
            let query = HistoryQuery {
                how: *how,
                search: search.as_deref(),
                oldest_first: *oldest_first,
                limit: 50,
                offset: *offset,
            };
            engine.list_history(&query).await.unwrap();
            if pass > 0 {
                timings.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    report(
        &format!(
            "Session history over {} ended sessions: 4 filters x 2 orders x 3 pages, 14 searches",
            all.total
        ),
        timings,
    );
}

/// The audit log at a million records (seeded once into the bench folder): first, middle and last page, the
/// action filter, and searches by email, word and nothing.
pub async fn audit_timings(engine: &Engine, storage: &Storage, sample_email: &str) {
    const RECORDS: i64 = 1_000_000;
    let have = storage.last_audit_seq().await.unwrap();
    if have < RECORDS {
        eprintln!("seeding {} audit records (once; later runs reuse them)", RECORDS - have);
        let started = Instant::now();
        let actions = ["session.created", "session.revoked", "sign_in", "session.expired", "sign_in.failed"];
        let mut n = have;
        while n < RECORDS {
            let batch: Vec<AuditEvent> = (n..(n + 10_000).min(RECORDS))
                .map(|k| AuditEvent {
                    at_ms: 1_790_000_000_000 + k * 1_000,
                    actor: format!("user:{}", k % 100_000 + 1),
                    action: actions[(k % 5) as usize],
                    target: Some(format!("session:{:032x}", k * 2_654_435_761)),
                    reason: (k % 7 == 0).then(|| "suspicious activity".to_string()),
                    ip: Some(format!("10.{}.{}.{}", k % 200, k % 250, k % 199)),
                })
                .collect();
            storage.record_audit_batch(&batch).await.unwrap();
            n += batch.len() as i64;
        }
        eprintln!("seeded in {:.1} s", started.elapsed().as_secs_f64());
    }
    let total = storage.last_audit_seq().await.unwrap();
    let mut queries: Vec<(Option<String>, Option<&str>, i64)> = Vec::new();
    for offset in [0, total / 2, (total - 50).max(0)] {
        queries.push((None, None, offset));
    }
    for action in ["session.created", "sign_in.failed", "sign_in.locked"] {
        queries.push((None, Some(action), 0));
        queries.push((None, Some(action), 5_000));
    }
    for term in [sample_email, "suspicious", "example", "10.1", "nobody-at-all"] {
        queries.push((Some(term.to_string()), None, 0));
        queries.push((Some(term.to_string()), Some("sign_in"), 0));
    }
    let mut timings = Vec::new();
    for pass in 0..4 {
        for (search, action, offset) in &queries {
            let started = Instant::now();
            let query = AuditQuery { search: search.as_deref(), action: *action, limit: 50, offset: *offset };
            engine.list_audit(&query).await.unwrap();
            if pass > 0 {
                timings.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    report(&format!("Audit log over {total} records: 3 pages, 3 actions x 2 pages, 5 searches x 2"), timings);
}

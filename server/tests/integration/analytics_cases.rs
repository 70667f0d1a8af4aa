//! Analytics reads counts kept by triggers and an hourly rollup: they must agree with the sessions themselves as
//! sessions start, change payload, end, and as an app's limit changes; the rollup fills in the past once and
//! keeps the most seen in each hour.

use axum::http::{Method, StatusCode};
use serde_json::json;

use app::analytics::{Analytics, AnalyticsQuery, Range};
use app::apps::AppForm;
use roster::engine::{Actor, EngineError};

use crate::api_http::{Api, APP_KEY};
use crate::support::TestDb;

const HOUR: i64 = 3_600_000;
const CHROME_WINDOWS: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const SAFARI_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";

async fn analytics(api: &Api, app: Option<&str>, range: Range) -> Analytics {
    api.engine.analytics(AnalyticsQuery { app: app.map(str::to_string), range }).await.unwrap()
}

fn count(slices: &[app::analytics::Slice], label: &str) -> i64 {
    slices.iter().find(|slice| slice.label == label).map_or(0, |slice| slice.sessions)
}

async fn create(api: &Api, email: &str, agent: &str, note_bytes: usize) -> (String, String) {
    let body = json!({ "userEmail": email, "userAgent": agent, "payload": { "n": "x".repeat(note_bytes) } });
    let reply = api.create(body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    (reply.body["id"].as_str().unwrap().to_string(), reply.body["token"].as_str().unwrap().to_string())
}

/// The my_meals app's bands (limit 256 bytes), from the page's data.
fn bands(analytics: &Analytics) -> [i64; 6] {
    analytics.payload_fill.iter().find(|fill| fill.app == "My Meals").expect("my_meals is listed").bands
}

pub async fn kept_counts_follow_sessions_as_they_start_change_and_end(db: &TestDb) {
    let api = Api::start(db).await;
    let (first, _) = create(&api, "a@example.com", CHROME_WINDOWS, 10).await;
    let (_, second_token) = create(&api, "b@example.com", CHROME_WINDOWS, 150).await;
    create(&api, "c@example.com", SAFARI_IPHONE, 220).await;

    let seen = analytics(&api, None, Range::Week).await;
    assert_eq!(count(&seen.by_app, "My Meals"), 3);
    assert_eq!(count(&seen.by_app, "Ledger"), 0, "every app is listed, with none too");
    assert_eq!(count(&seen.by_client, "Chrome on Windows 10"), 2, "{:?}", seen.by_client);
    assert_eq!(seen.by_client.iter().map(|slice| slice.sessions).sum::<i64>(), 3);
    assert_eq!(count(&seen.by_country, "Unknown location"), 3, "no geo database here");
    // Payloads of about 18, 158 and 228 bytes against 256: 0-25 %, 50-75 %, 75-90 %.
    assert_eq!(bands(&seen), [1, 0, 1, 1, 0, 0]);

    // A bigger payload moves its session to another band; an ended session leaves every count.
    let put = api
        .call(
            Method::PUT,
            "/api/v1/sessions/current/payload",
            Some(APP_KEY),
            Some(json!({ "payload": { "n": "x".repeat(235) } }).to_string()),
            &[("x-session-token", &second_token)],
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    api.admin(Method::DELETE, &format!("/api/admin/sessions/{first}")).await;
    let after = analytics(&api, None, Range::Week).await;
    assert_eq!(count(&after.by_app, "My Meals"), 2);
    assert_eq!(count(&after.by_client, "Chrome on Windows 10"), 1);
    assert_eq!(bands(&after), [0, 0, 0, 1, 1, 0]);

    // A lower limit counts stored payloads against it at once: both are now over 100 bytes.
    let lower = AppForm { slug: "my_meals".into(), name: "My Meals".into(), max_payload_bytes: 100 };
    api.engine.update_app(&lower, Actor::Operator).await.unwrap();
    assert_eq!(bands(&analytics(&api, None, Range::Week).await), [0, 0, 0, 0, 0, 2]);

    // One app's view holds that app alone.
    let ledger = analytics(&api, Some("ledger"), Range::Day).await;
    assert_eq!(ledger.by_app.iter().map(|slice| slice.label.as_str()).collect::<Vec<_>>(), ["Ledger"]);
    assert!(ledger.by_client.is_empty() && ledger.by_country.is_empty());
    let unknown =
        api.engine.analytics(AnalyticsQuery { app: Some("nowhere".into()), range: Range::Day }).await;
    assert!(matches!(unknown, Err(EngineError::NotFound("app"))), "{unknown:?}");

    // The kept counts equal a count of the sessions themselves.
    let raw = db.raw_pool().await;
    let (active,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE status = 'active'")
        .fetch_one(&raw)
        .await
        .unwrap();
    let (kept,): (i64,) =
        sqlx::query_as("SELECT CAST(SUM(n) AS BIGINT) FROM analytics_counts WHERE dimension = 'country'")
            .fetch_one(&raw)
            .await
            .unwrap();
    assert_eq!(kept, active);
}

pub async fn the_hourly_rollup_is_filled_in_once_and_keeps_each_hours_peak(db: &TestDb) {
    let api = Api::start(db).await;
    // Two sessions started five hours ago, one of them ended three hours ago.
    let (early, _) = create(&api, "early@example.com", CHROME_WINDOWS, 1).await;
    create(&api, "stays@example.com", CHROME_WINDOWS, 1).await;
    api.clock.advance_ms(2 * HOUR);
    api.admin(Method::DELETE, &format!("/api/admin/sessions/{early}")).await;
    api.clock.advance_ms(3 * HOUR);

    api.engine.fill_active_hours_once().await.unwrap();
    let filled = analytics(&api, None, Range::Day).await;
    let known: Vec<i64> = filled.over_time.iter().filter_map(|point| point.active).collect();
    assert_eq!(known, [2, 2, 1, 1, 1], "two at the ends of the first two hours, then one");
    assert_eq!(filled.over_time.len(), 24);
    assert!(filled.over_time[0].active.is_none(), "before the first session: no record, not zero");
    assert_eq!(filled.peak.as_ref().map(|peak| peak.active), Some(2));

    // Filled once: a second pass adds nothing; the live sample keeps the most of the hour.
    api.engine.fill_active_hours_once().await.unwrap();
    create(&api, "later@example.com", SAFARI_IPHONE, 1).await;
    let (brief, _) = create(&api, "brief@example.com", SAFARI_IPHONE, 1).await;
    api.engine.record_active_hour().await.unwrap();
    api.admin(Method::DELETE, &format!("/api/admin/sessions/{brief}")).await;
    api.engine.record_active_hour().await.unwrap();
    let now = analytics(&api, None, Range::Day).await;
    assert_eq!(now.over_time.last().unwrap().active, Some(3), "the most seen this hour, not the last sample");
    let peak = now.peak.unwrap();
    assert_eq!((peak.active, peak.at_ms), (3, now.over_time.last().unwrap().at_ms));
    let month = analytics(&api, None, Range::Month).await;
    assert_eq!(month.over_time.len(), 30);
    assert_eq!(month.over_time.iter().filter_map(|point| point.active).max(), Some(3));
}

//! A bulk load (`roster demo`) sets the count triggers aside and recounts once: the recount must reach exactly
//! what the triggers keep, the triggers must be back afterwards, and a load that fails leaves nothing behind.

use axum::http::{Method, StatusCode};
use serde_json::json;
use sqlx::AnyPool;

use roster::storage::BulkSession;

use crate::api_http::Api;
use crate::support::TestDb;

const CHROME_WINDOWS: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const FIREFOX_LINUX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";

/// Every kept count, as rows of text: per app and status, per way of ending, per analytics slice, per sort
/// stretch, per user.
async fn kept_counts(pool: &AnyPool) -> Vec<String> {
    let mut rows = Vec::new();
    let sessions: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT app_id, status, n FROM session_counts WHERE n <> 0 ORDER BY app_id, status")
            .fetch_all(pool)
            .await
            .unwrap();
    rows.extend(sessions.into_iter().map(|(app, status, n)| format!("sessions {app} {status} {n}")));
    let history: Vec<(String, i64)> =
        sqlx::query_as("SELECT ended_how, n FROM history_counts WHERE n <> 0 ORDER BY ended_how")
            .fetch_all(pool)
            .await
            .unwrap();
    rows.extend(history.into_iter().map(|(how, n)| format!("history {how} {n}")));
    let analytics: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT app_id, dimension, value, n FROM analytics_counts WHERE n <> 0 ORDER BY app_id, dimension, value",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    rows.extend(
        analytics.into_iter().map(|(app, dimension, value, n)| format!("{dimension} {app} {value} {n}")),
    );
    let ranks: Vec<(i64, i64, i64, String, i64, i64)> = sqlx::query_as(
        "SELECT CAST(sort AS BIGINT), CAST(level AS BIGINT), bucket, status, app_id, n FROM session_rank_counts
         WHERE n <> 0 ORDER BY sort, level, bucket, status, app_id",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    rows.extend(ranks.into_iter().map(|(sort, level, bucket, status, app, n)| {
        format!("rank {sort} {level} {bucket} {status} {app} {n}")
    }));
    let users: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT email_normalized, active_sessions, total_sessions, last_active_at FROM users ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    rows.extend(
        users.into_iter().map(|(email, active, total, last)| format!("user {email} {active} {total} {last}")),
    );
    rows
}

async fn create(api: &Api, email: Option<&str>, agent: &str, payload_bytes: usize) -> (String, String) {
    let mut body = json!({ "userAgent": agent, "payload": { "n": "x".repeat(payload_bytes) } });
    match email {
        Some(email) => body["userEmail"] = json!(email),
        None => body["guest"] = json!(true),
    }
    let reply = api.create(body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    (reply.body["id"].as_str().unwrap().to_string(), reply.body["token"].as_str().unwrap().to_string())
}

pub async fn the_recount_reaches_what_the_triggers_keep(db: &TestDb) {
    let api = Api::start(db).await;
    let pool = db.raw_pool().await;
    // Sessions that start, change payload, are revoked, signed out, killed together and expire.
    let (revoked, _) = create(&api, Some("ann@example.com"), CHROME_WINDOWS, 10).await;
    let (_, grown) = create(&api, Some("ann@example.com"), FIREFOX_LINUX, 20).await;
    let (_, signed_out) = create(&api, Some("bob@example.com"), CHROME_WINDOWS, 200).await;
    create(&api, Some("bob@example.com"), FIREFOX_LINUX, 0).await;
    create(&api, Some("cat@example.com"), FIREFOX_LINUX, 30).await;
    create(&api, None, CHROME_WINDOWS, 5).await;
    assert_eq!(api.put_payload(&grown, json!({ "n": "y".repeat(230) })).await.status, StatusCode::OK);
    assert_eq!(
        api.admin(Method::DELETE, &format!("/api/admin/sessions/{revoked}")).await.status,
        StatusCode::OK
    );
    let sign_out = api
        .call(
            Method::DELETE,
            "/api/v1/sessions/current",
            Some(crate::api_http::APP_KEY),
            None,
            &[("x-session-token", &signed_out)],
        )
        .await;
    assert!(sign_out.status.is_success(), "{}", sign_out.body);
    api.clock.advance_ms(40 * 24 * 3_600_000);
    create(&api, Some("dan@example.com"), CHROME_WINDOWS, 40).await;
    api.engine.expire_due().await.unwrap();

    let kept = kept_counts(&pool).await;
    assert!(kept.iter().any(|row| row.starts_with("history expired")), "some expired: {kept:#?}");
    api.storage.recount().await.unwrap();
    assert_eq!(kept_counts(&pool).await, kept, "the recount reaches what the triggers kept");
}

pub async fn after_a_demo_load_the_triggers_count_again(db: &TestDb) {
    let api = Api::start(db).await;
    crate::session_list_cases::seed(db, 500).await;
    let before = api.engine.count_active_sessions().await.unwrap();
    assert!(before > 100, "the demo's active sessions are counted: {before}");
    create(&api, Some("new@example.com"), CHROME_WINDOWS, 10).await;
    assert_eq!(api.engine.count_active_sessions().await.unwrap(), before + 1, "a new session counts");

    let pool = db.raw_pool().await;
    let kept = kept_counts(&pool).await;
    api.storage.recount().await.unwrap();
    assert_eq!(kept_counts(&pool).await, kept, "loaded and kept counts agree with the rows");
}

pub async fn a_load_dropped_unfinished_leaves_nothing_behind(db: &TestDb) {
    let api = Api::start(db).await;
    let pool = db.raw_pool().await;
    create(&api, Some("ann@example.com"), CHROME_WINDOWS, 10).await;
    let kept = kept_counts(&pool).await;
    let indexes = session_indexes(db, &pool).await;
    assert!(indexes >= 20, "the console's sort indexes: {indexes}");
    {
        // Bigger than the table: its indexes are dropped for the load, and come back with the rollback.
        let mut load = api.storage.begin_bulk_load(1_000).await.unwrap();
        let users = vec![("lost@example.com".to_string(), "Lost User".to_string(), "member")];
        let ids = load.insert_users(&users, crate::support::START_MS).await.unwrap();
        let session = BulkSession { user_id: Some(ids[0].1), ..bulk_session(&api).await };
        load.insert_sessions(&[session]).await.unwrap();
        // Dropped here without `finish`: the load rolls back, triggers included.
    }
    assert_eq!(kept_counts(&pool).await, kept, "no user, no session, no count from the dropped load");
    assert_eq!(session_indexes(db, &pool).await, indexes, "every index is still there");
    create(&api, Some("ann@example.com"), FIREFOX_LINUX, 10).await;
    assert_eq!(api.engine.count_active_sessions().await.unwrap(), 2, "the triggers still count");
}

async fn session_indexes(db: &TestDb, pool: &AnyPool) -> i64 {
    let sql = if db.url.starts_with("postgres") {
        "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'sessions'"
    } else {
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sessions'"
    };
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// One active session of the first app, with nothing but what the table requires.
async fn bulk_session(api: &Api) -> BulkSession {
    let app = api.engine.app_by_slug("my_meals").await.unwrap().expect("the test app");
    crate::support::bare_bulk_session(app.id, &app.slug)
}

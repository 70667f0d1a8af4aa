//! The workspace's session policy, written once and run on SQLite and PostgreSQL: checked and audited saves,
//! the sessions-per-user limit refusing or signing out the oldest, Remember Me switched off, and saved limits
//! reaching sessions already active.

use axum::http::StatusCode;
use serde_json::json;

use app::settings::{IdleTimeout, LimitAction, WorkspaceSettings};
use roster::engine::{Actor, EngineError};

use crate::api_http::Api;
use crate::support::{sid, TestDb};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;

async fn save(api: &Api, settings: WorkspaceSettings) {
    let applying = api.engine.save_settings(&settings, Actor::Operator).await.unwrap();
    applying.await.unwrap();
}

pub async fn the_session_limit_refuses_or_signs_out_the_least_recently_active(db: &TestDb) {
    let api = Api::start(db).await;
    assert_eq!(api.engine.workspace_settings().await.unwrap(), WorkspaceSettings::default(), "the defaults");
    save(&api, WorkspaceSettings { max_sessions_per_user: 3, ..Default::default() }).await;
    let mut sessions = Vec::new();
    for _ in 0..3 {
        api.clock.advance_ms(MINUTE);
        sessions.push(api.create_for("busy@example.com").await);
    }
    let fourth = api.create(json!({ "userEmail": "busy@example.com" })).await;
    assert_eq!((fourth.status, fourth.code()), (StatusCode::CONFLICT, "too_many_sessions"));

    // The first session is used again, so the second is now the least recently active.
    api.clock.advance_ms(2 * MINUTE);
    assert_eq!(api.validate(&sessions[0].1).await.status, StatusCode::OK);
    api.engine.activity.flush(MINUTE).await.unwrap();
    save(
        &api,
        WorkspaceSettings {
            max_sessions_per_user: 3,
            when_limit_reached: LimitAction::SignOutOldest,
            ..Default::default()
        },
    )
    .await;
    let fourth = api.create(json!({ "userEmail": "busy@example.com" })).await;
    assert_eq!(fourth.status, StatusCode::CREATED, "{}", fourth.body);
    let evicted = api.validate(&sessions[1].1).await;
    assert_eq!(
        (evicted.status, evicted.body["error"]["reason"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("session_limit"))
    );
    let ended = api.storage.session_by_id(&sid(&sessions[1].0)).await.unwrap().unwrap();
    assert!(ended.end_reason.unwrap().contains("at most 3 sessions"), "the end says why");
    for kept in [&sessions[0].1, &sessions[2].1] {
        assert_eq!(api.validate(kept).await.status, StatusCode::OK);
    }

    // A bad value is refused with its range named, and nothing changes.
    let before = api.storage.recent_audit(1).await.unwrap()[0].seq;
    let refused = api
        .engine
        .save_settings(
            &WorkspaceSettings { max_sessions_per_user: -1, ..Default::default() },
            Actor::Operator,
        )
        .await;
    assert!(
        matches!(&refused, Err(EngineError::InvalidInput(message)) if message.contains("from 1 to 1000")),
        "{refused:?}"
    );
    assert_eq!(api.engine.workspace_settings().await.unwrap().max_sessions_per_user, 3);
    assert_eq!(api.storage.recent_audit(1).await.unwrap()[0].seq, before, "nothing audited");
    let audit = api.storage.recent_audit(20).await.unwrap();
    let changed = audit.iter().find(|event| event.action == "settings.changed").expect("audited");
    let change: serde_json::Value = serde_json::from_str(changed.reason.as_deref().unwrap()).unwrap();
    assert_eq!(
        (change["before"]["when_limit_reached"].as_str(), change["after"]["when_limit_reached"].as_str()),
        (Some("refuse"), Some("sign_out_oldest"))
    );
}

pub async fn saved_limits_reach_active_sessions_and_remember_me_can_be_switched_off(db: &TestDb) {
    let api = Api::start(db).await;
    let (plain, plain_token) = api.create_for("ada@example.com").await;
    let short = api.create(json!({ "userEmail": "ada@example.com", "ttlSeconds": 600 })).await;
    let short_id = short.body["id"].as_str().unwrap().to_string();
    let created_at = api.engine.now_ms();

    save(
        &api,
        WorkspaceSettings {
            idle_timeout: IdleTimeout::Never,
            absolute_lifetime_hours: 48,
            allow_remember_me: false,
            ..Default::default()
        },
    )
    .await;
    let plain_row = api.storage.session_by_id(&sid(&plain)).await.unwrap().unwrap();
    assert_eq!(plain_row.idle_timeout_secs, None, "Never: no idle timeout");
    assert_eq!(plain_row.expires_at, Some(created_at + 48 * HOUR), "the policy's lifetime followed");
    assert_eq!(plain_row.deadline_at, plain_row.expires_at, "and the deadline with it");
    let short_row = api.storage.session_by_id(&sid(&short_id)).await.unwrap().unwrap();
    assert_eq!(short_row.expires_at, Some(created_at + 10 * MINUTE), "an app's shorter ttlSeconds stays");

    // Two hours unused: no longer an idle timeout.
    api.clock.advance_ms(2 * HOUR);
    assert_eq!(api.validate(&plain_token).await.status, StatusCode::OK);

    let remembered = api.create(json!({ "userEmail": "ada@example.com", "rememberMe": true })).await;
    assert_eq!(remembered.status, StatusCode::CREATED, "{}", remembered.body);
    assert_eq!(remembered.body["rememberMe"], false);
    assert!(remembered.body["rememberMeIgnored"].as_str().unwrap().contains("does not allow"));

    // Back to a one-hour idle timeout: the session unused for two hours is now past its deadline.
    save(&api, WorkspaceSettings::default()).await;
    let reply = api.validate(&plain_token).await;
    assert_eq!(
        (reply.status, reply.body["error"]["reason"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("idle_timeout"))
    );
}

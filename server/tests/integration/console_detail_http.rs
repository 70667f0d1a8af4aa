//! The session detail's server functions over HTTP: detail, audited payload reveal, a new expiry and the export
//! of a page; each refused to members with 403 and nothing decrypted.

use app::model::SessionStatus;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};

use app::session_detail::{RevealedPayload, SessionDetail};
use app::ConsoleError;
use roster::engine::CreateSession;
use roster::storage::{AuditEvent, NewApp, NewUser};

use crate::console_http::{Reply, TestApp};
use crate::support::{new_session, sid, START_MS};

const HOUR: i64 = 3_600_000;

/// A registered app and one session in it for `email` (created as a user first), with `payload`.
pub async fn session_for(app: &TestApp, app_id: i64, email: &str, payload: Value) -> String {
    let user_id = app
        .db
        .storage
        .create_user(NewUser {
            email,
            display_name: "Pat Person",
            role: "member",
            password_hash: None,
            now_ms: START_MS,
        })
        .await
        .unwrap();
    let created = app
        .engine
        .create_session(CreateSession {
            ip: Some("203.0.113.9".parse().unwrap()),
            user_agent: Some("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0".into()),
            payload: payload.as_object().cloned(),
            ..new_session(app_id, 1024, roster::engine::SessionOwner::User(user_id))
        })
        .await
        .unwrap();
    created.id.into_string()
}

pub async fn register_app(app: &TestApp) -> i64 {
    let audit = AuditEvent {
        at_ms: START_MS,
        actor: "test".into(),
        action: "app.created",
        target: None,
        reason: None,
        ip: None,
    };
    app.db
        .storage
        .create_app(
            &NewApp {
                slug: "my_meals",
                name: "My Meals",
                max_payload_bytes: 1024,
                key_hash: b"hash",
                key_prefix: "rk_test",
                now_ms: START_MS,
            },
            &audit,
        )
        .await
        .unwrap()
}

async fn call_json(app: &TestApp, path: &str, body: Value, cookie: &str) -> Reply {
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, cookie)
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(request).await
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    app.db
        .storage
        .recent_audit(100)
        .await
        .unwrap()
        .into_iter()
        .map(|event| event.action.to_string())
        .collect()
}

fn query(page: u32, size: u32) -> Value {
    json!({ "q": "", "status": "all", "app": "my_meals", "sort": "user", "dir": "asc", "page": page, "size": size })
}

#[tokio::test]
async fn members_are_refused_every_detail_function_and_nothing_is_decrypted() {
    let app = TestApp::start().await;
    let app_id = register_app(&app).await;
    let id = session_for(&app, app_id, "pat@example.com", json!({ "secret": "s3cr3t-payload" })).await;
    let member = app.signed_in_cookie("member@example.com").await;
    let form = format!("session_id={id}");
    let replies = [
        app.post("/api/sessions/detail", &form, Some(&member), &[]).await,
        app.post("/api/sessions/reveal_payload", &form, Some(&member), &[]).await,
        call_json(
            &app,
            "/api/sessions/update_ttl",
            json!({ "session_id": id, "change": { "kind": "unlimited" } }),
            &member,
        )
        .await,
        call_json(
            &app,
            "/api/sessions/export",
            json!({ "query": query(1, 50), "format": "data_only" }),
            &member,
        )
        .await,
    ];
    for reply in &replies {
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
        assert_eq!(reply.error(), ConsoleError::Forbidden);
        assert!(!reply.body.contains("s3cr3t"), "nothing decrypted: {}", reply.body);
    }
    let actions = audit_actions(&app).await;
    assert_eq!(actions.iter().filter(|action| *action == "access.refused").count(), 4, "{actions:?}");
    assert!(!actions
        .iter()
        .any(|action| action == "session.payload_revealed" || action == "sessions.exported"));
    assert!(!actions.iter().any(|action| action == "session.ttl_updated"));
    let row = app.db.storage.session_by_id(&sid(&id)).await.unwrap().unwrap();
    assert!(row.expires_at.is_some(), "the expiry is unchanged");

    // Billing managers see the detail but may not decrypt.
    let billing = app.signed_in_cookie("billing@example.com").await;
    let detail = app.post("/api/sessions/detail", &form, Some(&billing), &[]).await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
    let reveal = app.post("/api/sessions/reveal_payload", &form, Some(&billing), &[]).await;
    assert_eq!(reveal.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_detail_has_no_payload_and_the_reveal_is_audited_before_it_answers() {
    let app = TestApp::start().await;
    let app_id = register_app(&app).await;
    let id = session_for(&app, app_id, "pat@example.com", json!({ "plan": "pro", "token": "s3cr3t" })).await;
    let owner = app.signed_in_cookie("owner@example.com").await;
    let form = format!("session_id={id}");

    let reply = app.post("/api/sessions/detail", &form, Some(&owner), &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(!reply.body.contains("s3cr3t"), "the detail never carries the payload");
    let detail: SessionDetail = serde_json::from_str(&reply.body).unwrap();
    assert_eq!((detail.app_id.as_str(), detail.app_name.as_str()), ("my_meals", "My Meals"));
    assert_eq!(detail.user.as_ref().unwrap().email, "pat@example.com");
    assert_eq!((detail.attribute_count, detail.max_payload_bytes), (2, 1024));
    assert_eq!(detail.browser.as_deref(), Some("Firefox"));
    assert_eq!(detail.expires_at_ms, Some(START_MS + 24 * HOUR));
    assert!(detail.payload_key_id.is_some() && detail.can_manage);
    assert!(!audit_actions(&app).await.contains(&"session.payload_revealed".to_string()));

    let reply = app.post("/api/sessions/reveal_payload", &form, Some(&owner), &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let revealed: RevealedPayload = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(revealed.attribute_count, 2);
    assert_eq!(
        serde_json::from_str::<Value>(&revealed.json).unwrap(),
        json!({ "plan": "pro", "token": "s3cr3t" })
    );
    let audit = app.db.storage.recent_audit(5).await.unwrap();
    let event = audit.iter().find(|event| event.action == "session.payload_revealed").expect("audited");
    assert_eq!(event.target.as_deref(), Some(format!("session:{id}").as_str()));
    assert!(event.actor.starts_with("user:"));

    for bad in ["session_id=not-an-id", "session_id=", "", "session_id=%27%20OR%201%3D1%20--"] {
        let reply = app.post("/api/sessions/reveal_payload", bad, Some(&owner), &[]).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}: {}", reply.body);
    }
    let unknown =
        app.post("/api/sessions/detail", &format!("session_id={}", "0".repeat(32)), Some(&owner), &[]).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown.error().to_string(), "There is no session with that id.");
}

#[tokio::test]
async fn a_new_expiry_is_audited_and_past_or_too_late_ones_change_nothing() {
    let app = TestApp::start().await;
    let app_id = register_app(&app).await;
    let id = session_for(&app, app_id, "pat@example.com", json!({})).await;
    let owner = app.signed_in_cookie("owner@example.com").await;
    let ttl = |change: Value| {
        call_json(&app, "/api/sessions/update_ttl", json!({ "session_id": id, "change": change }), &owner)
    };

    let reply = ttl(json!({ "kind": "seconds", "seconds": 7_200 })).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(serde_json::from_str::<Option<i64>>(&reply.body).unwrap(), Some(START_MS + 2 * HOUR));
    let row = app.db.storage.session_by_id(&sid(&id)).await.unwrap().unwrap();
    assert_eq!(row.expires_at, Some(START_MS + 2 * HOUR));

    let refused = [
        (json!({ "kind": "at", "utc": "2026-09-21T13:00" }), "has already passed"),
        (json!({ "kind": "seconds", "seconds": 25 * 3_600 }), "allows an expiry up to"),
        (json!({ "kind": "seconds", "seconds": -5 }), "longer than zero"),
        (json!({ "kind": "at", "utc": "next tuesday" }), "YYYY-MM-DDTHH:MM"),
        (json!({ "kind": "forever" }), "not understood"),
        (json!("unlimited"), "not understood"),
    ];
    for (change, message) in refused {
        let reply = ttl(change.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{change}: {}", reply.body);
        assert!(reply.error().to_string().contains(message), "{change}: {}", reply.error());
    }
    let row = app.db.storage.session_by_id(&sid(&id)).await.unwrap().unwrap();
    assert_eq!(row.expires_at, Some(START_MS + 2 * HOUR), "refusals changed nothing");

    let reply = ttl(json!({ "kind": "unlimited" })).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let row = app.db.storage.session_by_id(&sid(&id)).await.unwrap().unwrap();
    assert_eq!(row.expires_at, None);
    assert_eq!(row.deadline_at, Some(START_MS + HOUR), "the idle timeout still applies");
    let audit = app.db.storage.recent_audit(20).await.unwrap();
    let reasons: Vec<_> = audit
        .iter()
        .filter(|event| event.action == "session.ttl_updated")
        .filter_map(|e| e.reason.clone())
        .collect();
    assert_eq!(reasons, ["unlimited", "expires 2026-09-21 16:13 UTC"], "newest first");

    app.engine
        .end_session(&sid(&id), roster::engine::Actor::System, app::model::SessionStatus::Revoked, "test")
        .await
        .unwrap();
    let ended = ttl(json!({ "kind": "unlimited" })).await;
    assert_eq!(ended.status, StatusCode::BAD_REQUEST);
    assert!(ended.error().to_string().contains("Only an active session"));
}

#[tokio::test]
async fn the_export_holds_exactly_the_page_in_both_formats_and_is_audited() {
    let app = TestApp::start().await;
    let app_id = register_app(&app).await;
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(session_for(&app, app_id, &format!("user{n}@example.com"), json!({ "n": n })).await);
    }
    // user3's session is revoked: data only leaves it out, metadata shows it without a payload.
    app.engine
        .end_session(&sid(&ids[3]), roster::engine::Actor::System, app::model::SessionStatus::Revoked, "test")
        .await
        .unwrap();
    let owner = app.signed_in_cookie("owner@example.com").await;
    let reply = call_json(
        &app,
        "/api/sessions/export",
        json!({ "query": query(2, 25), "format": "data_only" }),
        &owner,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let file: Value = serde_json::from_str(&serde_json::from_str::<String>(&reply.body).unwrap()).unwrap();
    assert_eq!((file["page"].clone(), file["pageSize"].clone()), (json!(1), json!(25)));
    assert_eq!(file["items"], json!([]), "the second page of five sessions is empty");

    let page_one = |format: &str| {
        call_json(&app, "/api/sessions/export", json!({ "query": query(1, 25), "format": format }), &owner)
    };
    let reply = page_one("data_only").await;
    let file: Value = serde_json::from_str(&serde_json::from_str::<String>(&reply.body).unwrap()).unwrap();
    assert_eq!(
        file,
        json!({
            "items": [
                { "appId": "my_meals", "userEmail": "user0@example.com", "payload": { "n": 0 } },
                { "appId": "my_meals", "userEmail": "user1@example.com", "payload": { "n": 1 } },
                { "appId": "my_meals", "userEmail": "user2@example.com", "payload": { "n": 2 } },
                { "appId": "my_meals", "userEmail": "user4@example.com", "payload": { "n": 4 } },
            ],
            "page": 0, "pageSize": 25, "totalItems": 5, "totalPages": 1
        })
    );

    let reply = page_one("include_metadata").await;
    let file: Value = serde_json::from_str(&serde_json::from_str::<String>(&reply.body).unwrap()).unwrap();
    let items = file["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    let revoked = &items[3];
    assert_eq!(revoked["status"], "revoked");
    assert_eq!(revoked["revokedBy"], "system");
    assert_eq!(revoked["payload"], Value::Null);
    let first = items[0].as_object().unwrap();
    let keys: Vec<&str> = first.keys().map(String::as_str).collect();
    for key in [
        "id",
        "userIdentifier",
        "userEmail",
        "revokedBy",
        "appId",
        "createdAt",
        "expiresAt",
        "status",
        "currentDataSizeBytes",
        "maxDataSizeBytes",
        "lastActivityAt",
        "updatedAt",
        "attributeCount",
        "payload",
    ] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    assert_eq!(first["id"], json!(ids[0]));
    assert_eq!(first["createdAt"], "2026-09-21T14:13:20Z");
    assert_eq!(first["expiresAt"], "2026-09-22T14:13:20Z");
    assert_eq!(
        (first["currentDataSizeBytes"].clone(), first["maxDataSizeBytes"].clone()),
        (json!(7), json!(1024))
    );
    assert_eq!(first["payload"], json!({ "n": 0 }));

    let audit = app.db.storage.recent_audit(20).await.unwrap();
    let exports: Vec<_> = audit.iter().filter(|event| event.action == "sessions.exported").collect();
    assert_eq!(exports.len(), 3);
    let reason = exports[0].reason.clone().unwrap();
    assert!(reason.starts_with("metadata; payloads of 4 sessions decrypted"), "{reason}");
    assert!(reason.contains(&ids[0]) && !reason.contains(&ids[3]), "{reason}");
    let row = app.db.storage.session_by_id(&sid(&ids[0])).await.unwrap().unwrap();
    assert_eq!(row.status, SessionStatus::Active, "export changes nothing");

    let bad = call_json(
        &app,
        "/api/sessions/export",
        json!({ "query": query(1, 7), "format": "data_only" }),
        &owner,
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "an unknown page size: {}", bad.body);
    let bad =
        call_json(&app, "/api/sessions/export", json!({ "query": query(1, 25), "format": "csv" }), &owner)
            .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

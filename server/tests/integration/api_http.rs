//! The HTTP API, written once and run on SQLite and PostgreSQL: apps create, validate, change and end
//! sessions; automation lists and revokes them; bad input and bad credentials change nothing.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use app::model::SessionStatus;
use roster::clock::ManualClock;
use roster::engine::Engine;
use roster::http::{router, ServerContext};
use roster::secrets::sha256;
use roster::storage::{AuditEvent, EndedBy, NewApp};

use crate::support::{manual_clock, sid, test_engine, TestDb, START_MS};

pub const APP_KEY: &str = "rk_test_key_for_my_meals_0123456789";
const OTHER_APP_KEY: &str = "rk_test_key_for_ledger_0123456789";
pub const ADMIN_TOKEN: &str = "ra_test_admin_token_0123456789";
const MINUTE: i64 = 60_000;

pub struct Api {
    router: Router,
    pub engine: Engine,
    /// The engine's database, for what a test checks behind the engine's back.
    pub storage: roster::storage::Storage,
    pub clock: Arc<ManualClock>,
}

pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
}

impl Reply {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_else(|| panic!("an error reply, got {}", self.body))
    }
}

fn event(action: &'static str) -> AuditEvent {
    AuditEvent { at_ms: START_MS, actor: "test".into(), action, target: None, reason: None, ip: None }
}

impl Api {
    pub async fn start(db: &TestDb) -> Api {
        Api::start_with_keys(db, None).await
    }

    /// A node whose payload keys are `keys` (the tests' fixed in-memory key when None).
    pub async fn start_with_keys(db: &TestDb, keys: Option<roster::payload_keys::PayloadKeys>) -> Api {
        Api::start_configured(db, |engine| {
            if let Some(keys) = keys {
                engine.keys = keys;
            }
        })
        .await
    }

    /// A node whose engine `configure` sets up before it serves.
    pub async fn start_configured(db: &TestDb, configure: impl FnOnce(&mut Engine)) -> Api {
        let (clock, shared) = manual_clock();
        let mut engine = test_engine(db, shared);
        configure(&mut engine);
        let storage = &db.storage;
        let key = |text: &str| sha256(text.as_bytes());
        for (slug, name, limit, app_key) in
            [("my_meals", "My Meals", 256, APP_KEY), ("ledger", "Ledger", 1024, OTHER_APP_KEY)]
        {
            storage
                .create_app(
                    &NewApp {
                        slug,
                        name,
                        max_payload_bytes: limit,
                        key_hash: &key(app_key),
                        key_prefix: "rk_test",
                        now_ms: START_MS,
                    },
                    &event("app.created"),
                )
                .await
                .unwrap();
        }
        storage
            .create_admin_token("ci", &key(ADMIN_TOKEN), "ra_test", START_MS, &event("admin_token.created"))
            .await
            .unwrap();
        Api::serving(engine, db.storage.clone(), clock)
    }

    /// Another node on the same database as `db`: its own connections, caches and event bus, the same apps.
    pub async fn another_node(db: &TestDb) -> Api {
        Api::another_node_with_keys(db, None).await
    }

    pub async fn another_node_with_keys(db: &TestDb, keys: Option<roster::payload_keys::PayloadKeys>) -> Api {
        let (clock, shared) = manual_clock();
        let storage = roster::storage::Storage::connect(&db.url).await.expect("a second node connects");
        let mut engine = crate::support::engine_on(storage.clone(), shared);
        if let Some(keys) = keys {
            engine.keys = keys;
        }
        Api::serving(engine, storage, clock)
    }

    fn serving(engine: Engine, storage: roster::storage::Storage, clock: Arc<ManualClock>) -> Api {
        let router = router(ServerContext {
            public_url: None,
            engine: engine.clone(),
            leptos_options: roster::serve::leptos_options(&Default::default()),
            secure_cookies: false,
        });
        Api { router, engine, storage, clock }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        bearer: Option<&str>,
        body: Option<String>,
        extra: &[(&str, &str)],
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(bearer) = bearer {
            request = request.header(header::AUTHORIZATION, format!("Bearer {bearer}"));
        }
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        let request = request.body(body.map(Body::from).unwrap_or_else(Body::empty)).unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Reply { status, body }
    }

    /// The whole response, headers and all (for answers that are not JSON).
    pub async fn respond(&self, request: Request<Body>) -> axum::response::Response {
        self.router.clone().oneshot(request).await.unwrap()
    }

    pub async fn create(&self, body: Value) -> Reply {
        self.call(Method::POST, "/api/v1/sessions", Some(APP_KEY), Some(body.to_string()), &[]).await
    }

    pub async fn create_for(&self, email: &str) -> (String, String) {
        let reply = self.create(json!({ "userEmail": email, "ip": "203.0.113.9", "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36" })).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        (reply.body["id"].as_str().unwrap().to_string(), reply.body["token"].as_str().unwrap().to_string())
    }

    pub async fn validate(&self, token: &str) -> Reply {
        self.call(
            Method::POST,
            "/api/v1/sessions/validate",
            Some(APP_KEY),
            Some(json!({ "token": token }).to_string()),
            &[],
        )
        .await
    }

    pub async fn payload(&self, token: &str) -> Reply {
        self.call(
            Method::GET,
            "/api/v1/sessions/current/payload",
            Some(APP_KEY),
            None,
            &[("x-session-token", token)],
        )
        .await
    }

    pub async fn put_payload(&self, token: &str, payload: Value) -> Reply {
        let body = json!({ "payload": payload }).to_string();
        self.call(
            Method::PUT,
            "/api/v1/sessions/current/payload",
            Some(APP_KEY),
            Some(body),
            &[("x-session-token", token)],
        )
        .await
    }

    pub async fn admin(&self, method: Method, path: &str) -> Reply {
        self.call(method, path, Some(ADMIN_TOKEN), None, &[]).await
    }

    async fn session_count(&self) -> i64 {
        self.admin(Method::GET, "/api/admin/sessions?status=all").await.body["total"].as_i64().unwrap()
    }
}

pub async fn create_validate_revoke_then_the_next_validate_is_refused(db: &TestDb) {
    let api = Api::start(db).await;
    let (id, token) = api.create_for("Ada@Example.com").await;
    assert_eq!(id.len(), 32);
    assert!(token.starts_with("rs_") && token.len() > 40);

    let valid = api.validate(&token).await;
    assert_eq!(valid.status, StatusCode::OK, "{}", valid.body);
    assert_eq!(valid.body["id"], id);
    assert_eq!(valid.body["userEmail"], "Ada@Example.com");
    assert_eq!(valid.body["appId"], "my_meals");
    assert_eq!(valid.body["device"]["browser"], "Chrome");
    assert!(
        valid.body.get("token").is_none() && !valid.body.to_string().contains(&token),
        "the token is never echoed"
    );

    let revoked = api.admin(Method::DELETE, &format!("/api/admin/sessions/{id}")).await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert_eq!(revoked.body["revoked"], true);

    let after = api.validate(&token).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.code(), "session_revoked");
    let row = api.storage.session_by_id(&sid(&id)).await.unwrap().unwrap();
    assert_eq!((row.status.as_str(), row.ended_by), ("revoked", Some(EndedBy::AdminToken)));
    let audit = api.storage.recent_audit(5).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "session.revoked" && e.actor.starts_with("admin_token:")));
}

pub async fn idle_and_absolute_limits_expire_sessions_on_a_controlled_clock(db: &TestDb) {
    let api = Api::start(db).await;
    let (_, idle_token) = api.create_for("idle@example.com").await;
    for _ in 0..3 {
        api.clock.advance_ms(50 * MINUTE);
        assert_eq!(api.validate(&idle_token).await.status, StatusCode::OK, "used within the idle timeout");
        api.engine.activity.flush(60_000).await.unwrap();
    }
    api.clock.advance_ms(61 * MINUTE);
    let idle = api.validate(&idle_token).await;
    assert_eq!((idle.status, idle.code()), (StatusCode::UNAUTHORIZED, "session_expired"));

    let short = api.create(json!({ "userEmail": "short@example.com", "ttlSeconds": 7200 })).await;
    let token = short.body["token"].as_str().unwrap().to_string();
    api.clock.advance_ms(50 * MINUTE);
    assert_eq!(api.validate(&token).await.status, StatusCode::OK);
    api.engine.activity.flush(60_000).await.unwrap();
    api.clock.advance_ms(50 * MINUTE);
    assert_eq!(api.validate(&token).await.status, StatusCode::OK);
    api.engine.activity.flush(60_000).await.unwrap();
    api.clock.advance_ms(21 * MINUTE);
    let absolute = api.validate(&token).await;
    assert_eq!(
        (absolute.status, absolute.code()),
        (StatusCode::UNAUTHORIZED, "session_expired"),
        "2 h after creation, though busy"
    );

    let durable = api.create(json!({ "userEmail": "kiosk@example.com", "durable": true })).await;
    assert_eq!(durable.body["expiresAt"], Value::Null);
    api.clock.advance_ms(400 * 24 * 60 * MINUTE);
    assert_eq!(api.validate(durable.body["token"].as_str().unwrap()).await.status, StatusCode::OK);
}

pub async fn the_sweep_marks_unused_sessions_expired(db: &TestDb) {
    let api = Api::start(db).await;
    api.create_for("a@example.com").await;
    api.create_for("b@example.com").await;
    api.clock.advance_ms(61 * MINUTE);
    assert_eq!(api.engine.expire_due().await.unwrap(), 2);
    let active = api.admin(Method::GET, "/api/admin/sessions?status=active").await;
    assert_eq!(active.body["total"], 0);
    let expired = api.admin(Method::GET, "/api/admin/sessions?status=expired").await;
    assert_eq!(expired.body["total"], 2);
    assert_eq!(expired.body["items"][0]["endedBy"], "system");
}

/// A backlog is swept in short transactions: one that runs out of its time budget commits what it did and says
/// more is due, and the batches that follow expire the rest.
pub async fn a_sweep_batch_stops_at_its_time_budget_and_later_batches_finish(db: &TestDb) {
    use std::time::Duration;
    let api = Api::start(db).await;
    for n in 0..5 {
        api.create_for(&format!("backlog{n}@example.com")).await;
    }
    api.clock.advance_ms(61 * MINUTE);
    let now = api.engine.now_ms();
    let first = api.storage.expire_due_sessions(now, 100, Duration::ZERO).await.unwrap();
    assert_eq!(
        (first.owners.len(), first.more_due),
        (1, true),
        "a spent budget still makes progress, one session, and reports more due"
    );
    let active = api.admin(Method::GET, "/api/admin/sessions?status=active").await;
    assert_eq!(active.body["total"], 4, "the first batch was committed on its own");
    let rest = api.engine.expire_due_in_batches(100, Duration::ZERO, Duration::ZERO).await.unwrap();
    assert_eq!(rest, 4);
    let expired = api.admin(Method::GET, "/api/admin/sessions?status=expired").await;
    assert_eq!(expired.body["total"], 5);
    let audit = api.storage.recent_audit(20).await.unwrap();
    assert_eq!(audit.iter().filter(|event| event.action == "session.expired").count(), 5);
}

pub async fn the_eleventh_session_of_a_user_is_refused(db: &TestDb) {
    let api = Api::start(db).await;
    let mut first = String::new();
    for n in 0..10 {
        let (id, _) = api.create_for("busy@example.com").await;
        if n == 0 {
            first = id;
        }
    }
    let eleventh = api.create(json!({ "userEmail": "busy@example.com" })).await;
    assert_eq!((eleventh.status, eleventh.code()), (StatusCode::CONFLICT, "too_many_sessions"));
    assert!(eleventh.body["error"]["message"].as_str().unwrap().contains("10"));
    let guest = api.create(json!({ "guest": true })).await;
    assert_eq!(guest.status, StatusCode::CREATED, "guests are not limited");
    api.admin(Method::DELETE, &format!("/api/admin/sessions/{first}")).await;
    assert_eq!(api.create(json!({ "userEmail": "busy@example.com" })).await.status, StatusCode::CREATED);
}

pub async fn payloads_round_trip_and_respect_the_size_limit(db: &TestDb) {
    let api = Api::start(db).await;
    let created = api
        .create(json!({ "userEmail": "cook@example.com", "payload": { "cart": [1, 2], "plan": "pro" } }))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let token = created.body["token"].as_str().unwrap();
    let read = api.payload(token).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body["payload"], json!({ "cart": [1, 2], "plan": "pro" }));
    assert_eq!(read.body["attributeCount"], 2);
    assert_eq!(read.body["maxSizeBytes"], 256);

    let replaced = api.put_payload(token, json!({ "theme": "dark" })).await;
    assert_eq!(replaced.status, StatusCode::OK, "{}", replaced.body);
    assert_eq!(api.payload(token).await.body["payload"], json!({ "theme": "dark" }));

    let big = json!({ "blob": "x".repeat(300) });
    let too_big = api.put_payload(token, big.clone()).await;
    assert_eq!((too_big.status, too_big.code()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));
    assert!(too_big.body["error"]["message"].as_str().unwrap().contains("256"));
    assert_eq!(api.payload(token).await.body["payload"], json!({ "theme": "dark" }), "unchanged");

    let before = api.session_count().await;
    let refused = api.create(json!({ "userEmail": "cook@example.com", "payload": big })).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(api.session_count().await, before, "nothing written");
}

pub async fn a_refused_create_registers_no_user_and_a_disabled_user_is_refused(db: &TestDb) {
    let api = Api::start(db).await;
    let big = json!({ "blob": "x".repeat(300) });
    let refused = api.create(json!({ "userEmail": "first.sight@example.com", "payload": big })).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        db.storage.user_by_email("first.sight@example.com").await.unwrap().is_none(),
        "the user an app named is registered only with the session"
    );
    let unknown = api.create(json!({ "userExternalId": "firebase-123" })).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(
        unknown.body["error"]["message"].as_str().unwrap().contains("userEmail is needed"),
        "{}",
        unknown.body
    );

    let (_, _) = api.create_for("leaver@example.com").await;
    let leaver = db.storage.user_by_email("leaver@example.com").await.unwrap().unwrap();
    let audit = db.storage.recent_audit(10).await.unwrap();
    let registered =
        audit.iter().find(|record| record.action == "user.created").expect("registering is audited");
    assert_eq!(registered.target, Some(format!("user:{}", leaver.id)));
    assert_eq!(registered.actor, "app:my_meals", "by the app that named the user");
    api.engine
        .disable_user(leaver.id, roster::engine::Actor::Operator, "left the company", false)
        .await
        .unwrap();
    let before = api.session_count().await;
    let disabled = api.create(json!({ "userEmail": "LEAVER@example.com" })).await;
    assert_eq!((disabled.status, disabled.code()), (StatusCode::FORBIDDEN, "user_disabled"));
    assert_eq!(api.session_count().await, before, "nothing written");
}

pub async fn external_ids_belong_to_the_app_that_gave_them(db: &TestDb) {
    let api = Api::start(db).await;
    let create_in = |key: &'static str, body: Value| {
        let api = &api;
        async move { api.call(Method::POST, "/api/v1/sessions", Some(key), Some(body.to_string()), &[]).await }
    };
    let first = create_in(APP_KEY, json!({ "userEmail": "ada@example.com", "userExternalId": "u-1" })).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let ada = db.storage.user_by_email("ada@example.com").await.unwrap().unwrap();
    let again = create_in(APP_KEY, json!({ "userExternalId": "u-1" })).await;
    assert_eq!(again.status, StatusCode::CREATED, "the app finds its user by its id alone: {}", again.body);
    assert_eq!(again.body["userId"], json!(ada.id));

    // Another app's "u-1" is somebody else, and naming it does not reach Ada.
    let foreign = create_in(OTHER_APP_KEY, json!({ "userExternalId": "u-1" })).await;
    assert_eq!(foreign.status, StatusCode::BAD_REQUEST, "unknown in this app: {}", foreign.body);
    let grace =
        create_in(OTHER_APP_KEY, json!({ "userEmail": "grace@example.com", "userExternalId": "u-1" })).await;
    assert_eq!(grace.status, StatusCode::CREATED, "{}", grace.body);
    assert_ne!(grace.body["userId"], json!(ada.id));

    // Ada known to the second app by its own id; an app that names her by a second id of its own is told.
    let ada_in_ledger =
        create_in(OTHER_APP_KEY, json!({ "userEmail": "ada@example.com", "userExternalId": "L-9" })).await;
    assert_eq!(ada_in_ledger.body["userId"], json!(ada.id), "{}", ada_in_ledger.body);
    let before = api.session_count().await;
    let second_id =
        create_in(APP_KEY, json!({ "userEmail": "ada@example.com", "userExternalId": "u-2" })).await;
    assert_eq!(
        (second_id.status, second_id.code()),
        (StatusCode::CONFLICT, "conflict"),
        "{}",
        second_id.body
    );
    assert_eq!(api.session_count().await, before, "nothing written");
    // Each session shows the id its own app gave.
    let validate_in = |key: &'static str, created: &Reply| {
        let body = json!({ "token": created.body["token"] }).to_string();
        let api = &api;
        async move { api.call(Method::POST, "/api/v1/sessions/validate", Some(key), Some(body), &[]).await }
    };
    assert_eq!(validate_in(APP_KEY, &first).await.body["userExternalId"], json!("u-1"));
    assert_eq!(validate_in(OTHER_APP_KEY, &ada_in_ledger).await.body["userExternalId"], json!("L-9"));
    assert_eq!(validate_in(OTHER_APP_KEY, &grace).await.body["userEmail"], json!("grace@example.com"));
}

pub async fn the_holder_sees_and_signs_out_only_their_own_sessions_in_this_app(db: &TestDb) {
    let api = Api::start(db).await;
    let create_in = |key: &'static str, body: Value| {
        let api = &api;
        async move {
            let reply =
                api.call(Method::POST, "/api/v1/sessions", Some(key), Some(body.to_string()), &[]).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            (
                reply.body["id"].as_str().unwrap().to_string(),
                reply.body["token"].as_str().unwrap().to_string(),
            )
        }
    };
    let (here, here_token) =
        create_in(APP_KEY, json!({ "userEmail": "ada@example.com", "ip": "203.0.113.1" })).await;
    let (phone, phone_token) =
        create_in(APP_KEY, json!({ "userEmail": "ada@example.com", "ip": "203.0.113.2" })).await;
    let (_, ledger_token) = create_in(OTHER_APP_KEY, json!({ "userEmail": "ada@example.com" })).await;
    let (bob, bob_token) = create_in(APP_KEY, json!({ "userEmail": "bob@example.com" })).await;
    let (guest, guest_token) = create_in(APP_KEY, json!({ "guest": true })).await;
    let siblings = |key: &'static str, token: String, method: Method| {
        let api = &api;
        async move {
            api.call(
                method,
                "/api/v1/sessions/current/siblings",
                Some(key),
                None,
                &[("x-session-token", &token)],
            )
            .await
        }
    };

    let listed = siblings(APP_KEY, here_token.clone(), Method::GET).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let sessions = listed.body["sessions"].as_array().unwrap();
    let ids: Vec<&str> = sessions.iter().map(|session| session["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 2, "Ada's two sessions in this app, not Bob's, not the other app's: {ids:?}");
    assert!(ids.contains(&here.as_str()) && ids.contains(&phone.as_str()) && !ids.contains(&bob.as_str()));
    let current: Vec<bool> = sessions.iter().map(|session| session["current"].as_bool().unwrap()).collect();
    assert_eq!(current.iter().filter(|current| **current).count(), 1);
    assert_eq!(sessions.iter().find(|session| session["id"] == json!(here)).unwrap()["current"], json!(true));
    let text = listed.body.to_string();
    assert!(
        !text.contains(&here_token) && !text.contains(&phone_token) && !text.contains("token\""),
        "{text}"
    );

    let foreign = siblings(OTHER_APP_KEY, here_token.clone(), Method::GET).await;
    assert_eq!(foreign.status, StatusCode::UNAUTHORIZED, "another app cannot use this app's session");
    let forged = siblings(APP_KEY, "rs_forged_token_0123456789".into(), Method::GET).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    let forged_out = siblings(APP_KEY, "rs_forged_token_0123456789".into(), Method::DELETE).await;
    assert_eq!(forged_out.status, StatusCode::UNAUTHORIZED);

    let guest_list = siblings(APP_KEY, guest_token.clone(), Method::GET).await;
    let guest_ids: Vec<&Value> =
        guest_list.body["sessions"].as_array().unwrap().iter().map(|s| &s["id"]).collect();
    assert_eq!(guest_ids, vec![&json!(guest)], "a guest sees only the session it holds");

    let signed_out = siblings(APP_KEY, here_token.clone(), Method::DELETE).await;
    assert_eq!((signed_out.status, &signed_out.body), (StatusCode::OK, &json!({ "signedOut": 1 })));
    assert_eq!(api.validate(&phone_token).await.status, StatusCode::UNAUTHORIZED, "the other session ended");
    assert_eq!(api.validate(&here_token).await.status, StatusCode::OK, "the caller stays signed in");
    assert_eq!(api.validate(&bob_token).await.status, StatusCode::OK, "another user's session is left alone");
    let ledger = api
        .call(
            Method::POST,
            "/api/v1/sessions/validate",
            Some(OTHER_APP_KEY),
            Some(json!({ "token": ledger_token }).to_string()),
            &[],
        )
        .await;
    assert_eq!(ledger.status, StatusCode::OK, "the user's session in another app is left alone");
    let audit = db.storage.recent_audit(50).await.unwrap();
    let record =
        audit.iter().find(|record| record.target.as_deref() == Some(&format!("session:{phone}"))).unwrap();
    assert!(record.actor.starts_with("user:"), "audited with the user as actor: {}", record.actor);
}

pub async fn revoking_deletes_the_payload_ciphertext(db: &TestDb) {
    let api = Api::start(db).await;
    let created = api.create(json!({ "userEmail": "p@example.com", "payload": { "secret": "value" } })).await;
    let id = created.body["id"].as_str().unwrap();
    let raw = db.raw_pool().await;
    let stored = |raw: sqlx::AnyPool, id: String| async move {
        let (bytes,): (Option<Vec<u8>>,) =
            sqlx::query_as("SELECT payload_ciphertext FROM sessions WHERE id = $1")
                .bind(id)
                .fetch_one(&raw)
                .await
                .unwrap();
        bytes
    };
    assert!(stored(raw.clone(), id.to_string()).await.is_some());
    api.admin(Method::DELETE, &format!("/api/admin/sessions/{id}")).await;
    assert_eq!(stored(raw, id.to_string()).await, None);
}

pub async fn the_holder_signs_out_and_apps_cannot_touch_each_others_sessions(db: &TestDb) {
    let api = Api::start(db).await;
    let (_, token) = api.create_for("holder@example.com").await;
    let foreign = api
        .call(
            Method::POST,
            "/api/v1/sessions/validate",
            Some(OTHER_APP_KEY),
            Some(json!({ "token": token }).to_string()),
            &[],
        )
        .await;
    assert_eq!((foreign.status, foreign.code()), (StatusCode::UNAUTHORIZED, "session_invalid"));
    let foreign_out = api
        .call(
            Method::DELETE,
            "/api/v1/sessions/current",
            Some(OTHER_APP_KEY),
            None,
            &[("x-session-token", &token)],
        )
        .await;
    assert_eq!(foreign_out.status, StatusCode::UNAUTHORIZED);
    assert_eq!(api.validate(&token).await.status, StatusCode::OK, "still valid");

    let out = api
        .call(Method::DELETE, "/api/v1/sessions/current", Some(APP_KEY), None, &[("x-session-token", &token)])
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(api.validate(&token).await.code(), "session_revoked");
}

pub async fn validations_are_counted_in_batches(db: &TestDb) {
    let api = Api::start(db).await;
    let (id, token) = api.create_for("count@example.com").await;
    for _ in 0..5 {
        api.validate(&token).await;
    }
    api.engine.activity.flush(60_000).await.unwrap();
    let row = api.storage.session_by_id(&sid(&id)).await.unwrap().unwrap();
    assert_eq!(row.validation_count, 5);
    assert_eq!(row.last_request_at, Some(START_MS));
}

pub async fn a_validation_reports_the_page_the_user_is_on(db: &TestDb) {
    let api = Api::start(db).await;
    let (id, token) = api.create_for("pages@example.com").await;
    let validate_on = |activity: Value| {
        let api = &api;
        let body = json!({ "token": token, "activity": activity }).to_string();
        async move { api.call(Method::POST, "/api/v1/sessions/validate", Some(APP_KEY), Some(body), &[]).await }
    };
    assert_eq!(validate_on(json!("Dashboard")).await.status, StatusCode::OK);
    assert_eq!(validate_on(json!("  Orders / 1042  ")).await.status, StatusCode::OK);
    assert_eq!(validate_on(Value::Null).await.status, StatusCode::OK, "no page keeps the last one");
    for bad in [json!("x".repeat(101)), json!("Tab\there"), json!(42)] {
        let refused = validate_on(bad.clone()).await;
        assert_eq!((refused.status, refused.code()), (StatusCode::BAD_REQUEST, "invalid_request"), "{bad}");
    }
    api.engine.activity.flush(60_000).await.unwrap();
    let row = api.storage.session_by_id(&sid(&id)).await.unwrap().unwrap();
    assert_eq!(row.last_activity.as_deref(), Some("Orders / 1042"), "the latest page, trimmed");
    assert_eq!(row.validation_count, 3, "refused validations are not counted");
    let listed = api.admin(Method::GET, "/api/admin/sessions?q=pages%40example.com").await;
    assert_eq!(listed.body["items"][0]["lastActivity"], json!("Orders / 1042"), "{}", listed.body);
}

pub async fn missing_or_wrong_credentials_are_refused(db: &TestDb) {
    let api = Api::start(db).await;
    let body = Some(json!({ "guest": true }).to_string());
    for bearer in [None, Some("nope"), Some(ADMIN_TOKEN), Some("")] {
        let reply = api.call(Method::POST, "/api/v1/sessions", bearer, body.clone(), &[]).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::UNAUTHORIZED, "unauthorized"),
            "bearer {bearer:?}"
        );
    }
    let basic = api
        .call(Method::POST, "/api/v1/sessions", None, body.clone(), &[("authorization", "Basic YTpi")])
        .await;
    assert_eq!(basic.status, StatusCode::UNAUTHORIZED);
    for bearer in [None, Some(APP_KEY)] {
        let reply = api.call(Method::GET, "/api/admin/sessions", bearer, None, &[]).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let audit = api.storage.recent_audit(10).await.unwrap();
    assert!(audit.iter().filter(|e| e.action == "access.refused").count() >= 2, "admin refusals are audited");
    assert_eq!(api.session_count().await, 0, "nothing was created");
}

pub async fn bad_input_gets_a_4xx_naming_the_problem_and_writes_nothing(db: &TestDb) {
    let api = Api::start(db).await;
    let raw =
        |body: &str| api.call(Method::POST, "/api/v1/sessions", Some(APP_KEY), Some(body.to_string()), &[]);
    let cases: Vec<(String, &str)> = vec![
        ("{not json".into(), "JSON"),
        (json!({ "userEmail": "a@example.com", "isAdmin": true }).to_string(), "isAdmin"),
        (json!({ "userEmail": "a@example.com", "userAgent": "x".repeat(5000) }).to_string(), "userAgent"),
        (json!({ "userEmail": format!("{}@example.com", "a".repeat(300)) }).to_string(), "userEmail"),
        (json!({ "userEmail": "a@example.com", "ttlSeconds": -5 }).to_string(), "ttlSeconds"),
        (json!({ "userEmail": "a@example.com", "ttlSeconds": 0 }).to_string(), "ttlSeconds"),
        (
            json!({ "userEmail": "a@example.com", "ttlSeconds": 1_000_000_000_000i64 }).to_string(),
            "ttlSeconds",
        ),
        (json!({ "userEmail": "a@example.com", "ttlSeconds": "soon" }).to_string(), "ttlSeconds"),
        (json!({ "userEmail": "a@example.com", "ttlSeconds": 1.5 }).to_string(), "JSON"),
        (json!({ "userEmail": "a@example.com", "ttlSeconds": 60, "durable": true }).to_string(), "durable"),
        (json!({ "userEmail": "a@example.com", "ip": "300.1.1.1" }).to_string(), "ip"),
        (json!({ "userEmail": "a@example.com", "payload": [1, 2] }).to_string(), "payload"),
        (json!({ "userEmail": "not-an-email" }).to_string(), "userEmail"),
        (json!({ "guest": true, "userEmail": "a@example.com" }).to_string(), "guest"),
        (json!({}).to_string(), "userEmail"),
        (json!({ "userEmail": "'; DROP TABLE sessions; --@x.io'" }).to_string(), "userEmail"),
    ];
    for (body, problem) in cases {
        let reply = raw(&body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}: {}", reply.body);
        let message = reply.body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(problem), "{body}: the message {message:?} should name {problem}");
    }
    let no_type = api
        .router
        .clone()
        .oneshot(
            Request::post("/api/v1/sessions")
                .header(header::AUTHORIZATION, format!("Bearer {APP_KEY}"))
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(no_type.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let huge =
        raw(&json!({ "guest": true, "payload": { "x": "y".repeat(2 * 1024 * 1024) } }).to_string()).await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);

    for path in [
        "/api/admin/sessions?limit=-1",
        "/api/admin/sessions?limit=100000",
        "/api/admin/sessions?offset=-3",
        "/api/admin/sessions?limit=ten",
        "/api/admin/sessions?status=bogus",
        "/api/admin/sessions?sort=created",
        "/api/admin/sessions?q=".to_string().leak(),
    ] {
        let reply = api.admin(Method::GET, path).await;
        if path.ends_with("q=") {
            assert_eq!(reply.status, StatusCode::OK, "an empty search is no filter");
            continue;
        }
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}: {}", reply.body);
    }
    for id in
        ["xyz", "5D6BE86D00000000000000007F6683AB", "5d6be86d00000000000000007f6683ab0", "%27%20OR%201%3D1"]
    {
        let reply = api.admin(Method::DELETE, &format!("/api/admin/sessions/{id}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{id}");
    }
    let unknown = api.admin(Method::DELETE, "/api/admin/sessions/5d6be86d00000000000000007f6683ab").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    for query in ["", "?userId=abc", "?userId=-1"] {
        assert_eq!(
            api.admin(Method::DELETE, &format!("/api/admin/sessions{query}")).await.status,
            StatusCode::BAD_REQUEST
        );
    }
    let bad_token = api.validate(&"x".repeat(500)).await;
    assert_eq!(bad_token.status, StatusCode::UNAUTHORIZED);
    assert_eq!(api.session_count().await, 0, "no request wrote a session");
}

pub async fn the_admin_list_filters_pages_and_counts_in_the_database(db: &TestDb) {
    let api = Api::start(db).await;
    let mut ids = Vec::new();
    for n in 0..5 {
        api.clock.advance_ms(1000);
        ids.push(api.create_for(&format!("user{n}@example.com")).await.0);
    }
    api.call(
        Method::POST,
        "/api/v1/sessions",
        Some(OTHER_APP_KEY),
        Some(json!({ "guest": true }).to_string()),
        &[],
    )
    .await;
    api.admin(Method::DELETE, &format!("/api/admin/sessions/{}", ids[0])).await;

    let page = api.admin(Method::GET, "/api/admin/sessions?limit=2&offset=1&app=my_meals").await;
    assert_eq!(page.body["total"], 5);
    let items = page.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], ids[3], "newest first, after skipping one");
    assert_eq!(api.admin(Method::GET, "/api/admin/sessions?status=revoked").await.body["total"], 1);
    assert_eq!(api.admin(Method::GET, "/api/admin/sessions?app=ledger").await.body["total"], 1);
    let by_email = api.admin(Method::GET, "/api/admin/sessions?q=USER3@").await;
    assert_eq!(by_email.body["total"], 1);
    assert_eq!(by_email.body["items"][0]["userEmail"], "user3@example.com");
    let by_id = api.admin(Method::GET, &format!("/api/admin/sessions?q={}", &ids[2][..8])).await;
    assert_eq!(by_id.body["items"][0]["id"], ids[2]);
}

pub async fn revoking_a_user_ends_all_their_sessions(db: &TestDb) {
    let api = Api::start(db).await;
    let (_, first) = api.create_for("many@example.com").await;
    let (_, second) = api.create_for("many@example.com").await;
    let (_, other) = api.create_for("other@example.com").await;
    let user = api.storage.user_by_email("many@example.com").await.unwrap().unwrap();
    let reply = api.admin(Method::DELETE, &format!("/api/admin/sessions?userId={}", user.id)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["revoked"], 2);
    assert_eq!(api.validate(&first).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(api.validate(&second).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(api.validate(&other).await.status, StatusCode::OK);
}

pub async fn an_admins_reason_is_kept_on_each_ended_session_and_in_the_audit(db: &TestDb) {
    let api = Api::start(db).await;
    let (first, _) = api.create_for("leaver@example.com").await;
    let (second, _) = api.create_for("leaver@example.com").await;
    let (single, _) = api.create_for("other@example.com").await;
    let user = api.storage.user_by_email("leaver@example.com").await.unwrap().unwrap();
    let path = |query: &str| format!("/api/admin/sessions?userId={}&{query}", user.id);
    for (query, what) in [
        ("reason=", "blank"),
        ("reason=%20%20", "only spaces"),
        (&*format!("reason={}", "x".repeat(501)), "too long"),
        ("reason=stolen%07laptop", "a control character"),
        ("reason=a&reason=b", "given twice"),
    ] {
        let reply = api.admin(Method::DELETE, &path(query)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{what}: {}", reply.body);
    }
    let refused = api.admin(Method::DELETE, &format!("/api/admin/sessions/{single}?reason=")).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert_eq!(
        api.storage.session_by_id(&sid(&first)).await.unwrap().unwrap().status,
        SessionStatus::Active,
        "refusals end nothing"
    );

    let reply = api.admin(Method::DELETE, &path("reason=%20Laptop%20stolen%20")).await;
    assert_eq!((reply.status, reply.body["revoked"].as_i64()), (StatusCode::OK, Some(2)), "{}", reply.body);
    let one =
        api.admin(Method::DELETE, &format!("/api/admin/sessions/{single}?reason=Left%20the%20team")).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    for (id, reason) in [(&first, "Laptop stolen"), (&second, "Laptop stolen"), (&single, "Left the team")] {
        let row = api.storage.session_by_id(&sid(id)).await.unwrap().unwrap();
        assert_eq!(row.end_reason.as_deref(), Some(reason), "kept trimmed on the session");
    }
    let audit = api.storage.recent_audit(20).await.unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "session.revoked" && e.reason.as_deref() == Some("Laptop stolen")));
    assert!(audit.iter().any(|e| e.reason.as_deref() == Some("Left the team")));
}

pub async fn stored_settings_change_the_policy(db: &TestDb) {
    let api = Api::start(db).await;
    api.storage.put_setting("max_active_per_user", 2).await.unwrap();
    api.create_for("two@example.com").await;
    api.create_for("two@example.com").await;
    let third = api.create(json!({ "userEmail": "two@example.com" })).await;
    assert_eq!((third.status, third.code()), (StatusCode::CONFLICT, "too_many_sessions"));
    assert!(third.body["error"]["message"].as_str().unwrap().contains("2 active sessions"));
}

//! Revocation is absolute under load (DESIGN.md): 8 tasks validate tokens while sessions are ended every way an
//! admin can end them — the admin API, the console's server function, a user's disabling, an app key's
//! revocation and Kill All. No validation that *started* after its revoke returned may be accepted, and none may
//! answer 5xx. Run on SQLite (where validations come from a cache) and on PostgreSQL.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use secrecy::ExposeSecret;
use serde_json::json;

use roster::engine::{Actor, RateLimits, RateSettings};
use roster::passwords::hash_password;
use roster::secrets::Secret;
use roster::storage::NewUser;

use crate::api_http::{Api, APP_KEY};
use crate::support::{TestDb, START_MS};

const PASSWORD: &str = "correct horse battery staple";
/// Sessions ended each way; the disabled user's are all of theirs, so no more than the per-user limit.
const PER_WAY: usize = 10;

struct Held {
    id: String,
    token: String,
    key: String,
}

struct Validation {
    session: usize,
    started: Instant,
    status: StatusCode,
}

async fn console_cookie(api: &Api, db: &TestDb) -> String {
    let hash = hash_password(&Secret::from(PASSWORD)).unwrap();
    let user = NewUser {
        email: "racer-owner@example.com",
        display_name: "Owner",
        role: "owner",
        password_hash: Some(&hash),
        now_ms: START_MS,
    };
    db.storage.create_user(user).await.unwrap();
    let form = format!("email=racer-owner%40example.com&password={}", PASSWORD.replace(' ', "+"));
    let request = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    let reply = api.respond(request).await;
    assert_eq!(reply.status(), StatusCode::OK);
    let cookie = reply.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

async fn console_call(api: &Api, cookie: &str, function: &str, form: String) {
    let request = Request::post(format!("/api/{function}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(form))
        .unwrap();
    let reply = api.respond(request).await;
    assert_eq!(reply.status(), StatusCode::OK, "{function}");
}

async fn create(api: &Api, key: &str, email: &str) -> (Held, i64) {
    let body = json!({ "userEmail": email }).to_string();
    let reply = api.call(Method::POST, "/api/v1/sessions", Some(key), Some(body), &[]).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let held = Held {
        id: reply.body["id"].as_str().unwrap().to_owned(),
        token: reply.body["token"].as_str().unwrap().to_owned(),
        key: key.to_owned(),
    };
    (held, reply.body["userId"].as_i64().unwrap())
}

pub async fn no_validation_is_accepted_after_its_revoke_returned_whichever_way_it_was_ended(db: &TestDb) {
    let api = Arc::new(
        Api::start_configured(db, |engine| {
            engine.rate_limits = RateLimits::new(RateSettings::out_of_reach())
        })
        .await,
    );
    let cookie = console_cookie(&api, db).await;
    let admin = Actor::User { id: 1, ip: None };
    let form = app::apps::AppForm { slug: "racing".into(), name: "Racing".into(), max_payload_bytes: 256 };
    let racing_key = api.engine.register_app(&form, admin).await.unwrap().expose_secret().to_string();

    // Five ways, PER_WAY sessions each: [admin API, server function, disabled user, revoked key, Kill All].
    let mut held = Vec::new();
    let mut disabled_user = 0;
    for way in 0..5 {
        for n in 0..PER_WAY {
            let (key, email) = match way {
                2 => (APP_KEY, "to-disable@example.com".to_owned()),
                3 => (racing_key.as_str(), format!("racing{n}@example.com")),
                _ => (APP_KEY, format!("racer{way}-{n}@example.com")),
            };
            let (session, user) = create(&api, key, &email).await;
            if way == 2 {
                disabled_user = user;
            }
            held.push(session);
        }
    }
    let held = Arc::new(held);
    let stop = Arc::new(AtomicBool::new(false));
    let validators: Vec<_> = (0..8)
        .map(|worker| {
            let (api, held, stop) = (api.clone(), held.clone(), stop.clone());
            tokio::spawn(async move {
                let mut seen = Vec::new();
                let mut n = worker;
                while !stop.load(Ordering::Acquire) {
                    let session = n % held.len();
                    let body = json!({ "token": held[session].token }).to_string();
                    let started = Instant::now();
                    let status = api
                        .call(
                            Method::POST,
                            "/api/v1/sessions/validate",
                            Some(&held[session].key),
                            Some(body),
                            &[],
                        )
                        .await
                        .status;
                    seen.push(Validation { session, started, status });
                    n += 7;
                    tokio::task::yield_now().await;
                }
                seen
            })
        })
        .collect();

    let mut returned: Vec<Option<Instant>> = vec![None; held.len()];
    tokio::time::sleep(Duration::from_millis(20)).await;
    for (n, session) in held[..PER_WAY].iter().enumerate() {
        let revoked = api.admin(Method::DELETE, &format!("/api/admin/sessions/{}", session.id)).await;
        assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
        returned[n] = Some(Instant::now());
        tokio::time::sleep(Duration::from_millis(3)).await;
    }
    for (n, session) in held[PER_WAY..2 * PER_WAY].iter().enumerate() {
        console_call(&api, &cookie, "sessions/revoke", format!("session_id={}", session.id)).await;
        returned[PER_WAY + n] = Some(Instant::now());
        tokio::time::sleep(Duration::from_millis(3)).await;
    }
    let disabled =
        api.admin(Method::POST, &format!("/api/admin/users/{disabled_user}/disable?reason=race")).await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.body);
    returned[2 * PER_WAY..3 * PER_WAY].fill(Some(Instant::now()));
    tokio::time::sleep(Duration::from_millis(20)).await;
    let overview = api.engine.apps_overview().await.unwrap();
    let key_id = overview.apps.iter().find(|app| app.slug == "racing").unwrap().keys[0].id;
    console_call(&api, &cookie, "apps/keys/revoke", format!("key_id={key_id}")).await;
    returned[3 * PER_WAY..4 * PER_WAY].fill(Some(Instant::now()));
    tokio::time::sleep(Duration::from_millis(20)).await;
    console_call(&api, &cookie, "sessions/kill_all", String::new()).await;
    returned[4 * PER_WAY..].fill(Some(Instant::now()));
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.store(true, Ordering::Release);

    let mut validations = Vec::new();
    for validator in validators {
        validations.extend(validator.await.unwrap());
    }
    let after = |v: &&Validation| returned[v.session].is_some_and(|at| v.started > at);
    let server_errors = validations.iter().filter(|v| v.status.is_server_error()).count();
    let stale: Vec<_> = validations
        .iter()
        .filter(after)
        .filter(|v| v.status == StatusCode::OK)
        .map(|v| {
            ["admin API", "server function", "disabled user", "revoked key", "Kill All"][v.session / PER_WAY]
        })
        .collect();
    let ways_raced =
        (0..5).filter(|way| validations.iter().filter(after).any(|v| v.session / PER_WAY == *way)).count();
    eprintln!(
        "{} validations, {} after their revoke returned: {} accepted, {server_errors} 5xx",
        validations.len(),
        validations.iter().filter(after).count(),
        stale.len()
    );
    assert_eq!(ways_raced, 5, "every way of ending was raced by validations started after it returned");
    assert!(stale.is_empty(), "accepted after their revoke returned: {stale:?}");
    assert_eq!(server_errors, 0, "no validation answers 5xx");
}

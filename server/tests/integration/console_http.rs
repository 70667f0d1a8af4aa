//! The console over HTTP: sign-in, the session cookie, limits, refusals and bad input.

use app::model::SessionStatus;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

use app::model::{OwnSessionView, OwnSessions};
use app::ConsoleError;
use roster::clock::ManualClock;
use roster::http::{router, ServerContext};
use roster::passwords::hash_password;
use roster::public_url::PublicUrl;
use roster::secrets::Secret;
use roster::storage::{AuditEvent, EndedBy, NewUser, SessionEnd};

use crate::support::{manual_clock, sid, test_engine, TestDb, START_MS};

pub const PASSWORD: &str = "correct horse battery staple";
const MINUTE: i64 = 60_000;
const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(30);

pub struct TestApp {
    router: Router,
    context: ServerContext,
    pub db: TestDb,
    pub clock: Arc<ManualClock>,
    pub engine: roster::engine::Engine,
    owner_id: i64,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn error(&self) -> ConsoleError {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("an error body, got {:?}", self.body))
    }

    /// `name=value` of the session cookie this reply sets.
    fn cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|cookie| cookie.contains("roster_session="))
            .and_then(|cookie| cookie.split(';').next())
            .map(str::to_owned)
    }

    fn set_cookie_header(&self) -> String {
        self.headers.get(header::SET_COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
    }
}

impl TestApp {
    pub async fn start() -> TestApp {
        TestApp::start_with(false, None).await
    }

    async fn start_with(secure_cookies: bool, public_url: Option<PublicUrl>) -> TestApp {
        let db = TestDb::sqlite().await;
        let (clock, shared) = manual_clock();
        let hash = hash_password(&Secret::from(PASSWORD)).unwrap();
        let mut ids = Vec::new();
        for (email, role) in [
            ("owner@example.com", "owner"),
            ("member@example.com", "member"),
            ("billing@example.com", "billing_manager"),
        ] {
            let id = db
                .storage
                .create_user(NewUser {
                    email,
                    display_name: "Someone",
                    role,
                    password_hash: Some(&hash),
                    now_ms: START_MS,
                })
                .await
                .unwrap();
            ids.push(id);
        }
        let options = roster::serve::leptos_options(&Default::default());
        let engine = test_engine(&db, shared);
        let context =
            ServerContext { engine: engine.clone(), leptos_options: options, secure_cookies, public_url };
        TestApp { router: router(context.clone()), context, db, clock, engine, owner_id: ids[0] }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.open(request).await;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("a body").to_bytes();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    /// The response as it starts, its body still streaming (for the live event stream).
    pub async fn open(&self, request: Request<Body>) -> axum::response::Response {
        let (method, uri) = (request.method().clone(), request.uri().clone());
        // A render that never finishes would otherwise hang the whole test run without naming itself.
        tokio::time::timeout(ANSWER_WITHIN, self.router.clone().oneshot(request))
            .await
            .unwrap_or_else(|_| panic!("{method} {uri} got no answer within {ANSWER_WITHIN:?}"))
            .expect("the router answers")
    }

    pub async fn post(&self, path: &str, form: &str, cookie: Option<&str>, extra: &[(&str, &str)]) -> Reply {
        let mut request =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(form.to_owned())).unwrap()).await
    }

    async fn sign_in(&self, email: &str, password: &str) -> Reply {
        self.sign_in_with_headers(email, password, &[]).await
    }

    async fn sign_in_with_headers(&self, email: &str, password: &str, headers: &[(&str, &str)]) -> Reply {
        let form = format!("email={}&password={}", urlencode(email), urlencode(password));
        self.post("/api/login", &form, None, headers).await
    }

    pub async fn signed_in_cookie(&self, email: &str) -> String {
        self.signed_in_cookie_with(email, PASSWORD).await
    }

    pub async fn signed_in_cookie_with(&self, email: &str, password: &str) -> String {
        let reply = self.sign_in(email, password).await;
        assert_eq!(reply.status, StatusCode::OK, "sign-in failed: {}", reply.body);
        reply.cookie().expect("sign-in sets the session cookie")
    }

    async fn my_sessions(&self, cookie: Option<&str>) -> Reply {
        self.post("/api/my_sessions", "", cookie, &[]).await
    }

    async fn own_sessions(&self, cookie: &str) -> Vec<OwnSessionView> {
        let reply = self.my_sessions(Some(cookie)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        serde_json::from_str::<OwnSessions>(&reply.body).unwrap().sessions
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn the_login_page_is_rendered_on_the_server() {
    let app = TestApp::start().await;
    let reply = app.send(Request::get("/login").body(Body::empty()).unwrap()).await;
    assert_eq!(reply.status, StatusCode::OK);
    // A plain form post: sign-in works before (or without) the WASM.
    let form = reply.body.split("<form ").nth(1).and_then(|rest| rest.split('>').next()).unwrap_or_default();
    assert!(form.contains(r#"action="/api/login""#) && form.contains(r#"method="post""#), "{}", reply.body);
    assert!(reply.body.contains("Remember me") && reply.body.contains("/pkg/roster.js"));
}

/// Building a router lists the console's routes, which once suppressed resource loading for the whole process:
/// a page whose render began meanwhile never finished (leptos-rs/leptos#4773; tests build routers side by side).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_while_other_routers_are_built() {
    let app = TestApp::start().await;
    let context = app.context.clone();
    let building = tokio::task::spawn_blocking(move || {
        for _ in 0..100 {
            drop(router(context.clone()));
        }
    });
    for _ in 0..100 {
        let reply = app.send(Request::get("/login").body(Body::empty()).unwrap()).await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    building.await.unwrap();
}

/// The data each page was rendered with, as the browser reads it when it hydrates.
fn resolved_resources(html: &str) -> Vec<&str> {
    html.split("__RESOLVED_RESOURCES[").skip(1).filter_map(|rest| rest.split("\";").next()).collect()
}

/// A page's data is loaded once, by the page the browser is sent. Pages built inside the sign-in check's
/// Suspense were once built again each time the server checked that Suspense, and the dropped copies' loads ran
/// without the request's context ("wiring" errors sent to the browser) or never ended (a page that never
/// answered). Every page, side by side, twenty times, as the owner, who may open them all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_renders_with_its_data_loaded_once_many_at_a_time() {
    let app = Arc::new(TestApp::start().await);
    let cookie = app.signed_in_cookie("owner@example.com").await;
    let mut renders = tokio::task::JoinSet::new();
    for _ in 0..20 {
        for page in app::routes::PAGES {
            let (app, cookie) = (app.clone(), cookie.clone());
            renders.spawn(async move {
                let request =
                    Request::get(page.path).header(header::COOKIE, cookie).body(Body::empty()).unwrap();
                (page.path, app.send(request).await)
            });
        }
    }
    while let Some(done) = renders.join_next().await {
        let (path, reply) = done.unwrap();
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        let resources = resolved_resources(&reply.body);
        // The sign-in check, then the page's own.
        assert!(resources.len() >= 2, "{path} was sent without its data: {resources:?}");
        let failed: Vec<&&str> = resources.iter().filter(|data| data.contains("Err")).collect();
        assert!(failed.is_empty(), "{path} was sent failed loads: {failed:?}");
    }
}

/// A browser asking for a page it may not open gets a real redirect (a form or link works without the WASM);
/// one signed in gets the page.
#[tokio::test]
async fn a_signed_in_page_redirects_an_anonymous_browser_to_sign_in() {
    let app = TestApp::start().await;
    for page in app::routes::PAGES {
        let request =
            Request::get(page.path).header(header::ACCEPT, "text/html").body(Body::empty()).unwrap();
        let reply = app.send(request).await;
        assert_eq!(reply.status, StatusCode::FOUND, "{}", page.path);
        assert_eq!(reply.headers[header::LOCATION], "/login", "{}", page.path);
    }
}

/// The site's files answer 200 with their bytes while pages that set another status (a redirect, not found)
/// render beside them: Leptos's own file handler once gave a file the status of a page rendered on the same
/// thread, and a page whose WASM chunk answered 404 never hydrated.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn site_files_keep_their_own_status_while_pages_render_beside_them() {
    let app = TestApp::start().await;
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/chunk_1.wasm"), b"\0asm chunk").unwrap();
    let mut context = app.context.clone();
    context.leptos_options.site_root = site.path().to_string_lossy().into();
    let served = router(context);
    let mut replies = tokio::task::JoinSet::new();
    for round in 0..150 {
        let path = ["/pkg/chunk_1.wasm", "/sessions", "/no-such-page"][round % 3];
        let served = served.clone();
        replies.spawn(async move {
            let request = Request::get(path).header(header::ACCEPT, "text/html").body(Body::empty()).unwrap();
            let response = served.oneshot(request).await.unwrap();
            let status = response.status();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            (path, status, body)
        });
    }
    while let Some(done) = replies.join_next().await {
        let (path, status, body) = done.unwrap();
        let expected = match path {
            "/pkg/chunk_1.wasm" => StatusCode::OK,
            "/sessions" => StatusCode::FOUND,
            _ => StatusCode::NOT_FOUND,
        };
        assert_eq!(status, expected, "{path}");
        if status == StatusCode::OK {
            assert_eq!(&body[..], b"\0asm chunk");
        }
    }
}

#[tokio::test]
async fn every_reply_carries_a_request_id_and_keeps_one_a_proxy_sent() {
    let app = TestApp::start().await;
    let reply = app.open(Request::get("/healthz").body(Body::empty()).unwrap()).await;
    let id = reply.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let again = app.open(Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_ne!(again.headers()["x-request-id"].to_str().unwrap(), id, "one id per request");
    let proxied = Request::get("/login").header("x-request-id", "lb-42").body(Body::empty()).unwrap();
    assert_eq!(app.open(proxied).await.headers()["x-request-id"], "lb-42");
}

#[tokio::test]
async fn signing_in_sets_a_strict_http_only_cookie_and_marks_this_device() {
    let app = TestApp::start().await;
    let reply = app.sign_in("Owner@Example.com", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.headers.get(header::LOCATION).unwrap(), "/sessions");
    let set_cookie = reply.set_cookie_header();
    assert!(set_cookie.starts_with("roster_session="), "{set_cookie}");
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    assert!(
        !set_cookie.contains("Secure") && !set_cookie.contains("Max-Age"),
        "a browser-session cookie: {set_cookie}"
    );

    let sessions = app.own_sessions(&reply.cookie().unwrap()).await;
    assert_eq!(sessions.len(), 1);
    assert!(sessions[0].is_current);
    assert_eq!(sessions[0].app_name, "Roster console");
    assert_eq!(sessions[0].expires_at_ms, Some(START_MS + 24 * 60 * MINUTE));
    assert!(!reply.cookie().unwrap().contains(&sessions[0].id), "the public id is not the cookie");
}

#[tokio::test]
async fn remember_me_gives_a_30_day_session_and_a_lasting_cookie() {
    let app = TestApp::start().await;
    let form = format!("email=owner%40example.com&password={}&remember_me=on", urlencode(PASSWORD));
    let reply = app.post("/api/login", &form, None, &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.set_cookie_header().contains("Max-Age=2592000"), "{}", reply.set_cookie_header());
    let sessions = app.own_sessions(&reply.cookie().unwrap()).await;
    assert_eq!(sessions[0].expires_at_ms, Some(START_MS + 30 * 24 * 60 * MINUTE));
    assert!(sessions[0].remember_me);
}

#[tokio::test]
async fn secure_cookies_carry_the_host_prefix() {
    let app = TestApp::start_with(true, None).await;
    let reply = app.sign_in("owner@example.com", PASSWORD).await;
    let set_cookie = reply.set_cookie_header();
    assert!(set_cookie.starts_with("__Host-roster_session="), "{set_cookie}");
    assert!(set_cookie.contains("Secure") && set_cookie.contains("Path=/"), "{set_cookie}");
}

#[tokio::test]
async fn behind_a_tls_proxy_the_public_url_decides_cookies_hsts_and_origin() {
    let public = PublicUrl::parse("https://roster.example.com").unwrap();
    // Roster listens on loopback behind the proxy: the public URL, not the listen address, makes cookies secure.
    let options = roster::cli::ServeOptions { public_url: Some(public.clone()), ..Default::default() };
    assert!(options.listen.ip().is_loopback() && options.secure_cookies());
    let app = TestApp::start_with(options.secure_cookies(), Some(public)).await;
    let proxied = [("origin", "https://roster.example.com"), ("host", "127.0.0.1:3000")];
    let through_proxy = app.sign_in_with_headers("owner@example.com", PASSWORD, &proxied).await;
    assert_eq!(through_proxy.status, StatusCode::OK, "{}", through_proxy.body);
    assert!(through_proxy.set_cookie_header().starts_with("__Host-roster_session="));
    assert!(through_proxy.set_cookie_header().contains("Secure"));
    assert_eq!(through_proxy.headers.get("strict-transport-security").unwrap(), "max-age=31536000");
    // A rebound DNS name: the browser thinks attacker.example is same-site with itself.
    let rebound_headers = [("origin", "http://attacker.example"), ("host", "attacker.example")];
    let rebound = app.sign_in_with_headers("owner@example.com", PASSWORD, &rebound_headers).await;
    assert_eq!(rebound.status, StatusCode::FORBIDDEN);
    assert_eq!(rebound.error(), ConsoleError::CrossSiteRequest);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_401() {
    let app = TestApp::start().await;
    let wrong = app.sign_in("owner@example.com", "not the password at all").await;
    let unknown = app.sign_in("nobody@example.com", PASSWORD).await;
    for reply in [&wrong, &unknown] {
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.error(), ConsoleError::InvalidCredentials);
        assert!(reply.cookie().is_none());
    }
    let audit = app.db.storage.recent_audit(10).await.unwrap();
    assert!(audit.iter().filter(|event| event.action == "sign_in.failed").count() == 2);
}

#[tokio::test]
async fn ten_failures_lock_the_email_for_15_minutes_known_or_not() {
    let app = TestApp::start().await;
    for email in ["owner@example.com", "ghost@example.com"] {
        for attempt in 1..=10 {
            let reply = app.sign_in(email, &format!("wrong password {attempt}")).await;
            let expected =
                if attempt < 10 { StatusCode::UNAUTHORIZED } else { StatusCode::TOO_MANY_REQUESTS };
            assert_eq!(reply.status, expected, "{email} attempt {attempt}");
        }
        let right = app.sign_in(email, PASSWORD).await;
        assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(right.error(), ConsoleError::LockedOut { minutes: 15 });
        assert_eq!(right.error().to_string(), "Too many failed sign-ins. Try again in 15 minutes.");
        // The next email's attempts come from the same address: a new minute, so its allowance does not end first.
        app.clock.advance_ms(MINUTE);
    }
    app.clock.advance_ms(14 * MINUTE + 1);
    assert_eq!(app.sign_in("owner@example.com", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn anonymous_and_forged_cookies_are_refused_and_audited() {
    let app = TestApp::start().await;
    for cookie in [
        None,
        Some("roster_session=AAAAAAAAAAAAAAAAAAAAAA"),
        Some("roster_session=%27%20OR%201%3D1"),
        Some("roster_session="),
    ] {
        let reply = app.my_sessions(cookie).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "cookie {cookie:?}: {}", reply.body);
        assert_eq!(reply.error(), ConsoleError::NotSignedIn);
    }
    let before = app.db.storage.recent_audit(100).await.unwrap().len();
    // Anonymous refusals are tallied per address and minute, and written once the minute is over.
    assert_eq!(app.engine.flush_anonymous_refusals(true).await.unwrap(), 1, "four refusals, one record");
    let audit = app.db.storage.recent_audit(100).await.unwrap();
    assert_eq!(audit.len(), before + 1);
    let record = &audit[0];
    assert_eq!((record.action.as_str(), record.actor.as_str()), ("access.refused", "anonymous"));
    assert_eq!(record.reason.as_deref(), Some("4 refused anonymous calls in this minute"));
}

#[tokio::test]
async fn a_session_revoked_elsewhere_is_refused_on_its_next_request() {
    let app = TestApp::start().await;
    let cookie = app.signed_in_cookie("owner@example.com").await;
    let session_id = app.own_sessions(&cookie).await[0].id.clone();
    let end = SessionEnd {
        status: SessionStatus::Revoked,
        ended_by_token_id: None,
        ended_by: EndedBy::User,
        ended_by_user_id: Some(app.owner_id),
        reason: "test",
        cause: app::end_cause::EndCause::EndedByAdmin,
        share_reason: false,
        now_ms: START_MS,
    };
    let audit = AuditEvent {
        at_ms: START_MS,
        actor: "user:1".into(),
        action: "session.revoked",
        target: None,
        reason: None,
        ip: None,
    };
    assert!(app.db.storage.end_session(&sid(&session_id), &end, &audit).await.unwrap().is_some());
    let reply = app.my_sessions(Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn idle_sessions_expire_after_an_hour_without_requests() {
    let app = TestApp::start().await;
    let cookie = app.signed_in_cookie("owner@example.com").await;
    app.clock.advance_ms(59 * MINUTE);
    assert_eq!(
        app.my_sessions(Some(&cookie)).await.status,
        StatusCode::OK,
        "59 minutes idle is within the limit"
    );
    app.clock.advance_ms(59 * MINUTE);
    assert_eq!(
        app.my_sessions(Some(&cookie)).await.status,
        StatusCode::OK,
        "the last request reset the idle time"
    );
    app.clock.advance_ms(61 * MINUTE);
    assert_eq!(app.my_sessions(Some(&cookie)).await.status, StatusCode::UNAUTHORIZED);
    let raw = app.db.raw_pool().await;
    let (status, ended_by): (String, String) =
        sqlx::query_as("SELECT status, ended_by FROM sessions").fetch_one(&raw).await.unwrap();
    assert_eq!((status.as_str(), ended_by.as_str()), ("expired", "system"));
}

#[tokio::test]
async fn busy_sessions_still_end_at_the_absolute_limit() {
    let app = TestApp::start().await;
    let cookie = app.signed_in_cookie("owner@example.com").await;
    for _ in 0..28 {
        app.clock.advance_ms(50 * MINUTE);
        assert_eq!(app.my_sessions(Some(&cookie)).await.status, StatusCode::OK);
    }
    app.clock.advance_ms(50 * MINUTE);
    assert_eq!(app.my_sessions(Some(&cookie)).await.status, StatusCode::UNAUTHORIZED, "24 h after sign-in");
}

#[tokio::test]
async fn signing_out_ends_the_session_for_good() {
    let app = TestApp::start().await;
    let cookie = app.signed_in_cookie("owner@example.com").await;
    let reply = app.post("/api/logout", "", Some(&cookie), &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers.get(header::LOCATION).unwrap(), "/login");
    assert_eq!(app.my_sessions(Some(&cookie)).await.status, StatusCode::UNAUTHORIZED);
    let raw = app.db.raw_pool().await;
    let (status, ended_by, reason): (String, String, String) =
        sqlx::query_as("SELECT status, ended_by, end_reason FROM sessions").fetch_one(&raw).await.unwrap();
    assert_eq!((status.as_str(), ended_by.as_str(), reason.as_str()), ("revoked", "holder", "signed out"));
}

#[tokio::test]
async fn every_sign_in_gets_a_new_session_id() {
    let app = TestApp::start().await;
    let first = app.signed_in_cookie("owner@example.com").await;
    let form = format!("email=owner%40example.com&password={}", urlencode(PASSWORD));
    let again = app.post("/api/login", &form, Some(&first), &[]).await;
    let second = again.cookie().expect("a new cookie");
    assert_ne!(first, second);
    assert_eq!(app.my_sessions(Some(&first)).await.status, StatusCode::UNAUTHORIZED, "the old id is ended");
    assert_eq!(app.my_sessions(Some(&second)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn cross_site_requests_are_refused_and_change_nothing() {
    let app = TestApp::start().await;
    let cookie = app.signed_in_cookie("owner@example.com").await;
    let forged = app
        .post(
            "/api/logout",
            "",
            Some(&cookie),
            &[("origin", "https://evil.example"), ("host", "127.0.0.1:3000")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(forged.error(), ConsoleError::CrossSiteRequest);
    assert_eq!(app.my_sessions(Some(&cookie)).await.status, StatusCode::OK, "still signed in");

    let form = format!("email=member%40example.com&password={}", urlencode(PASSWORD));
    let login = app.post("/api/login", &form, None, &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(login.status, StatusCode::FORBIDDEN);
    assert!(login.cookie().is_none());
    let same_origin = app
        .post("/api/login", &form, None, &[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")])
        .await;
    assert_eq!(same_origin.status, StatusCode::OK);
}

#[tokio::test]
async fn a_disabled_user_is_signed_out_and_cannot_sign_in() {
    let app = TestApp::start().await;
    let cookie = app.signed_in_cookie("member@example.com").await;
    let member = app.db.storage.user_by_email("member@example.com").await.unwrap().unwrap();
    app.engine
        .disable_user(member.id, roster::engine::Actor::Operator, "left the company", false)
        .await
        .unwrap();
    assert_eq!(app.my_sessions(Some(&cookie)).await.status, StatusCode::UNAUTHORIZED);
    let reply = app.sign_in("member@example.com", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.error(), ConsoleError::AccountDisabled);
}

#[tokio::test]
async fn bad_sign_in_input_gets_a_4xx_and_signs_nobody_in() {
    let app = TestApp::start().await;
    let huge = "a".repeat(100_000);
    let cases = [
        ("email=owner%40example.com".to_string(), "missing password"),
        ("password=x".to_string(), "missing email"),
        (format!("email={huge}%40example.com&password={huge}"), "huge strings"),
        ("email=&password=".to_string(), "empty fields"),
        ("%%%&&&===".to_string(), "malformed form"),
        (
            "email=owner%40example.com&password=x&unknown=1&email=second".to_string(),
            "duplicate and unknown fields",
        ),
    ];
    for (form, what) in cases {
        let reply = app.post("/api/login", &form, None, &[]).await;
        assert!(reply.status.is_client_error(), "{what}: got {} {}", reply.status, reply.body);
        assert!(reply.cookie().is_none(), "{what}: no session");
    }
    let get = app.send(Request::get("/api/login?email=a&password=b").body(Body::empty()).unwrap()).await;
    assert!(get.status.is_client_error(), "GET on a POST server function: {}", get.status);
}

#[tokio::test]
async fn unknown_pages_are_a_404_page() {
    let app = TestApp::start().await;
    let reply = app.send(Request::get("/no/such/page").body(Body::empty()).unwrap()).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("Page not found"));
}

#[tokio::test]
async fn a_user_signs_out_their_other_sessions_and_no_one_else_s() {
    let app = TestApp::start().await;
    let here = app.signed_in_cookie("member@example.com").await;
    let laptop = app.signed_in_cookie("member@example.com").await;
    let phone = app.signed_in_cookie("member@example.com").await;
    let owner = app.signed_in_cookie("owner@example.com").await;
    let mine = app.own_sessions(&here).await;
    assert_eq!(mine.len(), 3);
    let id_of = |cookie: &str| {
        let app = &app;
        let cookie = cookie.to_owned();
        async move { app.own_sessions(&cookie).await.into_iter().find(|s| s.is_current).unwrap().id }
    };
    let (here_id, laptop_id, owner_id) = (id_of(&here).await, id_of(&laptop).await, id_of(&owner).await);
    let sign_out = |cookie: &str, id: &str| {
        let (app, cookie, form) = (&app, cookie.to_owned(), format!("session_id={id}"));
        async move { app.post("/api/my_sessions/sign_out", &form, Some(&cookie), &[]).await }
    };

    let one = sign_out(&here, &laptop_id).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    assert_eq!(app.my_sessions(Some(&laptop)).await.status, StatusCode::UNAUTHORIZED, "ended at once");
    let own = sign_out(&here, &here_id).await;
    assert_eq!(own.status, StatusCode::BAD_REQUEST, "this browser signs out with Sign out: {}", own.body);
    let foreign = sign_out(&here, &owner_id).await;
    let unknown = sign_out(&here, &"0".repeat(32)).await;
    assert_eq!(
        (foreign.status, &foreign.body),
        (unknown.status, &unknown.body),
        "another user's looks unknown"
    );
    assert_eq!(foreign.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.my_sessions(Some(&owner)).await.status,
        StatusCode::OK,
        "the owner's session is untouched"
    );
    assert_eq!(sign_out(&here, "not-an-id").await.status, StatusCode::BAD_REQUEST);

    let others = app.post("/api/my_sessions/sign_out_others", "", Some(&here), &[]).await;
    assert_eq!((others.status, others.body.as_str()), (StatusCode::OK, "1"), "the phone: {}", others.body);
    assert_eq!(app.my_sessions(Some(&phone)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.own_sessions(&here).await.len(), 1, "this browser stays signed in");
    assert_eq!(app.my_sessions(Some(&owner)).await.status, StatusCode::OK);
    let anonymous = app.post("/api/my_sessions/sign_out_others", "", None, &[]).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    let raw = app.db.raw_pool().await;
    let (ended_by, reason): (String, String) =
        sqlx::query_as("SELECT ended_by, end_reason FROM sessions WHERE id = $1")
            .bind(&laptop_id)
            .fetch_one(&raw)
            .await
            .unwrap();
    assert_eq!((ended_by.as_str(), reason.as_str()), ("holder", "signed out from My sessions"));
    let audit = app.db.storage.recent_audit(50).await.unwrap();
    let record = audit.iter().find(|r| r.target.as_deref() == Some(&format!("session:{laptop_id}"))).unwrap();
    assert!(record.actor.starts_with("user:"), "the user is the actor: {}", record.actor);
}

#[tokio::test]
async fn my_sessions_name_each_device_and_show_an_apps_requests_and_last_page() {
    use crate::console_detail_http::register_app;
    use crate::support::new_session;
    use app::model::WarningSign;
    use roster::engine::{CreateSession, Lifetime, SessionOwner};

    let app = TestApp::start().await;
    let app_id = register_app(&app).await;
    let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
    let reply = app.sign_in_with_headers("member@example.com", PASSWORD, &[("user-agent", iphone)]).await;
    let here = reply.cookie().expect("signed in");
    let member = app.db.storage.user_by_email("member@example.com").await.unwrap().unwrap();
    let windows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    let created = app
        .engine
        .create_session(CreateSession {
            ip: Some("203.0.113.9".parse().unwrap()),
            user_agent: Some(windows.into()),
            lifetime: Lifetime::Durable,
            ..new_session(app_id, 1024, SessionOwner::User(member.id))
        })
        .await
        .unwrap();
    let row = app.engine.session_by_id(&created.id).await.unwrap().unwrap();
    app.engine.validate(&row.token_hash, app_id).await.unwrap();
    app.engine.validate_reporting(&row.token_hash, app_id, Some("Weekly plan")).await.unwrap();
    app.engine.activity.flush(60_000).await.unwrap();

    let sessions = app.own_sessions(&here).await;
    let current = sessions.iter().find(|s| s.is_current).expect("this browser is listed");
    assert_eq!(current.device_name.as_deref(), Some("Safari on iPhone"));
    assert_eq!(
        (current.browser.as_deref(), current.system.as_deref()),
        (Some("Safari 17.1"), Some("iOS 17.1"))
    );
    assert_eq!(current.app_name, "Roster console");
    let other = sessions.iter().find(|s| !s.is_current).expect("the app's session is listed");
    assert_eq!(other.device_name.as_deref(), Some("Chrome on Windows"));
    assert_eq!(other.system.as_deref(), Some("Windows 10"));
    assert_eq!((other.app_name.as_str(), other.ip.as_deref()), ("My Meals", Some("203.0.113.9")));
    assert_eq!((other.requests, other.last_page.as_deref()), (2, Some("Weekly plan")));
    assert_eq!(other.sign_ins_from_device, 1);
    assert!(other.warnings.is_empty(), "nothing before it to differ from: {:?}", other.warnings);

    // A month later the app's session, which never expires, is an Old session.
    app.clock.advance_ms(31 * 24 * 60 * MINUTE);
    let reply = app.sign_in_with_headers("member@example.com", PASSWORD, &[("user-agent", iphone)]).await;
    let sessions = app.own_sessions(&reply.cookie().expect("signed in again")).await;
    let other = sessions.iter().find(|s| s.app_name == "My Meals").expect("still active");
    assert_eq!(other.warnings, [WarningSign::OldSession]);
    let current = sessions.iter().find(|s| s.is_current).unwrap();
    assert!(current.warnings.is_empty(), "the same iPhone, after a month away: {:?}", current.warnings);
}

//! What operators and browsers are told beside the product itself: security headers on every answer, the
//! readiness probe and the Prometheus scrape.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;

use crate::api_http::{Api, ADMIN_TOKEN};
use crate::console_http::TestApp;
use crate::support::TestDb;

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

async fn get(api: &Api, path: &str) -> Answer {
    let response = api.respond(Request::get(path).body(Body::empty()).unwrap()).await;
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or_else(|| panic!("no {name} header"))
}

/// The nonce a page's policy allows scripts by.
fn policy_nonce(policy: &str) -> &str {
    policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce in the policy")
}

#[tokio::test]
async fn a_console_page_runs_only_its_own_scripts_and_cannot_be_framed() {
    let app = TestApp::start().await;
    let page = app.send(Request::get("/login").body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    let policy = header(&page.headers, "content-security-policy");
    for part in ["default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"] {
        assert!(policy.contains(part), "{part} missing from {policy}");
    }
    assert!(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"), "{policy}");
    let nonce = policy_nonce(policy);
    assert!(nonce.len() >= 16, "{nonce}");
    // Every script Leptos wrote into the page carries the nonce; none runs without it.
    let scripts: Vec<&str> =
        page.body.split("<script").skip(1).map(|s| s.split('>').next().unwrap()).collect();
    assert!(!scripts.is_empty());
    for script in scripts {
        assert!(
            script.contains(&format!("nonce=\"{nonce}\"")),
            "a script without the page's nonce: <script{script}>"
        );
    }
    assert_eq!(header(&page.headers, "x-content-type-options"), "nosniff");
    assert_eq!(header(&page.headers, "x-frame-options"), "DENY");
    assert_eq!(header(&page.headers, "referrer-policy"), "same-origin");
    // Plain local http: no HSTS (a browser would refuse http://127.0.0.1 for a year).
    assert!(page.headers.get("strict-transport-security").is_none());

    let again = app.send(Request::get("/login").body(Body::empty()).unwrap()).await;
    let next_nonce = policy_nonce(header(&again.headers, "content-security-policy")).to_owned();
    assert_ne!(nonce, next_nonce, "each render has its own nonce");
}

#[tokio::test]
async fn api_answers_and_probes_run_nothing_and_are_not_sniffed() {
    let db = TestDb::sqlite().await;
    let api = Api::start(&db).await;
    for path in ["/api/admin/sessions", "/api/v1/sessions/current/payload", "/healthz", "/readyz", "/metrics"]
    {
        let answer = get(&api, path).await;
        let policy = header(&answer.headers, "content-security-policy");
        assert_eq!(policy, "default-src 'none'; frame-ancestors 'none'", "{path}");
        assert_eq!(header(&answer.headers, "x-content-type-options"), "nosniff", "{path}");
    }
}

#[tokio::test]
async fn readiness_follows_the_database() {
    let db = TestDb::sqlite().await;
    let api = Api::start(&db).await;
    let ready = get(&api, "/readyz").await;
    assert_eq!((ready.status, ready.body.as_str()), (StatusCode::OK, "ready"));
    api.storage.close().await;
    let lost = get(&api, "/readyz").await;
    assert_eq!(lost.status, StatusCode::SERVICE_UNAVAILABLE, "{}", lost.body);
    assert_eq!(get(&api, "/healthz").await.status, StatusCode::OK, "the process itself still runs");
}

/// The sample value of the line that starts with `series` (name and labels), if the scrape has it.
fn sample(scrape: &str, series: &str) -> Option<f64> {
    scrape.lines().find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
}

#[tokio::test]
async fn the_metrics_scrape_counts_requests_validations_sessions_and_connections() {
    let db = TestDb::sqlite().await;
    let api = Api::start(&db).await;
    let (id, token) = api.create_for("ada@example.com").await;
    let _ = api.create_for("grace@example.com").await;
    for _ in 0..3 {
        assert_eq!(api.validate(&token).await.status, StatusCode::OK);
    }
    assert_eq!(api.admin(Method::DELETE, &format!("/api/admin/sessions/{id}")).await.status, StatusCode::OK);

    let scrape = get(&api, "/metrics").await;
    assert_eq!(scrape.status, StatusCode::OK);
    assert!(header(&scrape.headers, "content-type").starts_with("text/plain"));
    let text = scrape.body;
    // Other tests in this process count too: at least ours.
    let validated =
        sample(&text, r#"roster_http_requests_total{route="/api/v1/sessions/validate",status="200"}"#);
    assert!(validated.is_some_and(|count| count >= 3.0), "{text}");
    // The route's pattern is the label, never the session's id.
    assert!(sample(&text, r#"roster_http_requests_total{route="/api/admin/sessions/{id}",status="200"}"#)
        .is_some_and(|count| count >= 1.0));
    assert!(!text.contains(&id) && !text.contains(&token) && !text.contains(ADMIN_TOKEN));
    assert!(
        sample(&text, "roster_validation_duration_seconds_count").is_some_and(|count| count >= 3.0),
        "{text}"
    );
    assert!(text.contains(r#"roster_validation_duration_seconds_bucket{le="0.001"}"#), "{text}");
    // The second and third validation of the same token came from the cache (SQLite).
    assert!(sample(&text, r#"roster_validation_cache_lookups_total{result="hit"}"#)
        .is_some_and(|count| count >= 2.0));
    // This node's engine, read at the scrape: one of the two sessions is revoked.
    assert_eq!(sample(&text, "roster_active_sessions"), Some(1.0), "{text}");
    assert_eq!(sample(&text, "roster_open_alarms"), Some(0.0));
    assert_eq!(sample(&text, r#"roster_database_connections{state="max"}"#), Some(8.0));
}

#[tokio::test]
async fn a_credential_past_its_rate_is_told_when_to_come_back_and_validations_go_on() {
    use roster::engine::{Rate, RateLimits, RateSettings};
    let db = TestDb::sqlite().await;
    let api = Api::start_configured(&db, |engine| {
        engine.rate_limits = RateLimits::new(RateSettings {
            app_validations: Some(Rate::per_second(1_000)),
            // Per minute: a slow test run never earns a place back between two calls.
            app_calls: Rate::per_minute(2),
            admin_calls: Rate::per_minute(1),
        })
    })
    .await;
    let (_, token) = api.create_for("ada@example.com").await;
    let _ = api.create_for("grace@example.com").await;
    let sessions_before = db.storage.count_active_sessions().await.unwrap();

    let refused = api.create(serde_json::json!({ "userEmail": "linus@example.com" })).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
    assert_eq!(refused.code(), "rate_limited");
    assert_eq!(
        db.storage.count_active_sessions().await.unwrap(),
        sessions_before,
        "a refused create writes nothing"
    );
    let raw = api
        .respond(
            Request::post("/api/v1/sessions")
                .header("authorization", format!("Bearer {}", crate::api_http::APP_KEY))
                .header("content-type", "application/json")
                .body(Body::from(r#"{"guest":true}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(raw.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = header(raw.headers(), "retry-after").parse().unwrap();
    assert!((1..=30).contains(&retry_after), "the next place comes within 30 s: {retry_after}");

    // The key's creates are used up; its users' validations are not.
    for _ in 0..20 {
        assert_eq!(api.validate(&token).await.status, StatusCode::OK);
    }

    assert_eq!(api.admin(Method::GET, "/api/admin/sessions").await.status, StatusCode::OK);
    let admin = api.admin(Method::GET, "/api/admin/sessions").await;
    assert_eq!(admin.status, StatusCode::TOO_MANY_REQUESTS, "{}", admin.body);
    // A caller without a valid credential is refused as before, not counted against the real one.
    let forged = api.call(Method::GET, "/api/admin/sessions", Some("ra_forged"), None, &[]).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
}

/// The contract's endpoints (DESIGN.md), each with its method.
const CONTRACT: [(&str, &str); 14] = [
    ("post", "/api/v1/sessions"),
    ("post", "/api/v1/sessions/validate"),
    ("get", "/api/v1/sessions/current/payload"),
    ("put", "/api/v1/sessions/current/payload"),
    ("delete", "/api/v1/sessions/current"),
    ("get", "/api/v1/sessions/current/siblings"),
    ("delete", "/api/v1/sessions/current/siblings"),
    ("get", "/api/admin/sessions"),
    ("delete", "/api/admin/sessions/{id}"),
    ("delete", "/api/admin/sessions"),
    ("get", "/api/admin/users"),
    ("post", "/api/admin/users/{id}/disable"),
    ("get", "/api/admin/audit"),
    ("get", "/api/admin/alarms"),
];

#[tokio::test]
async fn the_openapi_description_lists_every_routed_endpoint_and_each_is_routed() {
    let db = TestDb::sqlite().await;
    let api = Api::start(&db).await;
    let answer = get(&api, "/api/openapi.json").await;
    assert_eq!(answer.status, StatusCode::OK);
    let description: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert!(description["openapi"].as_str().unwrap().starts_with("3.1"), "{}", description["openapi"]);
    let paths = description["paths"].as_object().unwrap();
    for (method, path) in CONTRACT {
        let operation = &paths.get(path).unwrap_or_else(|| panic!("{path} is not described"))[method];
        assert!(operation.is_object(), "{method} {path} is not described");
        assert!(operation["responses"]
            .as_object()
            .is_some_and(|r| r.keys().any(|status| status.starts_with('2'))));
    }
    assert!(description["components"]["schemas"]["SessionJson"]["properties"]["lastActiveAt"].is_object());
    assert!(description["components"]["securitySchemes"]["app_key"].is_object());

    // Every described operation is routed: asked without a credential, it is refused (401), never unknown.
    let mut operations = 0;
    for (path, item) in paths {
        for method in ["get", "post", "put", "delete"] {
            if !item[method].is_object() {
                continue;
            }
            operations += 1;
            let uri = path.replace("{id}", "1");
            let request =
                Request::builder().method(method.to_uppercase().as_str()).uri(&uri).body(Body::empty());
            let status = api.respond(request.unwrap()).await.status();
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {uri}");
        }
    }
    assert_eq!(operations, CONTRACT.len() + 1, "the contract's endpoints and enable");
    // And the list the hostile-input tests walk is the described one.
    assert_eq!(roster::http::api::paths().len(), paths.len());

    let page = get(&api, "/api/docs").await;
    assert_eq!(page.status, StatusCode::OK);
    for (_, path) in CONTRACT {
        assert!(page.body.contains(path), "{path} missing from /api/docs");
    }
    assert!(!page.body.contains("<script"), "the docs page runs no script");
}

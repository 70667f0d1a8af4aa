//! Every API route (from the API's own route list) and every server function (from the registry the router is
//! built from) is sent malformed and hostile input: broken and deeply nested JSON, wrong types, huge strings and
//! bodies, NUL and invalid UTF-8, `1e309`, negative and huge numbers, SQL and LIKE metacharacters, forged, revoked
//! and other apps' credentials, missing and wrong `Content-Type`. Every answer is below 500, a refusal has the
//! error shape, a bad credential is always refused, and nothing the sweep sent is written.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use secrecy::ExposeSecret;
use serde_json::{json, Value};

use roster::engine::Actor;

use crate::api_http::{Api, ADMIN_TOKEN, APP_KEY};
use crate::console_http::TestApp;
use crate::support::TestDb;

const METHODS: [Method; 5] = [Method::GET, Method::POST, Method::PUT, Method::DELETE, Method::PATCH];

fn nested(depth: usize, open: &str, close: &str) -> String {
    format!("{}{}", open.repeat(depth), close.repeat(depth))
}

/// Bodies no endpoint may accept.
fn malformed_bodies() -> Vec<Vec<u8>> {
    let text = |body: &str| body.as_bytes().to_vec();
    vec![
        text(""),
        text("{"),
        text("[]"),
        text("null"),
        text("\"a string\""),
        text("{\"token\": 1e309, \"ttlSeconds\": 1e309}"),
        text("{\"ttlSeconds\": -1, \"userEmail\": 5, \"guest\": \"yes\"}"),
        text("{\"ttlSeconds\": 18446744073709551616, \"userEmail\": []}"),
        text("{\"ttlSeconds\": -9223372036854775809, \"payload\": \"not an object\"}"),
        text("{\"userEmail\": \"a\\u0000b@example.com\"}"),
        text("{\"userEmail\": \"ada@example.com\", \"userAgent\": \"\\u0000\", \"payload\": 7}"),
        text("{\"token\": \"\\u0000\", \"activity\": \"\\u0000\"}"),
        text("{\"token\": {\"$gt\": \"\"}}"),
        text("{\"payload\": {\"a\": 1}, \"token\": null}"),
        b"{\"userEmail\": \"\xff\xfe@example.com\"}".to_vec(),
        b"\xff\xfe\x00\x00".to_vec(),
        text(&nested(5_000, "[", "]")),
        text(&format!("{{\"payload\": {}}}", nested(5_000, "{\"a\":", "}"))),
        text(&format!("{{\"userEmail\": \"{}@example.com\"}}", "a".repeat(900_000))),
        text(&format!("{{\"token\": \"{}\"}}", "x".repeat(2 * 1024 * 1024))),
    ]
}

/// What a path's `{id}` becomes, and the hostile queries every path is also sent with.
const HOSTILE_IDS: [&str; 6] =
    ["x", "-1", "0", "99999999999999999999999", "%27%20OR%20%271%27%3D%271", "%00"];
const HOSTILE_QUERIES: [&str; 10] = [
    "limit=-5&offset=-1",
    "limit=99999999999999999999&offset=1e309",
    "status=bogus&sort=bogus&dir=sideways",
    "q=%25%5F%5C&app=%25",
    "q=%27%20OR%201%3D1--&status=all",
    "q=%00&after=-1",
    "userId=-1&reason=",
    "userId=abc&tellUser=maybe",
    "userId=9223372036854775807&reason=%00",
    "state=bogus&after=1e309&limit=0",
];

/// Every routed path, once as routed (`{id}` filled) and once per hostile id.
fn api_targets() -> Vec<String> {
    let mut targets = Vec::new();
    for path in roster::http::api::paths() {
        if path.contains("{id}") {
            targets.extend(HOSTILE_IDS.iter().map(|id| path.replace("{id}", id)));
        } else {
            targets.push(path.to_owned());
        }
    }
    targets
}

struct Sent {
    status: StatusCode,
    body: Vec<u8>,
}

async fn send(api: &Api, method: &Method, uri: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Sent {
    let mut request = Request::builder().method(method.clone()).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = api.respond(request.body(Body::from(body)).unwrap()).await;
    let status = response.status();
    let body = response.into_body().collect().await.map(|body| body.to_bytes().to_vec()).unwrap_or_default();
    Sent { status, body }
}

/// Below 500, and a refusal (but a bare 405 or a body refused before parsing) carries the API's error shape.
fn check(what: &str, sent: &Sent) {
    assert!(
        sent.status.as_u16() < 500,
        "{what} answered {}: {}",
        sent.status,
        String::from_utf8_lossy(&sent.body)
    );
    if sent.status.is_client_error() && !sent.body.is_empty() {
        let error: Value = serde_json::from_slice(&sent.body).unwrap_or_else(|_| {
            panic!("{what}: a refusal that is not JSON: {}", String::from_utf8_lossy(&sent.body))
        });
        assert!(
            error["error"]["code"].is_string() && error["error"]["message"].is_string(),
            "{what}: not the error shape: {error}"
        );
    }
}

/// What the sweep must leave as it found it.
async fn snapshot(api: &Api, token: &str) -> (Value, Value, Value) {
    let sessions = api.admin(Method::GET, "/api/admin/sessions?status=all&limit=100").await.body;
    let users = api.admin(Method::GET, "/api/admin/users?limit=100").await.body;
    let payload = api.payload(token).await.body;
    (sessions["total"].clone(), json!([users["total"], users["items"]]), payload)
}

pub async fn every_api_route_refuses_hostile_input_and_writes_nothing(db: &TestDb) {
    // Rates high enough that every request reaches the endpoint's own checks.
    let api = Api::start_configured(db, |engine| {
        engine.rate_limits = roster::engine::RateLimits::new(roster::engine::RateSettings::out_of_reach());
    })
    .await;
    let (_, token) = api.create_for("ada@example.com").await;
    assert_eq!(api.put_payload(&token, json!({ "cart": 3 })).await.status, StatusCode::OK);
    let revoked_key = api
        .engine
        .register_app(
            &app::apps::AppForm { slug: "gone".into(), name: "Gone".into(), max_payload_bytes: 256 },
            Actor::User { id: 1, ip: None },
        )
        .await
        .unwrap()
        .expose_secret()
        .to_string();
    let overview = api.engine.apps_overview().await.unwrap();
    let gone = overview.apps.iter().find(|app| app.slug == "gone").unwrap().keys[0].id;
    api.engine.revoke_app_key(gone, Actor::User { id: 1, ip: None }).await.unwrap();
    let before = snapshot(&api, &token).await;

    let forged_session = format!("rs_{}", "0".repeat(43));
    let long_session = "x".repeat(10_000);
    let (revoked, huge) = (format!("Bearer {revoked_key}"), format!("Bearer {long_session}"));
    let bad_credentials: [(&str, Vec<(&str, &str)>); 6] = [
        ("no credential", vec![]),
        ("a forged key", vec![("authorization", "Bearer rk_forged_0123456789")]),
        ("a revoked key", vec![("authorization", &revoked)]),
        ("a forged admin token", vec![("authorization", "Bearer ra_forged_0123456789")]),
        ("a SQL credential", vec![("authorization", "Bearer ' OR '1'='1")]),
        ("a huge credential", vec![("authorization", &huge)]),
    ];
    let app_key = format!("Bearer {APP_KEY}");
    let admin = format!("Bearer {ADMIN_TOKEN}");
    let good_credentials: [(&str, Vec<(&str, &str)>); 4] = [
        ("the app key", vec![("authorization", &app_key), ("x-session-token", &forged_session)]),
        (
            "the app key, a huge session token",
            vec![("authorization", &app_key), ("x-session-token", &long_session)],
        ),
        (
            "the app key, the session of another app",
            vec![("authorization", "Bearer rk_test_key_for_ledger_0123456789"), ("x-session-token", &token)],
        ),
        ("the admin token", vec![("authorization", &admin)]),
    ];
    let wrong_types = ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1"];
    let bodies = malformed_bodies();

    for target in api_targets() {
        for method in &METHODS {
            for (who, headers) in &bad_credentials {
                let what = format!("{method} {target} with {who}");
                let sent = send(&api, method, &target, headers, b"{\"guest\": true}".to_vec()).await;
                check(&what, &sent);
                assert!(sent.status.is_client_error(), "{what} was not refused: {}", sent.status);
            }
            for (who, credential) in &good_credentials {
                for query in HOSTILE_QUERIES {
                    let uri = format!("{target}?{query}");
                    let sent = send(&api, method, &uri, credential, Vec::new()).await;
                    check(&format!("{method} {uri} with {who}"), &sent);
                }
                if !matches!(*method, Method::POST | Method::PUT | Method::PATCH) {
                    continue;
                }
                // Every body as JSON and without a type; a few under the wrong types.
                for (content_type, body) in
                    bodies.iter().flat_map(|body| [(Some("application/json"), body), (None, body)]).chain(
                        wrong_types
                            .iter()
                            .flat_map(|kind| bodies[..3].iter().map(move |body| (Some(*kind), body))),
                    )
                {
                    let mut headers = credential.clone();
                    if let Some(content_type) = content_type {
                        headers.push(("content-type", content_type));
                    }
                    let what =
                        format!("{method} {target} with {who}, {content_type:?}, a {}-byte body", body.len());
                    let sent = send(&api, method, &target, &headers, body.clone()).await;
                    check(&what, &sent);
                    assert!(sent.status.is_client_error(), "{what} was accepted: {}", sent.status);
                }
            }
        }
    }

    assert_eq!(snapshot(&api, &token).await, before, "the sweep changed sessions, users or the payload");
    assert_eq!(api.validate(&token).await.status, StatusCode::OK);
    let verdict = api.engine.verify_audit(&mut |_| {}).await.unwrap();
    assert!(matches!(verdict, roster::engine::AuditVerdict::Verified { .. }), "{verdict:?}");
}

/// The form bodies server functions are sent (they read `application/x-www-form-urlencoded` or JSON).
fn hostile_forms() -> Vec<(&'static str, Vec<u8>)> {
    let form = "application/x-www-form-urlencoded";
    let json = "application/json";
    vec![
        (form, b"".to_vec()),
        (form, b"%%%".to_vec()),
        (form, b"id=%00&reason=%00&q=%27%20OR%201%3D1--&limit=-1&offset=1e309".to_vec()),
        (form, b"id=x&sort=bogus&status=bogus&page=-5&role=emperor&max_payload_bytes=1e309".to_vec()),
        (form, b"email=a%FFb&password=%00&name=%25%5F%5C".to_vec()),
        (form, b"\xff\xfe\x00".to_vec()),
        (form, format!("q={}", "a".repeat(900_000)).into_bytes()),
        (form, format!("{}=1", "a[b]".repeat(2_000)).into_bytes()),
        (json, nested(5_000, "[", "]").into_bytes()),
        (json, b"{\"id\": 1e309, \"limit\": -1}".to_vec()),
        ("text/plain", b"{".to_vec()),
    ]
}

#[tokio::test]
async fn every_server_function_answers_hostile_input_below_500() {
    let app = TestApp::start().await;
    let owner = app.signed_in_cookie("owner@example.com").await;
    let paths: Vec<(&str, Method)> = leptos::server_fn::axum::server_fn_paths().collect();
    assert!(paths.len() >= 20, "the registry lists the console's server functions: {paths:?}");
    for (path, method) in paths {
        for cookie in [None, Some(owner.as_str()), Some("roster_session=forged")] {
            for (content_type, body) in hostile_forms() {
                let mut request = Request::builder()
                    .method(method.clone())
                    .uri(path)
                    .header(header::CONTENT_TYPE, content_type);
                if let Some(cookie) = cookie {
                    request = request.header(header::COOKIE, cookie);
                }
                let reply = app.send(request.body(Body::from(body.clone())).unwrap()).await;
                assert!(
                    reply.status.as_u16() < 500,
                    "{method} {path} ({content_type}, {} bytes, cookie {cookie:?}) answered {}: {}",
                    body.len(),
                    reply.status,
                    reply.body.chars().take(300).collect::<String>()
                );
            }
        }
        // From another site: refused before the function runs.
        let cross_site = Request::builder()
            .method(method.clone())
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, owner.as_str())
            .header("origin", "https://attacker.example")
            .body(Body::from("id=1"))
            .unwrap();
        let refused = app.send(cross_site).await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "{method} {path} from another site: {}",
            refused.body
        );
    }
}

mod arbitrary {
    use proptest::collection::{btree_map, vec};
    use proptest::prelude::*;
    use serde_json::{Map, Value};

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_filter("JSON has no NaN or infinity", |x| x.is_finite()).prop_map(Value::from),
            ".{0,40}".prop_map(Value::String),
            "[a-z]{1,8}@[a-z]{1,8}\\.[a-z]{2,3}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 24, 5, |inner| {
            prop_oneof![
                vec(inner.clone(), 0..4).prop_map(Value::Array),
                btree_map(".{0,6}", inner, 0..4).prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    /// A request object: the request type's own field names (and others) with any JSON as their values.
    pub fn body(fields: &'static [&'static str]) -> impl Strategy<Value = Value> {
        let name = prop_oneof![4 => proptest::sample::select(fields).prop_map(str::to_owned), 1 => ".{0,8}"];
        btree_map(name, json(), 0..6).prop_map(|map| Value::Object(map.into_iter().collect::<Map<_, _>>()))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arbitrary_create_and_validate_bodies_never_get_a_5xx() {
    use proptest::test_runner::{Config, TestRunner};
    const CREATE: &[&str] = &[
        "userEmail",
        "userExternalId",
        "userName",
        "guest",
        "ip",
        "userAgent",
        "payload",
        "ttlSeconds",
        "durable",
        "rememberMe",
    ];
    const VALIDATE: &[&str] = &["token", "activity"];
    let db = TestDb::sqlite().await;
    let api = Api::start_configured(&db, |engine| {
        engine.rate_limits = roster::engine::RateLimits::new(roster::engine::RateSettings::out_of_reach());
    })
    .await;
    let runtime = tokio::runtime::Handle::current();
    let mut runner = TestRunner::new(Config { cases: 300, failure_persistence: None, ..Config::default() });
    let strategy = (arbitrary::body(CREATE), arbitrary::body(VALIDATE));
    let outcome = tokio::task::block_in_place(|| {
        runner.run(&strategy, |(create, validate)| {
            runtime.block_on(async {
                let created = api.create(create.clone()).await;
                let what = format!("create {create}");
                check(&what, &Sent { status: created.status, body: created.body.to_string().into_bytes() });
                if created.status == StatusCode::CREATED {
                    // Whatever was accepted is a working session.
                    let token = created.body["token"].as_str().unwrap_or_default().to_owned();
                    assert_eq!(api.validate(&token).await.status, StatusCode::OK, "{what}");
                }
                let validated = api
                    .call(
                        Method::POST,
                        "/api/v1/sessions/validate",
                        Some(APP_KEY),
                        Some(validate.to_string()),
                        &[],
                    )
                    .await;
                check(
                    &format!("validate {validate}"),
                    &Sent { status: validated.status, body: validated.body.to_string().into_bytes() },
                );
            });
            Ok(())
        })
    });
    outcome.unwrap();
}

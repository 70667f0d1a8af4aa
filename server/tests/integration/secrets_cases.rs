//! Secrets never leak: a `roster serve` logging at `RUST_LOG=trace` is driven through the main flows (an app's
//! create, validate, payload and sign-out, the admin API, a console sign-in and its pages), then its log, every
//! answer (but the one each secret is handed over in), the rendered pages and the database files are searched
//! for every session token, API key, admin token, password, console cookie and payload plaintext.

use std::path::Path;
use std::time::Duration;

use serde_json::json;

use crate::child_server::{run, word_starting, ChildServer};

const PASSWORD: &str = "canary password 4f1d2b";
const PLAINTEXT: &str = "canary-plaintext-7b3e0c";
const REWRITTEN: &str = "canary-rewritten-91a6fd";

struct Seen {
    what: String,
    text: String,
}

async fn answer(seen: &mut Vec<Seen>, what: &str, request: reqwest::RequestBuilder) -> (u16, String) {
    let response = request.send().await.unwrap_or_else(|error| panic!("{what}: {error}"));
    let status = response.status().as_u16();
    let headers = format!("{:?}", response.headers());
    let body = response.text().await.unwrap();
    seen.push(Seen { what: what.to_owned(), text: format!("{headers}\n{body}") });
    (status, body)
}

fn files_under(folder: &Path) -> Vec<(String, Vec<u8>)> {
    std::fs::read_dir(folder)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_file())
        .map(|entry| (entry.path().display().to_string(), std::fs::read(entry.path()).unwrap()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_the_log_the_pages_the_answers_or_the_database() {
    let data = tempfile::tempdir().unwrap();
    let logs = tempfile::tempdir().unwrap();
    run(data.path(), &["create-owner", "--email", "owner@example.com", "--password-stdin"], Some(PASSWORD));
    let key = word_starting(
        &run(data.path(), &["apps", "create", "--id", "canary", "--name", "Canary"], None),
        "rk_",
    );
    let admin =
        word_starting(&run(data.path(), &["admin-tokens", "create", "--name", "canary"], None), "ra_");
    let log = logs.path().join("serve.log");
    let mut server = ChildServer::start(data.path(), &log, &[("RUST_LOG", "trace")]).await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let url = |path: &str| format!("{}{path}", server.base);
    let json_body = |value: serde_json::Value| value.to_string();
    let mut seen = Vec::new();

    // Handed over by design: the token in the create answer, the payload to its holder, the cookie at sign-in.
    let created = http
        .post(url("/api/v1/sessions"))
        .bearer_auth(&key)
        .header("content-type", "application/json")
        .body(json_body(
            json!({ "userEmail": "ada@example.com", "ip": "203.0.113.9", "payload": { "note": PLAINTEXT } }),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let created: serde_json::Value = created.json_value().await;
    let (id, token) =
        (created["id"].as_str().unwrap().to_owned(), created["token"].as_str().unwrap().to_owned());
    let holder =
        |request: reqwest::RequestBuilder| request.bearer_auth(&key).header("x-session-token", &token);

    let validate = http
        .post(url("/api/v1/sessions/validate"))
        .bearer_auth(&key)
        .header("content-type", "application/json");
    let (status, _) =
        answer(&mut seen, "validate", validate.body(json_body(json!({ "token": token })))).await;
    assert_eq!(status, 200);
    let rewrite =
        holder(http.put(url("/api/v1/sessions/current/payload"))).header("content-type", "application/json");
    let (status, _) = answer(
        &mut seen,
        "payload write",
        rewrite.body(json_body(json!({ "payload": { "note": REWRITTEN } }))),
    )
    .await;
    assert_eq!(status, 200);
    let read =
        holder(http.get(url("/api/v1/sessions/current/payload"))).send().await.unwrap().text().await.unwrap();
    assert!(read.contains(REWRITTEN), "the holder reads its payload: {read}");
    answer(&mut seen, "siblings", holder(http.get(url("/api/v1/sessions/current/siblings")))).await;
    for path in [
        "/api/admin/sessions?status=all",
        "/api/admin/users",
        "/api/admin/audit?limit=1000",
        "/api/admin/alarms",
    ] {
        let (status, _) = answer(&mut seen, path, http.get(url(path)).bearer_auth(&admin)).await;
        assert_eq!(status, 200, "{path}");
    }

    let sign_in = http
        .post(url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("email=owner%40example.com&password={}", PASSWORD.replace(' ', "+")))
        .send()
        .await
        .unwrap();
    assert_eq!(sign_in.status(), 200);
    let cookie = sign_in.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let cookie_value = cookie.split_once('=').unwrap().1.to_owned();
    let pages = [
        "/sessions",
        "/sessions?q=ada%40example.com",
        "/sessions/history",
        "/my/sessions",
        "/users",
        "/apps",
    ];
    for path in pages.into_iter().chain(["/audit", "/alarms", "/analytics", "/settings"]) {
        let (status, _) = answer(&mut seen, path, http.get(url(path)).header("cookie", &cookie)).await;
        assert_eq!(status, 200, "{path}");
    }
    let revoke = http.delete(url(&format!("/api/admin/sessions/{id}"))).bearer_auth(&admin);
    assert_eq!(answer(&mut seen, "revoke", revoke).await.0, 200);
    let refused = http
        .post(url("/api/v1/sessions/validate"))
        .bearer_auth(&key)
        .header("content-type", "application/json");
    assert_eq!(
        answer(&mut seen, "validate after revoke", refused.body(json_body(json!({ "token": token }))))
            .await
            .0,
        401
    );
    // Counters and activity reach the database on their next flush.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    server.kill();

    let secrets = [
        ("the session token", token.as_str()),
        ("the app's API key", key.as_str()),
        ("the admin token", admin.as_str()),
        ("the owner's password", PASSWORD),
        ("the console cookie", cookie_value.as_str()),
        ("the payload", PLAINTEXT),
        ("the rewritten payload", REWRITTEN),
    ];
    let log_text = server.log();
    assert!(log_text.contains("TRACE"), "the server logged at trace level");
    let mut places: Vec<(String, Vec<u8>)> = vec![("the trace log".into(), log_text.into_bytes())];
    places.extend(
        seen.into_iter().map(|seen| (format!("the answer to {}", seen.what), seen.text.into_bytes())),
    );
    places.extend(files_under(data.path()).into_iter().filter(|(name, _)| name.contains("roster.db")));
    assert!(places.iter().any(|(name, _)| name.ends_with("roster.db")), "the database file was searched");
    let mut leaks = Vec::new();
    for (place, bytes) in &places {
        for (secret, value) in secrets {
            if bytes.windows(value.len()).any(|window| window == value.as_bytes()) {
                leaks.push(format!("{secret} in {place}"));
            }
        }
    }
    assert!(leaks.is_empty(), "secrets found: {leaks:#?}");
}

trait JsonValue {
    async fn json_value(self) -> serde_json::Value;
}

impl JsonValue for reqwest::Response {
    async fn json_value(self) -> serde_json::Value {
        serde_json::from_str(&self.text().await.unwrap()).unwrap()
    }
}

//! A `roster serve` on SQLite under 4 writers (creates, payload writes, revokes) is killed with SIGKILL mid-load
//! and started again: every acknowledged write is there, the database file is sound and the audit chain verifies.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use crate::child_server::{run, word_starting, ChildServer};

/// One session as the writers knew it when the server died: what was acknowledged and what was in flight.
#[derive(Default, Clone)]
struct Known {
    token: String,
    payload_acknowledged: Option<u64>,
    payload_in_flight: Option<u64>,
    revoke_sent: bool,
    revoke_acknowledged: bool,
}

type Ledger = Arc<Mutex<HashMap<String, Known>>>;

struct Client {
    http: reqwest::Client,
    base: String,
    key: String,
    admin: String,
}

impl Client {
    /// The status and body, or None when the server is gone.
    async fn send(&self, request: reqwest::RequestBuilder) -> Option<(u16, Value)> {
        let response = request.timeout(Duration::from_secs(10)).send().await.ok()?;
        let status = response.status().as_u16();
        let body = response.text().await.ok()?;
        Some((status, serde_json::from_str(&body).unwrap_or(Value::Null)))
    }

    fn app(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, format!("{}{path}", self.base)).bearer_auth(&self.key)
    }
}

/// Writes until the server stops answering.
async fn writer(client: Arc<Client>, ledger: Ledger, worker: usize) {
    let mut mine: Vec<String> = Vec::new();
    for step in 0u64.. {
        match step % 4 {
            0 | 1 => {
                let body = json!({ "userEmail": format!("w{worker}-{step}@example.com") }).to_string();
                let request = client
                    .app(reqwest::Method::POST, "/api/v1/sessions")
                    .header("content-type", "application/json");
                let Some((status, answer)) = client.send(request.body(body)).await else { return };
                assert_eq!(status, 201, "{answer}");
                let id = answer["id"].as_str().unwrap().to_owned();
                let token = answer["token"].as_str().unwrap().to_owned();
                ledger.lock().unwrap().insert(id.clone(), Known { token, ..Known::default() });
                mine.push(id);
            }
            2 => {
                let Some(id) = mine.last().cloned() else { continue };
                let token = {
                    let mut ledger = ledger.lock().unwrap();
                    let known = ledger.get_mut(&id).unwrap();
                    known.payload_in_flight = Some(step);
                    known.token.clone()
                };
                let request = client
                    .app(reqwest::Method::PUT, "/api/v1/sessions/current/payload")
                    .header("x-session-token", token)
                    .header("content-type", "application/json")
                    .body(json!({ "payload": { "step": step } }).to_string());
                let Some((status, answer)) = client.send(request).await else { return };
                assert_eq!(status, 200, "{answer}");
                let mut ledger = ledger.lock().unwrap();
                let known = ledger.get_mut(&id).unwrap();
                (known.payload_acknowledged, known.payload_in_flight) = (Some(step), None);
            }
            _ => {
                // The oldest of this writer's sessions still open, if it has three or more.
                if mine.len() < 3 {
                    continue;
                }
                let id = mine.remove(0);
                ledger.lock().unwrap().get_mut(&id).unwrap().revoke_sent = true;
                let request = client
                    .http
                    .delete(format!("{}/api/admin/sessions/{id}", client.base))
                    .bearer_auth(&client.admin);
                let Some((status, answer)) = client.send(request).await else { return };
                assert_eq!(status, 200, "{answer}");
                ledger.lock().unwrap().get_mut(&id).unwrap().revoke_acknowledged = true;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_a_kill_9_and_the_files_stay_sound() {
    let data = tempfile::tempdir().unwrap();
    let logs = tempfile::tempdir().unwrap();
    let key = word_starting(
        &run(data.path(), &["apps", "create", "--id", "crash", "--name", "Crash"], None),
        "rk_",
    );
    let admin = word_starting(&run(data.path(), &["admin-tokens", "create", "--name", "crash"], None), "ra_");
    let log = logs.path().join("serve.log");
    // The writers send far more than a key's or a token's default rate: what is under test is the crash, not 429.
    let rates = [("ROSTER_APP_CALLS_PER_SECOND", "1000000"), ("ROSTER_ADMIN_CALLS_PER_SECOND", "1000000")];
    let mut server = ChildServer::start(data.path(), &log, &rates).await;
    let client = Arc::new(Client { http: reqwest::Client::new(), base: server.base.clone(), key, admin });
    let ledger: Ledger = Arc::default();
    let writers: Vec<_> =
        (0..4).map(|worker| tokio::spawn(writer(client.clone(), ledger.clone(), worker))).collect();
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    server.kill();
    for writer in writers {
        writer.await.expect("a writer stops cleanly when the server is gone");
    }
    let known = ledger.lock().unwrap().clone();
    let revoked = known.values().filter(|k| k.revoke_acknowledged).count();
    let written = known.values().filter(|k| k.payload_acknowledged.is_some()).count();
    assert!(known.len() >= 20 && revoked > 0 && written > 0, "the load ran: {} sessions", known.len());

    let server = ChildServer::start(data.path(), &log, &rates).await;
    let client = Client { base: server.base.clone(), ..Arc::try_unwrap(client).ok().unwrap() };
    for (id, session) in &known {
        let validate = client
            .app(reqwest::Method::POST, "/api/v1/sessions/validate")
            .header("content-type", "application/json")
            .body(json!({ "token": session.token }).to_string());
        let (status, answer) = client.send(validate).await.unwrap();
        if session.revoke_acknowledged {
            assert_eq!(status, 401, "{id}: revoked before the crash, accepted after it: {answer}");
            continue;
        }
        if session.revoke_sent {
            continue;
        }
        assert_eq!(status, 200, "{id}: created before the crash, refused after it: {answer}");
        let read = client
            .app(reqwest::Method::GET, "/api/v1/sessions/current/payload")
            .header("x-session-token", &session.token);
        let (_, answer) = client.send(read).await.unwrap();
        let step = answer["payload"]["step"].as_u64();
        let expected = [session.payload_acknowledged, session.payload_in_flight];
        assert!(
            step == session.payload_acknowledged || (step.is_some() && step == session.payload_in_flight),
            "{id}: payload {step:?} after the crash, acknowledged/in flight {expected:?}"
        );
    }
    drop(server);
    eprintln!(
        "{} sessions, {written} payload writes and {revoked} revokes acknowledged before SIGKILL",
        known.len()
    );

    let url = roster::data_folder::sqlite_database(data.path()).unwrap();
    let mut connection = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url).await.unwrap();
    let integrity: String =
        sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut connection).await.unwrap();
    assert_eq!(integrity, "ok");
    let verified = run(data.path(), &["audit", "verify"], None);
    assert!(verified.contains("intact"), "{verified}");
}

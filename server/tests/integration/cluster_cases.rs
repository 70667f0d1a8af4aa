//! Two nodes on one PostgreSQL database, each with its own connections, caches and event bus, as two
//! `roster serve` processes behind a load balancer: what one does, the other knows at its next request.

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::live::Topic;
use axum::http::{Method, StatusCode};
use serde_json::json;
use sqlx::Executor;
use tokio::sync::broadcast::error::TryRecvError;

use roster::engine::{Audience, Event};
use roster::storage::LISTENER_APPLICATION_NAME;

use crate::api_http::Api;
use crate::support::TestDb;

/// A console follows a change on another node within this (the promise is 1 s).
const WITHIN: Duration = Duration::from_secs(1);

async fn next_topic(receiver: &mut tokio::sync::broadcast::Receiver<Event>, within: Duration) -> Topic {
    tokio::time::timeout(within, receiver.recv())
        .await
        .expect("an event arrives in time")
        .expect("the bus is open")
        .topic
}

/// Both nodes relaying, and a moment for their listeners to connect.
async fn two_relaying_nodes(db: &TestDb) -> (Api, Api) {
    let a = Api::start(db).await;
    let b = Api::another_node(db).await;
    a.engine.spawn_event_relay();
    b.engine.spawn_event_relay();
    wait_for_listeners(db, 2).await;
    (a, b)
}

async fn listening_connections(db: &TestDb) -> i64 {
    let pool = db.raw_pool().await;
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1",
    )
    .bind(LISTENER_APPLICATION_NAME)
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    count
}

async fn wait_for_listeners(db: &TestDb, count: i64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while listening_connections(db).await < count {
        assert!(Instant::now() < deadline, "{count} nodes listen within 10 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn a_change_on_one_node_reaches_the_others_consoles_once(db: &TestDb) {
    let (a, b) = two_relaying_nodes(db).await;
    let mut on_a = a.engine.events.subscribe();
    let mut on_b = b.engine.events.subscribe();

    let (id, _token) = a.create_for("ann@example.com").await;
    let started = Instant::now();
    assert_eq!(next_topic(&mut on_b, WITHIN).await, Topic::Sessions);
    let latency = started.elapsed();
    assert_eq!(next_topic(&mut on_a, WITHIN).await, Topic::Sessions);

    let revoked = a.admin(Method::DELETE, &format!("/api/admin/sessions/{id}")).await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert_eq!(next_topic(&mut on_b, WITHIN).await, Topic::Sessions);
    assert_eq!(next_topic(&mut on_a, WITHIN).await, Topic::Sessions);

    // A node does not hear its own events a second time through the database.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(matches!(on_a.try_recv(), Err(TryRecvError::Empty)), "node A heard its own event twice");
    assert!(matches!(on_b.try_recv(), Err(TryRecvError::Empty)), "node B heard one change twice");
    eprintln!("a change on node A reached node B's bus in {latency:?}");
}

pub async fn a_burst_of_changes_reaches_the_other_node_as_a_few_events(db: &TestDb) {
    let (a, b) = two_relaying_nodes(db).await;
    let mut on_b = b.engine.events.subscribe();
    for user in 0..200 {
        a.engine.events.publish(Event::sessions(Audience::Users(vec![user])));
    }
    assert_eq!(next_topic(&mut on_b, WITHIN).await, Topic::Sessions);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut heard = 1;
    while on_b.try_recv().is_ok() {
        heard += 1;
    }
    assert!(heard <= 5, "200 changes in a burst arrived as {heard} events, not coalesced");
}

/// `roster users disable` run from a shell on another machine: its process has an engine of its own with no
/// console and no relay, yet the consoles open on the serving node follow the change.
pub async fn a_command_run_from_the_shell_reaches_the_nodes_consoles(db: &TestDb) {
    let serving = Api::start(db).await;
    serving.engine.spawn_event_relay();
    wait_for_listeners(db, 1).await;
    let (_id, _token) = serving.create_for("sam@example.com").await;
    let mut on_serving = serving.engine.events.subscribe();

    let shell = Api::another_node(db).await;
    let recorded = shell.engine.record_shell_events();
    let ended =
        roster::operator::disable_user(&shell.engine, "sam@example.com", "Left the company").await.unwrap();
    assert_eq!(ended, 1);
    shell.engine.send_shell_events(recorded).await;

    let mut heard =
        vec![next_topic(&mut on_serving, WITHIN).await, next_topic(&mut on_serving, WITHIN).await];
    heard.sort_by_key(|topic| topic.as_str());
    assert_eq!(
        heard,
        vec![Topic::Sessions, Topic::Users],
        "the serving node's consoles hear what the shell changed"
    );
}

pub async fn a_node_that_lost_its_listener_tells_its_consoles_to_fetch_everything(db: &TestDb) {
    let (a, b) = two_relaying_nodes(db).await;
    let mut on_b = b.engine.events.subscribe();
    let pool = db.raw_pool().await;
    pool.execute(sqlx::AssertSqlSafe(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = '{LISTENER_APPLICATION_NAME}'"
    )))
    .await
    .unwrap();
    pool.close().await;
    // Each node reconnects and tells its consoles they may have missed something.
    assert_eq!(next_topic(&mut on_b, Duration::from_secs(5)).await, Topic::Resync);
    wait_for_listeners(db, 2).await;
    a.engine.events.publish(Event::users(7));
    assert_eq!(next_topic(&mut on_b, WITHIN).await, Topic::Users);
}

/// 200 sessions, each created on one node and used on the other: every answer agrees, and a revoke on one
/// node is refused on the other at its very next request.
pub async fn two_nodes_agree_on_every_session(db: &TestDb) {
    let a = Api::start(db).await;
    let b = Api::another_node(db).await;
    let mut stale_accepts = 0;
    for n in 0..200 {
        let (first, second) = if n % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let (id, token) = first.create_for(&format!("user{}@example.com", n % 20)).await;
        assert_eq!(
            second.validate(&token).await.status,
            StatusCode::OK,
            "session {n} validates on the other node"
        );
        let note = format!("note {n}");
        let written = first.put_payload(&token, json!({ "note": note })).await;
        assert_eq!(written.status, StatusCode::OK, "{}", written.body);
        let read = second.payload(&token).await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        assert_eq!(read.body["payload"]["note"], note, "the other node reads the payload just written");
        let revoked = first.admin(Method::DELETE, &format!("/api/admin/sessions/{id}")).await;
        assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
        let after = second.validate(&token).await;
        if after.status == StatusCode::OK {
            stale_accepts += 1;
        } else {
            assert_eq!(after.code(), "session_revoked");
        }
    }
    assert_eq!(stale_accepts, 0, "validations accepted on node B after node A's revoke returned");
}

/// What each validation saw, and when it started.
struct Validation {
    token: usize,
    started: Instant,
    status: StatusCode,
}

/// Eight validators on node B while node A revokes the sessions one by one: no validation that started after
/// its session's revoke returned is accepted, and nothing answers 5xx.
pub async fn validations_on_one_node_race_revocations_on_the_other(db: &TestDb) {
    const SESSIONS: usize = 60;
    let a = Api::start(db).await;
    let b = Arc::new(Api::another_node(db).await);
    let mut tokens = Vec::new();
    for n in 0..SESSIONS {
        tokens.push(a.create_for(&format!("racer{}@example.com", n % 6)).await);
    }
    let tokens = Arc::new(tokens);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let validators: Vec<_> = (0..8)
        .map(|worker| {
            let (b, tokens, stop) = (b.clone(), tokens.clone(), stop.clone());
            tokio::spawn(async move {
                let mut seen = Vec::new();
                let mut n = worker;
                while !stop.load(std::sync::atomic::Ordering::Acquire) {
                    let token = n % SESSIONS;
                    let started = Instant::now();
                    let status = b.validate(&tokens[token].1).await.status;
                    seen.push(Validation { token, started, status });
                    n += 7;
                }
                seen
            })
        })
        .collect();
    let mut revoke_returned = Vec::new();
    for (id, _) in tokens.iter() {
        let revoked = a.admin(Method::DELETE, &format!("/api/admin/sessions/{id}")).await;
        assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
        revoke_returned.push(Instant::now());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.store(true, std::sync::atomic::Ordering::Release);
    let mut validations = Vec::new();
    for validator in validators {
        validations.extend(validator.await.unwrap());
    }
    let server_errors = validations.iter().filter(|v| v.status.is_server_error()).count();
    let stale = validations
        .iter()
        .filter(|v| v.status == StatusCode::OK && v.started > revoke_returned[v.token])
        .count();
    let after_revoke = validations.iter().filter(|v| v.started > revoke_returned[v.token]).count();
    eprintln!(
        "{} validations on node B, {after_revoke} of them after their revoke on node A returned: {stale} accepted, \
         {server_errors} 5xx",
        validations.len()
    );
    assert!(after_revoke > 0, "some validations ran after their revoke, or the race proved nothing");
    assert_eq!(stale, 0, "validations accepted on node B after node A's revoke returned");
    assert_eq!(server_errors, 0, "no validation answers 5xx");
}

/// `roster keys rotate` on node A: node B seals its next payload with the new key, and node A reads it.
pub async fn a_key_rotated_on_one_node_seals_the_other_nodes_next_payload(db: &TestDb) {
    use base64::Engine as _;
    use roster::payload_keys::{FirstKeys, MasterKey, PayloadKeys};
    let master =
        || MasterKey::configured(&base64::engine::general_purpose::STANDARD.encode([8u8; 32])).unwrap();
    let keys_a = PayloadKeys::load(&db.storage, master(), FirstKeys::Fresh, 0).await.unwrap();
    let a = Api::start_with_keys(db, Some(keys_a.clone())).await;
    let storage_b = roster::storage::Storage::connect(&db.url).await.unwrap();
    let keys_b = PayloadKeys::load(&storage_b, master(), FirstKeys::Fresh, 0).await.unwrap();
    let b = Api::another_node_with_keys(db, Some(keys_b.clone())).await;

    let (_, before) = b.create_for("rotating@example.com").await;
    assert_eq!(b.put_payload(&before, json!({ "v": 1 })).await.status, StatusCode::OK);
    assert_eq!(roster::operator::rotate_keys(&a.engine).await.unwrap(), 2);
    let (id, token) = b.create_for("rotating@example.com").await;
    let written = b.put_payload(&token, json!({ "v": 2 })).await;
    assert_eq!(written.status, StatusCode::OK, "{}", written.body);
    let raw = db.raw_pool().await;
    let (key_id,): (i64,) = sqlx::query_as("SELECT payload_key_id FROM sessions WHERE id = $1")
        .bind(&id)
        .fetch_one(&raw)
        .await
        .unwrap();
    raw.close().await;
    assert_eq!(key_id, 2, "node B sealed its next payload with the key node A made");
    assert_eq!(a.payload(&token).await.body["payload"], json!({ "v": 2 }), "node A reads it");
    assert_eq!(a.payload(&before).await.body["payload"], json!({ "v": 1 }), "the old key still opens");
    assert_eq!(b.payload(&before).await.body["payload"], json!({ "v": 1 }));
}

/// The expiry sweep and the hourly rollup run on one node at a time; when that node goes, another takes over.
pub async fn once_only_work_has_one_leader_and_another_takes_over(db: &TestDb) {
    let second = roster::storage::Storage::connect(&db.url).await.unwrap();
    let (a, b) = (db.storage.leadership(), second.leadership());
    assert!(a.leads().await, "the first node to ask leads");
    assert!(a.leads().await, "and keeps leading");
    assert!(!b.leads().await, "a second node does not lead at the same time");
    a.step_down().await;
    assert!(b.leads().await, "another node takes over once the leader goes");
    assert!(!a.leads().await, "the old leader does not lead beside it");

    // A leader whose connection is cut loses the lock with it; the next tick finds another leader.
    let raw = db.raw_pool().await;
    sqlx::query(
        "SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d ON d.oid = l.database \
         WHERE d.datname = current_database() AND l.locktype = 'advisory' AND l.granted",
    )
    .execute(&raw)
    .await
    .unwrap();
    raw.close().await;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let leaders = [a.leads().await, b.leads().await].iter().filter(|leads| **leads).count();
        if leaders == 1 {
            break;
        }
        assert!(
            leaders == 0 && Instant::now() < deadline,
            "{leaders} leaders after the leader's connection was cut"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    second.close().await;
}

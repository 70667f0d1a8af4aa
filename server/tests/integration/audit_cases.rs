//! The audit log, written once and run on SQLite and PostgreSQL: sign-ins, failures and sign-outs recorded (the
//! typed email, never the password); the page's search, action filter and pages; the SIEM feed; signed
//! checkpoints catching a deleted tail; and two nodes appending at once without forking the chain.

use axum::http::{Method, StatusCode};
use serde_json::Value;

use app::audit_log::{AuditLogPage, AuditLogQuery};
use app::backend::AuditLogBackend;
use app::model::Role;
use roster::audit_checkpoints::AuditCheckpoints;
use roster::console::Console;
use roster::engine::{AuditVerdict, SignInRefusal};
use roster::operator::{create_user, NewAccount};
use roster::secrets::Secret;
use roster::storage::{AuditEvent, Storage};

use crate::api_http::{Api, APP_KEY};
use crate::support::{TestDb, START_MS};

const PASSWORD: &str = "correct horse battery staple";

async fn page(api: &Api, query: AuditLogQuery) -> AuditLogPage {
    Console::new(api.engine.clone()).audit_page(&query).await.unwrap()
}

fn actions(page: &AuditLogPage) -> Vec<&str> {
    page.rows.iter().map(|row| row.action.as_str()).collect()
}

pub async fn sign_ins_failures_and_sign_outs_are_recorded_and_searchable(db: &TestDb) {
    let api = Api::start(db).await;
    let account = NewAccount {
        email: "ada@example.com",
        name: Some("Ada"),
        role: Role::Admin,
        password: Some(Secret::from(PASSWORD)),
    };
    let ada = create_user(&db.storage, account).await.unwrap();
    let wrong = Secret::from("a wrong password typed");
    let refused = api.engine.check_console_password("ada@example.com", &wrong, Some("198.51.100.4")).await;
    assert!(matches!(refused, Ok(Err(SignInRefusal::InvalidCredentials))), "{refused:?}");
    let right = Secret::from(PASSWORD);
    assert!(api
        .engine
        .check_console_password("ADA@example.com", &right, Some("198.51.100.4"))
        .await
        .unwrap()
        .is_ok());
    let (_, token) = api.create_for("bob@example.com").await;
    let out = api
        .call(Method::DELETE, "/api/v1/sessions/current", Some(APP_KEY), None, &[("x-session-token", &token)])
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);

    let newest = page(&api, AuditLogQuery::default()).await;
    // Bob's first session registers him: "user.created" comes with it.
    assert_eq!(
        &actions(&newest)[..5],
        ["session.signed_out", "session.created", "user.created", "sign_in", "sign_in.failed"]
    );
    assert_eq!(newest.total, newest.rows.len() as i64, "the total is the chain's length");
    let failed = &newest.rows[4];
    assert_eq!((failed.actor.as_str(), failed.ip.as_deref()), ("ada@example.com", Some("198.51.100.4")));
    let signed_in = &newest.rows[3];
    assert_eq!(signed_in.actor, "ada@example.com", "user:{} is shown by email", ada.id);
    let raw = db.raw_pool().await;
    let (stored,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE words LIKE '%wrong password%' OR reason LIKE '%wrong password%'")
            .fetch_one(&raw)
            .await
            .unwrap();
    assert_eq!(stored, 0, "the typed password is never recorded");

    // By email: what Ada did (her actor is user:N) and the failed attempt with her email.
    let by_email = page(&api, AuditLogQuery { q: "ada@example".into(), ..Default::default() }).await;
    let found = actions(&by_email);
    assert!(found.starts_with(&["sign_in", "sign_in.failed"]), "{found:?}");
    assert!(
        by_email.rows.iter().all(|row| !row.actor.contains("bob") && !row.actor.starts_with("app")),
        "{found:?}"
    );
    let failures =
        page(&api, AuditLogQuery { action: Some("sign_in.failed".into()), ..Default::default() }).await;
    assert_eq!((failures.total, actions(&failures)), (1, vec!["sign_in.failed"]));
    let none = page(&api, AuditLogQuery { q: "%_'\"; --".into(), ..Default::default() }).await;
    assert_eq!(none.total, 0, "LIKE and SQL metacharacters are plain text");
    let short = page(&api, AuditLogQuery { q: "ad".into(), ..Default::default() }).await;
    assert_eq!(short.total, newest.total, "a search shorter than the index answers is not run");
    let second = page(&api, AuditLogQuery { size: 25, page: 2, ..Default::default() }).await;
    assert!(second.rows.is_empty() || second.rows[0].seq < newest.rows.last().unwrap().seq);
}

pub async fn the_siem_feed_follows_the_chain_in_order(db: &TestDb) {
    let api = Api::start(db).await;
    for n in 0..5 {
        api.create_for(&format!("user{n}@example.com")).await;
    }
    let first = api.admin(Method::GET, "/api/admin/audit?limit=3").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let items = first.body["items"].as_array().unwrap();
    let seqs: Vec<i64> = items.iter().map(|item| item["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, [1, 2, 3]);
    assert_eq!(first.body["next"], 3);
    assert_eq!(items[1]["prevHash"], items[0]["hash"], "each record names the one before");
    assert_eq!(items[0]["prevHash"].as_str().unwrap(), "0".repeat(64));
    let rest = api.admin(Method::GET, "/api/admin/audit?after=3&limit=1000").await;
    let last = rest.body["items"].as_array().unwrap().last().cloned().unwrap_or(Value::Null);
    let after_last = format!("/api/admin/audit?after={}", last["seq"]);
    let empty = api.admin(Method::GET, &after_last).await;
    assert_eq!((empty.body["items"].as_array().unwrap().len(), &empty.body["next"]), (0, &last["seq"]));
    for bad in ["?after=-1", "?limit=0", "?limit=100000", "?after=abc", "?cursor=1"] {
        let reply = api.admin(Method::GET, &format!("/api/admin/audit{bad}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}: {}", reply.body);
    }
    let anonymous = api.call(Method::GET, "/api/admin/audit", None, None, &[]).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let app_key = api.call(Method::GET, "/api/admin/audit", Some(APP_KEY), None, &[]).await;
    assert_eq!(app_key.status, StatusCode::UNAUTHORIZED);
}

fn event(n: usize) -> AuditEvent {
    AuditEvent {
        at_ms: START_MS,
        actor: format!("user:{n}"),
        action: "sign_in",
        target: None,
        reason: None,
        ip: None,
    }
}

/// A tail deleted up to a checkpoint leaves a chain that verifies on its own; the signed checkpoint names the
/// missing record. A rewritten chain beneath a checkpoint is caught the same way.
pub async fn checkpoints_catch_a_deleted_tail(db: &TestDb) {
    let folder = tempfile::tempdir().unwrap();
    let checkpoints = AuditCheckpoints::open(folder.path()).unwrap();
    for n in 0..6 {
        db.storage.record_audit(&event(n)).await.unwrap();
    }
    assert_eq!(checkpoints.checkpoint(&db.storage, START_MS).await.unwrap(), Some(6));
    assert_eq!(checkpoints.checkpoint(&db.storage, START_MS).await.unwrap(), None, "nothing new to sign");
    assert_eq!(checkpoints.verify(&db.storage).await.unwrap(), Ok(1));
    let key_mode = std::fs::metadata(folder.path().join("audit-signing.key")).unwrap();
    assert_eq!(std::os::unix::fs::PermissionsExt::mode(&key_mode.permissions()) & 0o777, 0o600);

    let raw = db.raw_pool().await;
    sqlx::query("DELETE FROM audit_events WHERE seq >= 5").execute(&raw).await.unwrap();
    assert_eq!(db.storage.verify_audit_chain().await.unwrap(), Ok(4), "the shorter chain is still a chain");
    let broken = checkpoints.verify(&db.storage).await.unwrap().expect_err("the checkpoint names record 6");
    assert_eq!(broken.seq, 6);
    assert!(broken.problem.contains("deleted from its end"), "{}", broken.problem);

    // Reopened from the folder (as `roster audit verify` does), the same key and log say the same.
    let reopened = AuditCheckpoints::open(folder.path()).unwrap();
    assert_eq!(reopened.verify(&db.storage).await.unwrap().unwrap_err().seq, 6);
    let mut engine = crate::support::test_engine(db, crate::support::manual_clock().1);
    engine.checkpoints = Some(std::sync::Arc::new(reopened));
    assert!(matches!(engine.verify_audit(&mut |_| {}).await.unwrap(), AuditVerdict::Broken { seq: 6, .. }));
}

/// Two nodes (two pools on one database) appending at once never give two records the same predecessor.
pub async fn two_nodes_appending_at_once_never_fork_the_chain(db: &TestDb) {
    let second_node = Storage::connect(&db.url).await.unwrap();
    let mut writers = Vec::new();
    for n in 0..8 {
        let storage = if n % 2 == 0 { db.storage.clone() } else { second_node.clone() };
        writers.push(tokio::spawn(async move {
            for k in 0..10 {
                storage.record_audit(&event(n * 100 + k)).await.unwrap();
            }
        }));
    }
    for writer in writers {
        writer.await.unwrap();
    }
    let raw = db.raw_pool().await;
    let (records, predecessors): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT prev_hash) FROM audit_events")
            .fetch_one(&raw)
            .await
            .unwrap();
    assert_eq!((records, predecessors), (80, 80), "no two records share a previous hash");
    assert_eq!(db.storage.verify_audit_chain().await.unwrap(), Ok(80));
    second_node.close().await;
}

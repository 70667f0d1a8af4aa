//! Storage behaviour, written once and run on both databases (see `on_both_databases!`).

use app::model::SessionStatus;
use roster::device::Device;
use roster::geo::Location;
use roster::storage::{
    AuditEvent, EndedBy, NewSession, NewUser, SessionEnd, SignInAttempt, Storage, StorageError,
};
use secrecy::ExposeSecret;

use crate::support::{sid, TestDb, START_MS};

async fn user(storage: &Storage, email: &str, role: &str) -> i64 {
    storage
        .create_user(NewUser {
            email,
            display_name: "Test User",
            role,
            password_hash: None,
            now_ms: START_MS,
        })
        .await
        .expect("user created")
}

fn event(action: &'static str, target: &str) -> AuditEvent {
    AuditEvent {
        at_ms: START_MS,
        actor: "user:1".into(),
        action,
        target: Some(target.into()),
        reason: None,
        ip: Some("203.0.113.7".into()),
    }
}

async fn console_session(storage: &Storage, id: &str, token: &[u8], user_id: i64, expires_at_ms: i64) {
    let console = storage.app_by_slug("console").await.unwrap().expect("the console app exists");
    storage
        .insert_session(
            &NewSession {
                id: &sid(id),
                token_hash: &roster::secrets::sha256(token),
                app_id: console.id,
                owner: roster::storage::SessionOwner::User(user_id),
                ip: Some("198.51.100.4"),
                user_agent: Some("Mozilla/5.0"),
                device: &Device::default(),
                location: &Location::default(),
                now_ms: START_MS,
                expires_at_ms: Some(expires_at_ms),
                idle_timeout_secs: Some(3600),
                remember_me: false,
                payload: None,
            },
            None,
            &event("session.created", id),
        )
        .await
        .expect("session inserted");
}

fn revoke_by_user(now_ms: i64) -> SessionEnd<'static> {
    SessionEnd {
        status: SessionStatus::Revoked,
        ended_by_token_id: None,
        ended_by: EndedBy::User,
        ended_by_user_id: Some(1),
        reason: "support ticket",
        cause: app::end_cause::EndCause::EndedByAdmin,
        share_reason: false,
        now_ms,
    }
}

pub async fn users_are_found_by_email_in_any_case_and_emails_are_unique(db: &TestDb) {
    let id = user(&db.storage, "Ada.Lovelace@Example.com", "admin").await;
    let found = db.storage.user_by_email("  ada.lovelace@EXAMPLE.com ").await.unwrap().expect("found");
    assert_eq!(found.id, id);
    assert_eq!(found.email, "Ada.Lovelace@Example.com", "the typed form is kept for display");
    let duplicate = db
        .storage
        .create_user(NewUser {
            email: "ADA.LOVELACE@example.com",
            display_name: "Copy",
            role: "member",
            password_hash: None,
            now_ms: START_MS,
        })
        .await;
    assert!(matches!(duplicate, Err(StorageError::AlreadyExists(_))), "got {duplicate:?}");
    assert_eq!(db.storage.count_users_with_role("admin").await.unwrap(), 1);
}

pub async fn sql_metacharacters_are_stored_as_plain_text(db: &TestDb) {
    let email = "o'brien\"; DROP TABLE users; --@example.com";
    let id = user(&db.storage, email, "member").await;
    let found = db.storage.user_by_email(email).await.unwrap().expect("found");
    assert_eq!((found.id, found.email.as_str()), (id, email));
    assert!(db.storage.user_by_email("' OR '1'='1").await.unwrap().is_none());
    assert_eq!(db.storage.count_users_with_role("member").await.unwrap(), 1, "the users table survived");
}

pub async fn failed_sign_ins_lock_after_the_limit_and_clear_on_success(db: &TestDb) {
    let email = "someone@example.com";
    let lock_until = START_MS + 900_000;
    let claim =
        |email: &'static str, now_ms: i64| db.storage.claim_sign_in_attempt(email, 3, now_ms, lock_until);
    for failures in 1..=2 {
        assert_eq!(
            claim(email, START_MS).await.unwrap(),
            SignInAttempt::Allowed { failures, locks_at: None }
        );
    }
    assert_eq!(
        claim("SOMEONE@example.com", START_MS).await.unwrap(),
        SignInAttempt::Allowed { failures: 3, locks_at: Some(lock_until) },
        "the third attempt in any case is still checked, and locks if wrong"
    );
    assert_eq!(claim(email, START_MS + 1).await.unwrap(), SignInAttempt::Locked { until_ms: lock_until });
    assert_eq!(
        claim(email, lock_until).await.unwrap(),
        SignInAttempt::Allowed { failures: 1, locks_at: None },
        "a lock that ran out starts the count again"
    );
    db.storage.clear_sign_in_failures(email).await.unwrap();
    assert_eq!(
        claim(email, lock_until).await.unwrap(),
        SignInAttempt::Allowed { failures: 1, locks_at: None }
    );
}

pub async fn racing_sign_in_attempts_never_slip_past_the_limit(db: &TestDb) {
    let attempts =
        (0..200).map(|_| db.storage.claim_sign_in_attempt("racer@example.com", 10, START_MS, START_MS + 1));
    let outcomes = futures::future::join_all(attempts).await;
    let allowed =
        outcomes.iter().filter(|outcome| matches!(outcome, Ok(SignInAttempt::Allowed { .. }))).count();
    assert_eq!(allowed, 10, "exactly the limit gets a password check");
    assert!(outcomes.iter().all(Result::is_ok), "no attempt fails on a busy database");
}

pub async fn a_console_session_is_found_by_its_token_hash_only(db: &TestDb) {
    let owner = user(&db.storage, "owner@example.com", "owner").await;
    console_session(&db.storage, "5d6be86d00000000000000007f6683ab", b"secret-token", owner, START_MS + 1000)
        .await;
    let row = db
        .storage
        .session_by_token_hash(&roster::secrets::sha256(b"secret-token"), None)
        .await
        .unwrap()
        .expect("found by the token's hash");
    assert_eq!(
        (row.id.as_str(), row.app_slug.as_str(), row.user_id),
        ("5d6be86d00000000000000007f6683ab", "console", Some(owner))
    );
    assert_eq!(row.status, SessionStatus::Active);
    assert!(
        db.storage.session_by_token_hash(b"secret-token", None).await.unwrap().is_none(),
        "the raw token is never stored"
    );
    let raw = db.raw_pool().await;
    let (stored,): (Vec<u8>,) =
        sqlx::query_as("SELECT token_hash FROM sessions").fetch_one(&raw).await.unwrap();
    assert_ne!(stored, b"secret-token".to_vec());
}

pub async fn last_active_is_written_at_most_once_per_interval(db: &TestDb) {
    let owner = user(&db.storage, "owner@example.com", "owner").await;
    let hash = roster::secrets::sha256(b"token");
    console_session(&db.storage, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", b"token", owner, START_MS + 86_400_000)
        .await;
    db.storage.touch_session(&hash, START_MS + 30_000, 60_000).await.unwrap();
    let row = db.storage.session_by_token_hash(&hash, None).await.unwrap().unwrap();
    assert_eq!(row.last_active_at, START_MS, "30 s after the last write: not written");
    db.storage.touch_session(&hash, START_MS + 61_000, 60_000).await.unwrap();
    let row = db.storage.session_by_token_hash(&hash, None).await.unwrap().unwrap();
    assert_eq!(row.last_active_at, START_MS + 61_000);
}

pub async fn ending_a_session_records_who_and_why_with_an_audit_event(db: &TestDb) {
    let owner = user(&db.storage, "owner@example.com", "owner").await;
    let id = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    console_session(&db.storage, id, b"token-b", owner, START_MS + 86_400_000).await;
    let audit_before = db.storage.recent_audit(100).await.unwrap().len();
    let ended = db
        .storage
        .end_session(&sid(id), &revoke_by_user(START_MS + 5), &event("session.revoked", id))
        .await
        .unwrap();
    assert_eq!(
        ended,
        Some(roster::storage::ChangedSession { user_id: Some(owner) }),
        "it names whose session ended"
    );
    let row =
        db.storage.session_by_token_hash(&roster::secrets::sha256(b"token-b"), None).await.unwrap().unwrap();
    assert_eq!(row.status, SessionStatus::Revoked);
    let raw = db.raw_pool().await;
    let (ended_at, ended_by, reason, payload): (i64, String, String, Option<Vec<u8>>) = sqlx::query_as(
        "SELECT ended_at, ended_by, end_reason, payload_ciphertext FROM sessions WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&raw)
    .await
    .unwrap();
    assert_eq!(
        (ended_at, ended_by.as_str(), reason.as_str(), payload),
        (START_MS + 5, "user", "support ticket", None)
    );
    let audit = db.storage.recent_audit(100).await.unwrap();
    assert_eq!(audit.len(), audit_before + 1);
    assert_eq!(audit[0].action, "session.revoked");
    assert_eq!(audit[0].target.as_deref(), Some(id.to_string().as_str()));

    let again = db
        .storage
        .end_session(&sid(id), &revoke_by_user(START_MS + 9), &event("session.revoked", id))
        .await
        .unwrap();
    assert!(again.is_none(), "an ended session does not end twice");
    assert_eq!(
        db.storage.recent_audit(100).await.unwrap().len(),
        audit_before + 1,
        "and records nothing more"
    );
}

pub async fn a_users_own_sessions_exclude_ended_expired_and_other_users(db: &TestDb) {
    let member = user(&db.storage, "member@example.com", "member").await;
    let other = user(&db.storage, "other@example.com", "member").await;
    console_session(&db.storage, "11111111111111111111111111111111", b"t1", member, START_MS + 86_400_000)
        .await;
    console_session(&db.storage, "22222222222222222222222222222222", b"t2", member, START_MS + 10).await;
    console_session(&db.storage, "33333333333333333333333333333333", b"t3", member, START_MS + 86_400_000)
        .await;
    console_session(&db.storage, "44444444444444444444444444444444", b"t4", other, START_MS + 86_400_000)
        .await;
    db.storage
        .end_session(
            &sid("33333333333333333333333333333333"),
            &revoke_by_user(START_MS),
            &event("session.revoked", "3"),
        )
        .await
        .unwrap();
    let own = db.storage.active_sessions_of_user(member, None, START_MS + 100).await.unwrap();
    let ids: Vec<&str> = own.iter().map(|row| row.id.as_str()).collect();
    assert_eq!(ids, ["11111111111111111111111111111111"]);
}

pub async fn the_audit_chain_verifies_and_reports_the_first_tampered_record(db: &TestDb) {
    for n in 0..5 {
        db.storage.record_audit(&event("sign_in", &format!("user:{n}"))).await.unwrap();
    }
    assert_eq!(db.storage.verify_audit_chain().await.unwrap(), Ok(5));
    let raw = db.raw_pool().await;
    sqlx::query("UPDATE audit_events SET actor = 'user:999' WHERE seq = 3").execute(&raw).await.unwrap();
    let broken = db.storage.verify_audit_chain().await.unwrap().expect_err("tampering is detected");
    assert_eq!(broken.seq, 3);
    sqlx::query("UPDATE audit_events SET actor = 'user:1' WHERE seq = 3").execute(&raw).await.unwrap();
    sqlx::query("DELETE FROM audit_events WHERE seq = 2").execute(&raw).await.unwrap();
    let broken = db.storage.verify_audit_chain().await.unwrap().expect_err("a deletion is detected");
    assert_eq!(broken.seq, 2);
}

pub async fn concurrent_audit_appends_keep_one_unbroken_chain(db: &TestDb) {
    let mut writers = Vec::new();
    for n in 0..8 {
        let storage = db.storage.clone();
        writers.push(tokio::spawn(async move {
            for k in 0..5 {
                storage.record_audit(&event("sign_in", &format!("user:{n}:{k}"))).await.unwrap();
            }
        }));
    }
    for writer in writers {
        writer.await.unwrap();
    }
    assert_eq!(db.storage.verify_audit_chain().await.unwrap(), Ok(40));
}

pub async fn demo_data_seeds_every_status_kind_and_a_usable_app_key(db: &TestDb) {
    use base64::Engine as _;
    let key = base64::engine::general_purpose::STANDARD.encode([3u8; 32]);
    let keys = roster::payload_keys::PayloadKeys::from_configured(&key).unwrap();
    let report = roster::demo::seed(&db.storage, &keys, 2_000, START_MS).await.expect("demo data");
    assert_eq!((report.users, report.sessions), (200, 2_000), "ten sessions per user");
    assert_eq!(report.api_keys.len(), 5, "five demo apps, each with a key shown once");
    let (my_meals, key) = &report.api_keys[0];
    let app = db.storage.app_by_key_hash(&roster::secrets::sha256(key.as_bytes())).await.unwrap().unwrap();
    assert_eq!(&app.app.slug, my_meals);

    let count = |status: &'static str| {
        let storage = db.storage.clone();
        async move {
            let query = roster::storage::ListQuery {
                status: Some(status),
                app_slug: None,
                search: None,
                sort: roster::storage::SortColumn::Created,
                descending: true,
                limit: 1,
                offset: 0,
            };
            storage.list_page(&query).await.unwrap().total
        }
    };
    let (active, expired, revoked) = (count("active").await, count("expired").await, count("revoked").await);
    assert_eq!(active + expired + revoked, 2_000);
    assert!(active > 1_000 && expired > 300 && revoked > 150, "{active} {expired} {revoked}");
    let raw = db.raw_pool().await;
    let (guests,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE kind = 'guest'").fetch_one(&raw).await.unwrap();
    assert!(guests > 100, "about a tenth are guests: {guests}");
    let (unknown_agents, ipv6, with_payload): (i64, i64, i64) = sqlx::query_as(
        "SELECT SUM(CASE WHEN browser IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN ip LIKE '%:%' THEN 1 ELSE 0 END),
                SUM(CASE WHEN payload_ciphertext IS NOT NULL THEN 1 ELSE 0 END) FROM sessions",
    )
    .fetch_one(&raw)
    .await
    .unwrap();
    assert!(unknown_agents > 0 && ipv6 > 0 && with_payload > 500, "{unknown_agents} {ipv6} {with_payload}");
    let (ended_payloads,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM sessions WHERE status <> 'active' AND payload_ciphertext IS NOT NULL",
    )
    .fetch_one(&raw)
    .await
    .unwrap();
    assert_eq!(ended_payloads, 0, "ended sessions carry no payload");

    let again = roster::demo::seed(&db.storage, &keys, 100, START_MS).await.expect("seeding twice works");
    assert!(again.api_keys.is_empty(), "existing apps are reused");
}

pub async fn operator_commands_register_apps_and_tokens_that_authenticate(db: &TestDb) {
    use roster::operator::{create_admin_token, register_app};
    let engine = crate::support::test_engine(db, crate::support::manual_clock().1);
    let key = register_app(&engine, "my_meals", "My Meals", 2048).await.unwrap();
    let key = key.expose_secret();
    assert!(key.starts_with("rk_"), "an app key");
    let keyed = db.storage.app_by_key_hash(&roster::secrets::sha256(key.as_bytes())).await.unwrap().unwrap();
    assert_eq!((keyed.app.slug.as_str(), keyed.app.max_payload_bytes), ("my_meals", 2048));
    assert!(register_app(&engine, "my_meals", "My Meals", 2048).await.is_err(), "the id is taken");
    for bad in ["My Meals", "x", "1abc", "a;drop"] {
        assert!(register_app(&engine, bad, "n", 10).await.is_err(), "{bad}");
    }

    let token = create_admin_token(&engine, "ci").await.unwrap();
    let token = token.expose_secret();
    assert!(token.starts_with("ra_"), "an admin token");
    let holder =
        db.storage.admin_token_by_hash(&roster::secrets::sha256(token.as_bytes())).await.unwrap().unwrap();
    assert_eq!(holder.name, "ci");
    let raw = db.raw_pool().await;
    let (stored,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM admin_tokens WHERE prefix = $1")
        .bind(&token[..10])
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!(stored, 1, "only a prefix and the hash are kept");
}

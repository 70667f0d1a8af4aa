//! Cases that read the SQLite file itself or need a geo database.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::api_http::Api;
use crate::support::{manual_clock, new_session, sid, test_engine, TestDb};

fn database_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for name in ["roster.db", "roster.db-wal"] {
        if let Ok(mut content) = std::fs::read(dir.join(name)) {
            bytes.append(&mut content);
        }
    }
    bytes
}

#[tokio::test]
async fn a_payload_leaves_no_trace_in_the_database_file() {
    let db = TestDb::sqlite().await;
    let api = Api::start(&db).await;
    let marker = "MARKER-7f3a9c-do-not-store-in-clear";
    let created = api.create(json!({ "userEmail": "m@example.com", "payload": { "note": marker } })).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let token = created.body["token"].as_str().unwrap().to_string();
    let dir = std::path::PathBuf::from(db.url.trim_start_matches("sqlite://").trim_end_matches("?mode=rwc"))
        .parent()
        .unwrap()
        .to_path_buf();
    let bytes = database_bytes(&dir);
    assert!(bytes.len() > 4096, "the database files were read");
    let found = |needle: &[u8]| bytes.windows(needle.len()).any(|window| window == needle);
    assert!(!found(marker.as_bytes()), "the payload is stored encrypted");
    assert!(!found(token.as_bytes()), "the token is stored only as a hash");
}

#[tokio::test]
async fn an_ended_session_s_ciphertext_is_overwritten_in_the_file() {
    let db = TestDb::sqlite().await;
    let api = Api::start(&db).await;
    let note = "x".repeat(200);
    // Neighbours on the same database page: the ended row's old bytes are not simply compacted away.
    let mut ids = Vec::new();
    for n in 0..7 {
        let created = api
            .create(json!({ "userEmail": format!("s{n}@example.com"), "payload": { "note": note } }))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        ids.push(sid(created.body["id"].as_str().unwrap()));
    }
    let id = ids[3].clone();
    let raw = db.raw_pool().await;
    let (ciphertext,): (Vec<u8>,) = sqlx::query_as("SELECT payload_ciphertext FROM sessions WHERE id = $1")
        .bind(id.as_str())
        .fetch_one(&raw)
        .await
        .unwrap();
    let ended = api.engine.end_session(
        &id,
        roster::engine::Actor::System,
        app::model::SessionStatus::Revoked,
        "test",
    );
    assert!(ended.await.unwrap());
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&raw).await.unwrap();
    let dir =
        std::path::PathBuf::from(db.url.trim_start_matches("sqlite://")).parent().unwrap().to_path_buf();
    let bytes = database_bytes(&dir);
    let piece = &ciphertext[60..124];
    assert!(
        !bytes.windows(piece.len()).any(|window| window == piece),
        "the destroyed payload's ciphertext is still readable in the database file"
    );
}

#[tokio::test]
async fn a_ciphertext_copied_onto_another_session_does_not_decrypt() {
    let db = TestDb::sqlite().await;
    let api = Api::start(&db).await;
    let a = api.create(json!({ "userEmail": "a@example.com", "payload": { "role": "admin" } })).await;
    let b = api.create(json!({ "userEmail": "b@example.com", "payload": { "role": "guest" } })).await;
    let raw = db.raw_pool().await;
    sqlx::query(
        "UPDATE sessions SET payload_ciphertext = (SELECT payload_ciphertext FROM sessions WHERE id = $1) WHERE id = $2",
    )
    .bind(a.body["id"].as_str().unwrap())
    .bind(b.body["id"].as_str().unwrap())
    .execute(&raw)
    .await
    .unwrap();
    let session = api.storage.session_by_id(&sid(b.body["id"].as_str().unwrap())).await.unwrap().unwrap();
    let opened = api.engine.open_payload(&session).await;
    assert!(matches!(opened, Err(roster::engine::EngineError::Crypto(_))), "got {opened:?}");
    let over_http = api
        .call(
            Method::GET,
            "/api/v1/sessions/current/payload",
            Some("rk_test_key_for_my_meals_0123456789"),
            None,
            &[("x-session-token", b.body["token"].as_str().unwrap())],
        )
        .await;
    assert!(!over_http.body.to_string().contains("admin"), "the other session's data never shows");
}

#[tokio::test]
async fn locations_come_from_a_maxmind_format_database() {
    use mmdb_writer::{Value, Writer};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test-city.mmdb");
    let mut writer = Writer::new("GeoIP2-City");
    let place = |name: &str| Value::map([("names", Value::map([("en", Value::from(name))]))]);
    writer
        .insert_value(
            "81.2.69.0/24".parse::<mmdb_writer::ipnet::IpNet>().unwrap(),
            Value::map([
                ("city", place("London")),
                (
                    "country",
                    Value::map([
                        ("iso_code", Value::from("GB")),
                        ("names", Value::map([("en", Value::from("United Kingdom"))])),
                    ]),
                ),
            ]),
        )
        .unwrap();
    writer
        .insert_value(
            "2001:db8::/32".parse::<mmdb_writer::ipnet::IpNet>().unwrap(),
            Value::map([("country", place("Sweden"))]),
        )
        .unwrap();
    std::fs::write(&path, writer.to_bytes().unwrap()).unwrap();

    let geo = roster::geo::GeoDatabase::open(&path).unwrap();
    let at = |ip: &str| roster::geo::locate(Some(&geo), Some(ip.parse().unwrap()));
    let london = at("81.2.69.142");
    assert_eq!(
        (london.city.as_deref(), london.country.as_deref(), london.country_code.as_deref()),
        (Some("London"), Some("United Kingdom"), Some("GB"))
    );
    assert_eq!(at("2001:db8::7").country.as_deref(), Some("Sweden"));
    assert_eq!(at("8.8.8.8"), roster::geo::Location::default(), "not in the database: unknown");
    assert_eq!(at("192.168.1.1").country.as_deref(), Some("Private network"));

    let db = TestDb::sqlite().await;
    let (_, clock) = manual_clock();
    let mut engine = test_engine(&db, clock);
    engine.geo = Some(std::sync::Arc::new(geo));
    let console = db.storage.app_by_slug("console").await.unwrap().unwrap();
    let created = engine
        .create_session(roster::engine::CreateSession {
            ip: Some("81.2.69.142".parse().unwrap()),
            ..new_session(console.id, 0, roster::engine::SessionOwner::Guest)
        })
        .await
        .unwrap();
    let row = db.storage.session_by_id(&created.id).await.unwrap().unwrap();
    assert_eq!((row.city.as_deref(), row.country_code.as_deref()), (Some("London"), Some("GB")));
}

/// A database written before external ids had an app keeps working: each id moves to the apps its user had
/// sessions in.
#[tokio::test]
async fn external_ids_from_before_the_per_app_table_stay_with_their_apps() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let url = roster::data_folder::sqlite_database(dir.path()).unwrap();
    let mut before = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let mut migrator = sqlx::migrate!("migrations/sqlite");
    migrator.migrations =
        migrator.migrations.iter().filter(|migration| migration.version < 5).cloned().collect();
    migrator.run(&mut before).await.unwrap();
    for statement in [
        "INSERT INTO apps (slug, name, max_payload_bytes, created_at) VALUES ('my_meals', 'My Meals', 256, 0)",
        "INSERT INTO users (email, email_normalized, display_name, role, external_id, created_at, updated_at)
         VALUES ('ada@example.com', 'ada@example.com', 'Ada', 'member', 'fb-1', 0, 0)",
        "INSERT INTO sessions (id, token_hash, app_id, user_id, kind, status, created_at, updated_at, last_active_at)
         VALUES ('00000000000000000000000000000001', x'01', (SELECT id FROM apps WHERE slug = 'my_meals'),
                 (SELECT id FROM users WHERE email = 'ada@example.com'), 'authenticated', 'active', 0, 0, 0)",
    ] {
        sqlx::query(statement).execute(&mut before).await.unwrap();
    }
    before.close().await.unwrap();

    let db = TestDb::sqlite_in(dir).await;
    let app = db.storage.app_by_slug("my_meals").await.unwrap().unwrap();
    let engine = test_engine(&db, manual_clock().1);
    let created = engine
        .create_session(new_session(
            app.id,
            app.max_payload_bytes,
            roster::engine::SessionOwner::Named { email: None, external_id: Some("fb-1"), name: None },
        ))
        .await
        .expect("the app still finds Ada by her id");
    let ada = db.storage.user_by_email("ada@example.com").await.unwrap().unwrap();
    assert_eq!(created.user_id, Some(ada.id));
}

/// `roster audit verify` from the shell: exit 0 on an intact chain; a non-zero exit naming the first bad record
/// for an edited record, a deleted middle record, and a tail deleted up to a signed checkpoint.
#[tokio::test]
async fn roster_audit_verify_fails_on_an_edited_a_deleted_or_a_cut_chain() {
    use roster::audit_checkpoints::AuditCheckpoints;
    use roster::storage::AuditEvent;

    fn data_folder(db: &TestDb) -> std::path::PathBuf {
        std::path::PathBuf::from(db.url.trim_start_matches("sqlite://")).parent().unwrap().to_path_buf()
    }
    async fn folder_with_chain() -> TestDb {
        let db = TestDb::sqlite().await;
        for n in 0..6 {
            let event = AuditEvent {
                at_ms: crate::support::START_MS,
                actor: format!("user:{n}"),
                action: "sign_in",
                target: None,
                reason: None,
                ip: None,
            };
            db.storage.record_audit(&event).await.unwrap();
        }
        let checkpoints = AuditCheckpoints::open(&data_folder(&db)).unwrap();
        checkpoints.checkpoint(&db.storage, crate::support::START_MS).await.unwrap();
        db
    }
    fn verify(db: &TestDb) -> (bool, String) {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_roster"))
            .arg("--data-dir")
            .arg(data_folder(db))
            .args(["audit", "verify"])
            .env_remove("ROSTER_DATABASE_URL")
            .env_remove("ROSTER_PAYLOAD_KEY")
            .output()
            .expect("roster runs");
        let text =
            format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        (output.status.success(), text)
    }

    let intact = folder_with_chain().await;
    let (ok, text) = verify(&intact);
    assert!(ok && text.contains("6 records verified") && text.contains("1 signed checkpoints"), "{text}");

    for (tamper, seq) in [
        ("UPDATE audit_events SET reason = 'nothing happened' WHERE seq = 3", 3),
        ("DELETE FROM audit_events WHERE seq = 2", 2),
        ("DELETE FROM audit_events WHERE seq >= 5", 6),
    ] {
        let db = folder_with_chain().await;
        sqlx::query(tamper).execute(&db.raw_pool().await).await.unwrap();
        let (ok, text) = verify(&db);
        assert!(!ok, "{tamper}: a non-zero exit, got {text}");
        assert!(text.contains(&format!("broken at record {seq}")), "{tamper}: {text}");
    }
}

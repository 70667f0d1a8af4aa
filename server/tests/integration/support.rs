//! Fresh databases for each test: a temporary SQLite file, or a new PostgreSQL database.

use roster::engine::{CreateSession, Lifetime, SessionOwner};
use std::sync::Arc;
use std::time::Duration;

use sqlx::{AnyPool, Connection, Executor, PgConnection};

use roster::clock::{ManualClock, SharedClock};
use roster::data_folder::sqlite_database;
use roster::storage::Storage;

pub const POSTGRES_URL_VARIABLE: &str = "ROSTER_TEST_POSTGRES_URL";

pub struct TestDb {
    pub storage: Storage,
    pub url: String,
    postgres: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        TestDb::sqlite_in(tempfile::tempdir().expect("a temporary folder")).await
    }

    /// Roster's database in this folder, as `roster serve` opens it: made, or migrated from what is there.
    pub async fn sqlite_in(dir: tempfile::TempDir) -> TestDb {
        let url = sqlite_database(dir.path()).expect("data folder");
        let storage = Storage::connect(&url).await.expect("SQLite storage connects and migrates");
        TestDb { storage, url, postgres: None, _dir: Some(dir) }
    }

    /// A new database on the server named by `ROSTER_TEST_POSTGRES_URL`, dropped by `drop_database`.
    pub async fn postgres() -> TestDb {
        let admin_url = std::env::var(POSTGRES_URL_VARIABLE).unwrap_or_else(|_| {
            panic!(
                "{POSTGRES_URL_VARIABLE} is not set: point it at a PostgreSQL server \
                 (e.g. postgres://postgres@127.0.0.1:5432/test) or skip these tests with `--skip postgres::`"
            )
        });
        let name = format!("roster_test_{}", roster::secrets::new_session_id());
        let mut admin = PgConnection::connect(&admin_url).await.expect("PostgreSQL answers");
        admin.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.expect("CREATE DATABASE");
        let url = match admin_url.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("{POSTGRES_URL_VARIABLE} must end with /database"),
        };
        let storage = Storage::connect(&url).await.expect("PostgreSQL storage connects and migrates");
        TestDb { storage, url, postgres: Some((admin_url, name)), _dir: None }
    }

    pub async fn drop_database(self) {
        self.storage.close().await;
        if let Some((admin_url, name)) = self.postgres {
            let mut admin = PgConnection::connect(&admin_url).await.expect("PostgreSQL answers");
            admin
                .execute(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                .await
                .expect("DROP DATABASE");
        }
    }

    /// A second, raw connection to the same database: what an attacker with database access could do.
    pub async fn raw_pool(&self) -> AnyPool {
        sqlx::any::install_default_drivers();
        AnyPool::connect(&self.url).await.expect("raw connection")
    }
}

pub const START_MS: i64 = 1_790_000_000_000;

/// An engine over the test database with a fixed payload key and no geo database.
pub fn test_engine(db: &TestDb, clock: SharedClock) -> roster::engine::Engine {
    engine_on(db.storage.clone(), clock)
}

/// An engine over this connection to a test database: a second one on the same database is a second node.
pub fn engine_on(storage: Storage, clock: SharedClock) -> roster::engine::Engine {
    use base64::Engine as _;
    let key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    let keys = roster::payload_keys::PayloadKeys::from_configured(&key).expect("a valid key");
    let mut engine = roster::engine::Engine::new(storage, keys, None, clock);
    // A webhook test waits for retries: milliseconds here, minutes in a server.
    engine.webhooks =
        roster::alarm_webhook::WebhookSender::with_retry_delays(vec![Duration::from_millis(50); 2]);
    engine
}

pub fn manual_clock() -> (Arc<ManualClock>, SharedClock) {
    let clock = ManualClock::starting_at(START_MS);
    (clock.clone(), clock)
}

/// A session id the test names as text (the storage and engine take only well-formed ids).
pub fn sid(text: &str) -> app::model::SessionId {
    app::model::SessionId::parse(text).expect("a well-formed session id")
}

/// A session request with what tests seldom care about left plain: the policy's lifetime, no address, user
/// agent or payload, the per-user limit enforced. Tests override fields with `..new_session(…)`.
pub fn new_session(app_id: i64, max_payload_bytes: i64, owner: SessionOwner<'_>) -> CreateSession<'_> {
    CreateSession {
        app_id,
        max_payload_bytes,
        owner,
        ip: None,
        user_agent: None,
        lifetime: Lifetime::Policy,
        remember_me: false,
        payload: None,
        actor: "test".into(),
        token_hash: None,
        enforce_session_limit: true,
    }
}

/// An active session of the app `app_id` (slug `app_slug`), with nothing but what the sessions table requires,
/// for a bulk load; a test sets what it needs over it.
pub fn bare_bulk_session(app_id: i64, app_slug: &str) -> roster::storage::BulkSession {
    let token = roster::secrets::new_session_id();
    roster::storage::BulkSession {
        id: roster::secrets::new_session_id(),
        token_hash: roster::secrets::sha256(token.as_str().as_bytes()),
        app_id,
        user_id: None,
        status: "active",
        ip: None,
        user_agent: None,
        browser: None,
        browser_version: None,
        os: None,
        os_version: None,
        device: None,
        city: None,
        country: None,
        country_code: None,
        created_at: START_MS,
        last_active_at: START_MS,
        expires_at: None,
        idle_timeout_secs: None,
        deadline_at: None,
        remember_me: false,
        ended_at: None,
        ended_by: None,
        end_reason: None,
        end_cause: None,
        payload: None,
        payload_bytes: 0,
        payload_attribute_count: 0,
        validation_count: 0,
        last_request_at: None,
        user_sort: String::new(),
        app_sort: app_slug.to_string(),
    }
}

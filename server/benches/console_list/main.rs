//! The console at a million sessions, on SQLite and on PostgreSQL: the Sessions list server function's whole
//! work (a page of 50, its total, the active count, the app list) for every sort, direction, filter and search the
//! UI can send, on first, second, 40th, quarter-way, middle and last pages; the other pages' server work; then the
//! same Sessions pages written by hand in plain SQL and timed in the database's own CLI (`sqlite3`, `psql`), side
//! by side.
//!
//! `cargo bench -p server --bench console_list` (or `make bench-console`). Settings: BENCH_SESSIONS (default
//! 1,000,000); BENCH_DATA (default target/bench-data/sessions-N), seeded with `roster demo` data once and reused by
//! later runs; BENCH_POSTGRES_URL (a PostgreSQL server's database URL, e.g. postgres://postgres@127.0.0.1/test):
//! the same on database `roster_bench_N` of that server, seeded once; BENCH_ONLY (`sqlite` or `postgres`): one of
//! the two; BENCH_SHOW (default 25): how many of the slowest combinations to print.

mod hand;
mod list;
mod pages;
mod psql;
mod sqlite3;
#[path = "../support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::time::Instant;

use base64::Engine as _;
use sqlx::{Connection, Executor};

use app::model::{CurrentUser, Role};
use app::session_query::{Direction, SortKey, StatusFilter};
use roster::clock::SystemClock;
use roster::data_folder::sqlite_database;
use roster::engine::Engine;
use roster::payload_keys::PayloadKeys;
use roster::storage::Storage;

use hand::{hand_cases, Dialect};
use list::{pages_in, query};
use support::setting;

async fn seed(storage: &Storage, keys: &PayloadKeys, sessions: usize, into: &str) {
    eprintln!("seeding {sessions} demo sessions into {into} (once; later runs reuse it)");
    let started = Instant::now();
    let now_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    roster::demo::seed(storage, keys, sessions, now_ms).await.expect("demo data");
    eprintln!("seeded in {:.1} s", started.elapsed().as_secs_f64());
}

async fn open_or_seed_sqlite(dir: &Path, sessions: usize, keys: &PayloadKeys) -> Storage {
    std::fs::create_dir_all(dir).expect("bench data folder");
    let marker = dir.join("seeded");
    let storage = Storage::connect(&sqlite_database(dir).expect("data folder")).await.expect("database");
    if !marker.exists() {
        seed(&storage, keys, sessions, &dir.display().to_string()).await;
        std::fs::write(&marker, "").expect("marker");
    }
    storage
}

/// Database `roster_bench_N` on the server of `server_url`, made and seeded when it does not hold a finished
/// seeding yet (the demo's audit record is written after its rows commit). Returns the storage and its URL.
async fn open_or_seed_postgres(server_url: &str, sessions: usize, keys: &PayloadKeys) -> (Storage, String) {
    let name = format!("roster_bench_{sessions}");
    let url = match server_url.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => panic!("BENCH_POSTGRES_URL must end with /database"),
    };
    let mut admin = sqlx::PgConnection::connect(server_url).await.expect("PostgreSQL answers");
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut admin)
        .await
        .expect("pg_database");
    let mut seeded = false;
    if exists.is_some() {
        let mut bench = sqlx::PgConnection::connect(&url).await.expect("bench database");
        seeded =
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_events WHERE action = 'demo.seeded'")
                .fetch_one(&mut bench)
                .await
                .unwrap_or(0)
                > 0;
    }
    if !seeded {
        admin
            .execute(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
            .await
            .expect("DROP DATABASE");
        admin.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.expect("CREATE DATABASE");
    }
    let storage = Storage::connect(&url).await.expect("PostgreSQL storage");
    if !seeded {
        seed(&storage, keys, sessions, &url).await;
    }
    (storage, url)
}

/// Where the hand-written pages are timed.
enum HandTimer {
    Sqlite3(PathBuf),
    Psql(String),
}

impl HandTimer {
    fn dialect(&self) -> Dialect {
        match self {
            HandTimer::Sqlite3(_) => Dialect::Sqlite,
            HandTimer::Psql(_) => Dialect::Postgres,
        }
    }

    fn time(&self, sql: &str) -> Option<f64> {
        match self {
            HandTimer::Sqlite3(db) => sqlite3::time_in_sqlite3(db, sql),
            HandTimer::Psql(url) => psql::time_in_psql(url, sql),
        }
    }

    fn cli(&self) -> &'static str {
        match self {
            HandTimer::Sqlite3(_) => "sqlite3",
            HandTimer::Psql(_) => "psql",
        }
    }
}

async fn bench_database(label: &str, storage: Storage, keys: PayloadKeys, sessions: usize, timer: HandTimer) {
    println!("\n=== {label} ===");
    let engine = Engine::new(storage.clone(), keys, None, std::sync::Arc::new(SystemClock));
    let owner = CurrentUser {
        id: 1,
        email: "bench@example.com".into(),
        display_name: "Bench".into(),
        role: Role::Owner,
    };
    list::list_timings(&engine, &owner, label, sessions).await;
    pages::my_sessions_timings(&engine).await;
    pages::users_timings(&engine).await;

    let sample = roster::console::sessions_page(
        &engine,
        &owner,
        &query(SortKey::Created, Direction::Desc, StatusFilter::All, "", "", 3),
        None,
    )
    .await
    .unwrap();
    let email = sample.rows.iter().find_map(|row| row.user.as_ref().map(|user| user.email.clone())).unwrap();
    let fragment: String = email.chars().skip(3).take(9).collect();
    pages::history_timings(&engine, &email, sample.rows[0].id.as_str()).await;
    pages::audit_timings(&engine, &storage, &email).await;
    pages::analytics_timings(&engine).await;
    println!(
        "\nthe same pages: Roster's list server function (best of 5) against the same page written by hand and run in \
         {} (best of 5), tuned to the schema and naive:",
        timer.cli()
    );
    let middle_page = (pages_in(sample.total) / 2).max(1);
    let mut worst: Option<(String, f64, f64, f64)> = None;
    for case in hand_cases(timer.dialect(), &fragment, middle_page) {
        let mut best = f64::MAX;
        for _ in 0..5 {
            let started = Instant::now();
            roster::console::sessions_page(&engine, &owner, &case.query, None).await.unwrap();
            best = best.min(started.elapsed().as_secs_f64() * 1000.0);
        }
        let tuned = timer.time(&case.tuned);
        let timed = |hand: Option<f64>| match hand {
            Some(hand) => format!("{hand:7.2} ms (ratio {:.2})", best / hand),
            None => format!("the {} CLI did not answer", timer.cli()),
        };
        println!(
            "  {:40} roster {best:6.2} ms   tuned by hand {}   naive {}",
            case.name,
            timed(tuned),
            timed(timer.time(&case.naive))
        );
        if let Some(hand) = tuned {
            if worst.as_ref().is_none_or(|(_, ratio, _, _)| best / hand > *ratio) {
                worst = Some((case.name.to_string(), best / hand, best, hand));
            }
        }
    }
    if let Some((name, ratio, roster_ms, hand_ms)) = worst {
        crate::support::table_row(
            &format!("list vs hand-tuned SQL, {label}"),
            &format!("{roster_ms:.2} ms (\"{name}\", the widest gap)"),
            &format!("hand-tuned in {}: {hand_ms:.2} ms, ratio {ratio:.2}", timer.cli()),
        );
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sessions = setting("BENCH_SESSIONS", 1_000_000) as usize;
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let keys =
        PayloadKeys::from_configured(&base64::engine::general_purpose::STANDARD.encode([9u8; 32])).unwrap();
    if only != "postgres" {
        let dir = std::env::var("BENCH_DATA").map(PathBuf::from).unwrap_or_else(|_| {
            PathBuf::from(format!("{}/../target/bench-data/sessions-{sessions}", env!("CARGO_MANIFEST_DIR")))
        });
        let storage = open_or_seed_sqlite(&dir, sessions, &keys).await;
        bench_database("SQLite", storage, keys.clone(), sessions, HandTimer::Sqlite3(dir.join("roster.db")))
            .await;
    }
    if only != "sqlite" {
        match std::env::var("BENCH_POSTGRES_URL") {
            Ok(server_url) if !server_url.is_empty() => {
                let (storage, url) = open_or_seed_postgres(&server_url, sessions, &keys).await;
                bench_database("PostgreSQL", storage, keys, sessions, HandTimer::Psql(url)).await;
            }
            _ => println!("\nPostgreSQL: not measured (BENCH_POSTGRES_URL is not set)"),
        }
    }
}

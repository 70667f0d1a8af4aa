//! Validate and create requests per second over loopback HTTP, next to a hello-world route (`/healthz`) of the
//! same server, in the same run: on SQLite, and on PostgreSQL when `BENCH_POSTGRES_URL` names a server (`make
//! bench` sets it when the local one answers). On PostgreSQL creates are timed with and without the event relay
//! (each create's NOTIFY to the other nodes), which is what several nodes cost a single one.
//! `cargo bench -p server --bench validate` (or `make bench`).
//! Settings: BENCH_SECONDS (default 5), BENCH_CONNECTIONS (default 32), BENCH_SESSIONS (default 1000).

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use support::{fresh_postgres_database, load, postgres_server, setting, BenchServer, Outcome, APP_KEY};

struct Settings {
    seconds: u64,
    connections: usize,
    sessions: usize,
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let settings = Settings {
            seconds: setting("BENCH_SECONDS", 5),
            connections: setting("BENCH_CONNECTIONS", 32) as usize,
            sessions: setting("BENCH_SESSIONS", 1000) as usize,
        };
        bench(&settings, "SQLite", None).await;
        match postgres_server() {
            Some(server) => {
                let url = fresh_postgres_database(&server, "roster_bench_validate").await;
                bench(&settings, "PostgreSQL", Some(&url)).await;
            }
            None => {
                println!("PostgreSQL: not measured (set BENCH_POSTGRES_URL to a PostgreSQL database URL)")
            }
        }
    });
}

async fn bench(settings: &Settings, database: &str, url: Option<&str>) {
    let Settings { seconds, connections, sessions } = *settings;
    // Creates from one key past 1,000 a second would be refused (429) by the default rate: the bench measures what
    // the server can do, so the rates are set out of its reach.
    let server = BenchServer::start_on(url, |engine| {
        engine.rate_limits = roster::engine::RateLimits::new(roster::engine::RateSettings::out_of_reach());
    })
    .await;
    let mut tokens = Vec::with_capacity(sessions);
    for _ in 0..sessions {
        tokens.push(server.guest_session().await.1);
    }
    server.engine.activity.spawn_flusher(Duration::from_secs(1), 60_000);

    let hello = vec![server.request("GET /healthz", &[], "")];
    let authorization = format!("Bearer {APP_KEY}");
    let json = [("Authorization", authorization.as_str()), ("Content-Type", "application/json")];
    let validate: Vec<Vec<u8>> = tokens
        .iter()
        .map(|token| {
            server.request("POST /api/v1/sessions/validate", &json, &format!("{{\"token\":\"{token}\"}}"))
        })
        .collect();
    let create = vec![server.request("POST /api/v1/sessions", &json, "{\"guest\":true}")];

    println!(
        "Roster validate benchmark: {database}, {sessions} sessions, {connections} connections, {seconds} s per \
         route, loopback HTTP/1.1 keep-alive"
    );
    // A short warm-up so every route starts from warm caches.
    load(server.address, hello.clone(), connections, 1).await;
    let hello = timed(server.address, "GET /healthz (hello world)", hello, settings).await.per_second;
    let validate =
        timed(server.address, "POST /api/v1/sessions/validate", validate, settings).await.per_second;
    println!("  validate / hello = {:.1}% (target: at least 50%)", 100.0 * validate / hello);
    support::table_row(
        &format!("validate, {database}"),
        &format!("{validate:.0} req/s"),
        // The 50% target is the single node's (SQLite, cached); on PostgreSQL every validation reads the database.
        &format!(
            "hello world {hello:.0} req/s: {:.0}% of it{}",
            100.0 * validate / hello,
            if url.is_none() { " (target ≥ 50%)" } else { "" }
        ),
    );
    let created = if url.is_some() {
        let alone = timed(server.address, "POST /api/v1/sessions (one node)", create.clone(), settings).await;
        server.engine.spawn_event_relay();
        let relayed = timed(server.address, "POST /api/v1/sessions (relaying)", create, settings).await;
        println!(
            "  creates while relaying events to other nodes / alone = {:.1}%",
            100.0 * relayed.per_second / alone.per_second
        );
        alone
    } else {
        timed(server.address, "POST /api/v1/sessions", create, settings).await
    };
    support::table_row(
        &format!("create, {database}"),
        &format!(
            "{:.0} req/s, p50 {:.2} ms, p99 {:.2} ms",
            created.per_second, created.p50_ms, created.p99_ms
        ),
        &format!("validate {validate:.0} req/s"),
    );
    if url.is_none() {
        cache_memory(&server).await;
        capped_validate(settings, validate).await;
    }
}

/// Validations are not counted by default; an operator may cap them per key. The same route on a server whose
/// cap is set (above anything it can reach), beside the uncapped figure: what counting costs.
async fn capped_validate(settings: &Settings, uncapped: f64) {
    use roster::engine::{Rate, RateLimits, RateSettings};
    let server = BenchServer::start_on(None, |engine| {
        let capped =
            RateSettings { app_validations: Some(Rate::per_second(u32::MAX)), ..RateSettings::default() };
        engine.rate_limits = RateLimits::new(capped);
    })
    .await;
    let mut requests = Vec::with_capacity(settings.sessions);
    let authorization = format!("Bearer {APP_KEY}");
    let json = [("Authorization", authorization.as_str()), ("Content-Type", "application/json")];
    for _ in 0..settings.sessions {
        let token = server.guest_session().await.1;
        requests.push(server.request(
            "POST /api/v1/sessions/validate",
            &json,
            &format!("{{\"token\":\"{token}\"}}"),
        ));
    }
    let capped =
        timed(server.address, "POST /api/v1/sessions/validate (capped)", requests, settings).await.per_second;
    println!("  validate with a per-key cap / without = {:.1}%", 100.0 * capped / uncapped);
    support::table_row(
        "validate with a per-key cap set, SQLite",
        &format!("{capped:.0} req/s"),
        &format!("uncapped (the default) {uncapped:.0} req/s: {:.0}% of it", 100.0 * capped / uncapped),
    );
}

/// The validation cache's memory per session: resident memory before and after `BENCH_CACHE_SESSIONS`
/// sessions are validated once each (SQLite only: on PostgreSQL the cache is off).
async fn cache_memory(server: &BenchServer) {
    let sessions = setting("BENCH_CACHE_SESSIONS", 50_000) as usize;
    let mut hashes = Vec::with_capacity(sessions);
    for _ in 0..sessions {
        hashes.push(roster::secrets::sha256(server.guest_session().await.1.as_bytes()));
    }
    let before = support::resident_bytes();
    for hash in &hashes {
        server.engine.validate(hash, server.app_id).await.expect("a live session");
    }
    let after = support::resident_bytes();
    let per_session = after.saturating_sub(before) as f64 / sessions as f64;
    println!(
        "  resident memory: {:.0} MB; {per_session:.0} bytes per cached session ({sessions} cached)",
        after as f64 / 1e6
    );
    support::table_row(
        "memory per cached session",
        &format!("{per_session:.0} bytes"),
        &format!("{sessions} sessions validated once each, resident memory before and after"),
    );
}

struct Timed {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// Loads one route and prints its line; returns its successful answers per second and latencies.
async fn timed(address: SocketAddr, name: &str, requests: Vec<Vec<u8>>, settings: &Settings) -> Timed {
    let (outcome, elapsed): (Outcome, f64) =
        load(address, requests, settings.connections, settings.seconds).await;
    let ok = outcome.count(200) + outcome.count(201);
    let per_second = ok as f64 / elapsed;
    println!(
        "  {name:38} {:>9.0} req/s   p50 {:>6.2} ms   p99 {:>6.2} ms   failures {}",
        per_second,
        outcome.percentile_ms(0.5),
        outcome.percentile_ms(0.99),
        outcome.total() - ok
    );
    Timed { per_second, p50_ms: outcome.percentile_ms(0.5), p99_ms: outcome.percentile_ms(0.99) }
}

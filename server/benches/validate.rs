//! Validate requests per second over loopback HTTP, next to a hello-world route (`/healthz`) of the same
//! server, in the same run. `cargo bench -p server --bench validate` (or `make bench`).
//! Settings: BENCH_SECONDS (default 5), BENCH_CONNECTIONS (default 32), BENCH_SESSIONS (default 1000).

mod support;

use std::time::Duration;

use support::{load, setting, BenchServer, Outcome, APP_KEY};

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let seconds = setting("BENCH_SECONDS", 5);
        let connections = setting("BENCH_CONNECTIONS", 32) as usize;
        let session_count = setting("BENCH_SESSIONS", 1000) as usize;

        let server = BenchServer::start(|_| {}).await;
        let mut tokens = Vec::with_capacity(session_count);
        for _ in 0..session_count {
            tokens.push(server.guest_session().await.1);
        }
        server.engine.activity.spawn_flusher(Duration::from_secs(1), 60_000);

        let hello = vec![server.request("GET /healthz", &[], "")];
        let authorization = format!("Bearer {APP_KEY}");
        let validate: Vec<Vec<u8>> = tokens
            .iter()
            .map(|token| {
                server.request(
                    "POST /api/v1/sessions/validate",
                    &[("Authorization", &authorization), ("Content-Type", "application/json")],
                    &format!("{{\"token\":\"{token}\"}}"),
                )
            })
            .collect();

        println!("Roster validate benchmark: SQLite, {session_count} sessions, {connections} connections, {seconds} s per route, loopback HTTP/1.1 keep-alive");
        // A short warm-up so both routes start from warm caches.
        load(server.address, hello.clone(), connections, 1).await;
        let hello = load(server.address, hello, connections, seconds).await;
        let validate = load(server.address, validate, connections, seconds).await;
        let per_second = |(outcome, elapsed): &(Outcome, f64)| outcome.count(200) as f64 / elapsed;
        for (name, result) in [("GET /healthz (hello world)", &hello), ("POST /api/v1/sessions/validate", &validate)] {
            let outcome = &result.0;
            println!(
                "  {name:34} {:>9.0} req/s   p50 {:>6.2} ms   p99 {:>6.2} ms   failures {}",
                per_second(result),
                outcome.percentile_ms(0.5),
                outcome.percentile_ms(0.99),
                outcome.total() - outcome.count(200)
            );
        }
        println!("  validate / hello = {:.1}% (target: at least 50%)", 100.0 * per_second(&validate) / per_second(&hello));
    });
}

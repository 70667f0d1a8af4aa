//! Revocations while anonymous callers flood the server: wrong passwords (each one an argon2 check, as from an
//! attacker with many addresses: the per-address throttle is off here) and server-function calls without a
//! console session. A session authority's revocation must stay fast whatever else arrives, and the audit log
//! must not grow one chained record per anonymous request.
//!
//! `cargo bench -p server --bench flood` (or `make bench-flood`). Settings: BENCH_SECONDS (default 10),
//! BENCH_CONNECTIONS (flooding connections, default 64).

mod support;

use std::time::Duration;

use roster::engine::SignInThrottle;
use support::{load, load_paced, setting, BenchServer, Outcome};

/// One revocation every 20 ms: an admin script working through a list, not a second flood.
const REVOKE_PACE: Duration = Duration::from_millis(20);
/// More emails than the flood can try in its time, so the whole flood meets no lock-out.
const FLOOD_EMAILS: usize = 200_000;

fn print_latencies(name: &str, (outcome, _): &(Outcome, f64)) {
    println!(
        "  {name:44} p50 {:>6.2} ms   p95 {:>6.2} ms   max {:>7.2} ms   answers: {}",
        outcome.percentile_ms(0.5),
        outcome.percentile_ms(0.95),
        outcome.percentile_ms(1.0),
        outcome.statuses()
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let seconds = setting("BENCH_SECONDS", 10);
        let connections = setting("BENCH_CONNECTIONS", 64) as usize;
        let server = BenchServer::start(|engine| {
            engine.sign_in_throttle = SignInThrottle::new(u32::MAX);
            // The admin script's revocations are what is timed, never refused by its token's rate.
            engine.rate_limits = roster::engine::RateLimits::new(roster::engine::RateSettings::out_of_reach());
        })
        .await;
        let admin_token = roster::operator::create_admin_token(&server.engine, "bench").await.expect("a token");
        let authorization = format!("Bearer {}", secrecy::ExposeSecret::expose_secret(&admin_token));

        // Enough sessions that no revocation repeats: the baseline and the flood each take their own.
        let per_phase = (seconds * 1000 / REVOKE_PACE.as_millis() as u64 + 50) as usize;
        let mut ids = Vec::new();
        for _ in 0..2 * per_phase {
            ids.push(server.guest_session().await.0);
        }
        let revocations = |ids: &[String]| -> Vec<Vec<u8>> {
            ids.iter()
                .map(|id| server.request(&format!("DELETE /api/admin/sessions/{id}"), &[("Authorization", &authorization)], ""))
                .collect()
        };
        let form = [("Content-Type", "application/x-www-form-urlencoded")];
        // Every wrong sign-in names an email not tried before, so none is stopped by a lock-out: each would cost
        // a password check. Between them, calls without a console session.
        let mut flood = Vec::new();
        for n in 0..FLOOD_EMAILS {
            let body = format!("email=flood{n}%40example.com&password=not-the-password");
            flood.push(server.request("POST /api/login", &form, &body));
            flood.push(server.request("POST /api/my_sessions", &form, ""));
        }

        println!(
            "Roster flood benchmark: SQLite, {} cores, {connections} flooding connections ({seconds} s): wrong sign-ins \
             (throttle off) and anonymous server-function calls; one admin revoking a session every {} ms",
            std::thread::available_parallelism().map_or(1, |n| n.get()),
            REVOKE_PACE.as_millis()
        );
        let audit_before = roster::operator::verify_audit(&server.engine).await.expect("a verified chain").0;
        let quiet = load_paced(server.address, revocations(&ids[..per_phase]), 1, seconds.min(3), REVOKE_PACE).await;
        print_latencies("DELETE /api/admin/sessions/{id}, quiet", &quiet);
        let (flooded, revoked_in_flood) = tokio::join!(
            load(server.address, flood, connections, seconds),
            load_paced(server.address, revocations(&ids[per_phase..]), 1, seconds, REVOKE_PACE)
        );
        print_latencies("DELETE /api/admin/sessions/{id}, during flood", &revoked_in_flood);
        let (flood_outcome, elapsed) = &flooded;
        println!(
            "  flood: {:.0} requests/s answered ({}), p50 {:.1} ms",
            flood_outcome.total() as f64 / elapsed,
            flood_outcome.statuses(),
            flood_outcome.percentile_ms(0.5)
        );
        server.engine.flush_anonymous_refusals(true).await.expect("the tally is written");
        let audit_after = roster::operator::verify_audit(&server.engine).await.expect("a verified chain").0;
        let revoked = quiet.0.count(200) + revoked_in_flood.0.count(200);
        println!(
            "  audit records added: {} for {} revocations and {} anonymous requests (target: revocations + a few \
             per address and minute); chain verified",
            audit_after - audit_before,
            revoked,
            flood_outcome.total()
        );
        println!("  target: revocations during the flood answer in under 50 ms (p95)");
    });
}

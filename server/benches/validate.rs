//! Validate requests per second over loopback HTTP, next to a hello-world route (`/healthz`) of the same
//! server, in the same run. `cargo bench -p server --bench validate` (or `make bench`).
//! Settings: BENCH_SECONDS (default 5), BENCH_CONNECTIONS (default 32), BENCH_SESSIONS (default 1000).

use secrecy::ExposeSecret;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use roster::clock::SystemClock;
use roster::data_folder::sqlite_database;
use roster::engine::{CreateSession, Engine, Lifetime};
use roster::http::{router, ServerContext};
use roster::payload_keys::PayloadKeys;
use roster::storage::{AuditEvent, Storage};

const APP_KEY: &str = "rk_bench_key_0123456789abcdef";

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

/// Reads one HTTP/1.1 response with a Content-Length body; returns its status code.
async fn read_response(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> std::io::Result<u16> {
    buffer.clear();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_lowercase();
            let status = head.get(9..12).and_then(|code| code.parse().ok()).unwrap_or(0);
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(0);
            while buffer.len() < end + 4 + length {
                let read = stream.read(&mut chunk).await?;
                if read == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                buffer.extend_from_slice(&chunk[..read]);
            }
            return Ok(status);
        }
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
}

struct Outcome {
    requests: u64,
    failures: u64,
    latencies_us: Vec<u32>,
}

async fn connection(
    address: SocketAddr,
    requests: Arc<Vec<Vec<u8>>>,
    offset: usize,
    until: Instant,
) -> Outcome {
    let mut outcome = Outcome { requests: 0, failures: 0, latencies_us: Vec::new() };
    let Ok(mut stream) = TcpStream::connect(address).await else {
        outcome.failures += 1;
        return outcome;
    };
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::with_capacity(16 * 1024);
    let mut next = offset;
    while Instant::now() < until {
        let started = Instant::now();
        let request = &requests[next % requests.len()];
        next += 1;
        if stream.write_all(request).await.is_err() {
            outcome.failures += 1;
            break;
        }
        match read_response(&mut stream, &mut buffer).await {
            Ok(200) => outcome.requests += 1,
            Ok(_) => outcome.failures += 1,
            Err(_) => {
                outcome.failures += 1;
                break;
            }
        }
        outcome.latencies_us.push(started.elapsed().as_micros().min(u32::MAX as u128) as u32);
    }
    outcome
}

struct Measured {
    per_second: f64,
    failures: u64,
    p50_ms: f64,
    p99_ms: f64,
}

async fn load(address: SocketAddr, requests: Vec<Vec<u8>>, connections: usize, seconds: u64) -> Measured {
    let requests = Arc::new(requests);
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..connections)
        .map(|n| tokio::spawn(connection(address, requests.clone(), n * 7919, until)))
        .collect();
    let (mut total, mut failures, mut latencies) = (0, 0, Vec::new());
    for worker in workers {
        if let Ok(outcome) = worker.await {
            total += outcome.requests;
            failures += outcome.failures;
            latencies.extend(outcome.latencies_us);
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let percentile = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0) as f64
            / 1000.0
    };
    Measured {
        per_second: total as f64 / elapsed,
        failures,
        p50_ms: percentile(0.5),
        p99_ms: percentile(0.99),
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let seconds = setting("BENCH_SECONDS", 5);
        let connections = setting("BENCH_CONNECTIONS", 32) as usize;
        let session_count = setting("BENCH_SESSIONS", 1000) as usize;

        let dir = tempfile::tempdir().expect("a temporary folder");
        let storage = Storage::connect(&sqlite_database(dir.path()).expect("data folder")).await.expect("storage");
        let key = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
        let keys = PayloadKeys::from_configured(&key).expect("a key");
        let engine = Engine::new(storage.clone(), keys, None, Arc::new(SystemClock));
        let audit = AuditEvent { at_ms: 0, actor: "bench".into(), action: "app.created", target: None, reason: None, ip: None };
        let app_id = storage
            .create_app(
                &roster::storage::NewApp {
                    slug: "bench",
                    name: "Bench",
                    max_payload_bytes: 4096,
                    key_hash: &roster::secrets::sha256(APP_KEY.as_bytes()),
                    key_prefix: "rk_bench",
                    now_ms: 0,
                },
                &audit,
            )
            .await
            .expect("an app");
        let mut tokens = Vec::with_capacity(session_count);
        for _ in 0..session_count {
            let created = engine
                .create_session(CreateSession {
                    app_id,
                    max_payload_bytes: 4096,
                    owner: roster::engine::SessionOwner::Guest,
                    ip: Some("203.0.113.5".parse().expect("an address")),
                    user_agent: Some("bench/1.0".into()),
                    lifetime: Lifetime::Policy,
                    remember_me: false,
                    payload: None,
                    actor: "bench".into(),
                    token_hash: None,
                    enforce_session_limit: false,
                })
                .await
                .expect("a session");
            tokens.push(created.token.expect("a token").expose_secret().to_string());
        }
        engine.activity.spawn_flusher(Duration::from_secs(1), 60_000);

        let app = router(ServerContext {
            public_url: None,
            engine: engine.clone(),
            leptos_options: roster::serve::leptos_options(&Default::default()),
            secure_cookies: false,
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let address = listener.local_addr().expect("an address");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await;
        });

        let hello = vec![format!("GET /healthz HTTP/1.1\r\nHost: {address}\r\n\r\n").into_bytes()];
        let validate: Vec<Vec<u8>> = tokens
            .iter()
            .map(|token| {
                let body = format!("{{\"token\":\"{token}\"}}");
                format!(
                    "POST /api/v1/sessions/validate HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {APP_KEY}\r\n\
                     Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                )
                .into_bytes()
            })
            .collect();

        println!("Roster validate benchmark: SQLite, {session_count} sessions, {connections} connections, {seconds} s per route, loopback HTTP/1.1 keep-alive");
        // A short warm-up so both routes start from warm caches.
        load(address, hello.clone(), connections, 1).await;
        let hello = load(address, hello, connections, seconds).await;
        let validate = load(address, validate, connections, seconds).await;
        for (name, result) in [("GET /healthz (hello world)", &hello), ("POST /api/v1/sessions/validate", &validate)] {
            println!(
                "  {name:34} {:>9.0} req/s   p50 {:>6.2} ms   p99 {:>6.2} ms   failures {}",
                result.per_second, result.p50_ms, result.p99_ms, result.failures
            );
        }
        println!("  validate / hello = {:.1}% (target: at least 50%)", 100.0 * validate.per_second / hello.per_second);
    });
}

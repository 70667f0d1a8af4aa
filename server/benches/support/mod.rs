//! What the benchmarks share: a Roster server on a fresh SQLite folder (or a fresh PostgreSQL database) with one
//! app, listening on loopback, and a keep-alive HTTP/1.1 load generator that writes prepared requests and counts
//! the answers by status.

// Each benchmark uses part of this module.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use roster::clock::SystemClock;
use roster::data_folder::sqlite_database;
use roster::engine::Engine;
use roster::http::{router, ServerContext};
use roster::payload_keys::PayloadKeys;
use roster::storage::{AuditEvent, Storage};

pub const APP_KEY: &str = "rk_bench_key_0123456789abcdef";

/// One row of `make bench`'s table (scripts/bench-table.sh collects these lines): what, its figure, and the peer
/// or floor it is read beside.
pub fn table_row(what: &str, figure: &str, beside: &str) {
    println!("TABLE\t{what}\t{figure}\t{beside}");
}

/// This process's resident memory (VmRSS), in bytes.
pub fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

pub fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

pub struct BenchServer {
    pub engine: Engine,
    pub storage: Storage,
    pub app_id: i64,
    pub address: SocketAddr,
    _dir: tempfile::TempDir,
}

/// The PostgreSQL server the benchmarks also run on: `BENCH_POSTGRES_URL` (a database on it they may create
/// databases beside), or None to run on SQLite only.
pub fn postgres_server() -> Option<String> {
    std::env::var("BENCH_POSTGRES_URL").ok().filter(|url| !url.is_empty())
}

/// A fresh database `name` on the server at `server_url`; returns its URL.
pub async fn fresh_postgres_database(server_url: &str, name: &str) -> String {
    use sqlx::{Connection, Executor};
    let mut admin = sqlx::PgConnection::connect(server_url).await.expect("PostgreSQL answers");
    admin
        .execute(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
        .await
        .expect("drop");
    admin.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.expect("create");
    let (server, _) = server_url.rsplit_once('/').expect("a URL ending in /database");
    format!("{server}/{name}")
}

impl BenchServer {
    /// `configure` sets the engine up before the server takes requests.
    pub async fn start(configure: impl FnOnce(&mut Engine)) -> BenchServer {
        BenchServer::start_on(None, configure).await
    }

    /// On the database at `url`, or on a fresh SQLite folder when None.
    pub async fn start_on(url: Option<&str>, configure: impl FnOnce(&mut Engine)) -> BenchServer {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = match url {
            Some(url) => url.to_string(),
            None => sqlite_database(dir.path()).expect("data folder"),
        };
        let storage = Storage::connect(&url).await.expect("storage");
        let key = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
        let keys = PayloadKeys::from_configured(&key).expect("a key");
        let mut engine = Engine::new(storage.clone(), keys, None, Arc::new(SystemClock));
        configure(&mut engine);
        let audit = AuditEvent {
            at_ms: 0,
            actor: "bench".into(),
            action: "app.created",
            target: None,
            reason: None,
            ip: None,
        };
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
        BenchServer { engine, storage, app_id, address, _dir: dir }
    }

    /// A guest session of the bench app; returns its id and token.
    pub async fn guest_session(&self) -> (String, String) {
        use secrecy::ExposeSecret;
        let created = self
            .engine
            .create_session(roster::engine::CreateSession {
                app_id: self.app_id,
                max_payload_bytes: 4096,
                owner: roster::engine::SessionOwner::Guest,
                ip: Some("203.0.113.5".parse().expect("an address")),
                user_agent: Some("bench/1.0".into()),
                lifetime: roster::engine::Lifetime::Policy,
                remember_me: false,
                payload: None,
                actor: "bench".into(),
                token_hash: None,
                enforce_session_limit: false,
            })
            .await
            .expect("a session");
        (created.id.to_string(), created.token.expect("a token").expose_secret().to_string())
    }

    /// A raw HTTP/1.1 request to this server.
    pub fn request(&self, head: &str, extra_headers: &[(&str, &str)], body: &str) -> Vec<u8> {
        let mut text = format!("{head} HTTP/1.1\r\nHost: {}\r\n", self.address);
        for (name, value) in extra_headers {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
        if !body.is_empty() {
            text.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        text.push_str("\r\n");
        text.push_str(body);
        text.into_bytes()
    }
}

/// Reads one HTTP/1.1 response with a Content-Length body; returns its status code.
pub async fn read_response(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> std::io::Result<u16> {
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

/// Answers counted by status (0: the connection failed) and each request's time.
#[derive(Default)]
pub struct Outcome {
    pub by_status: BTreeMap<u16, u64>,
    pub latencies_us: Vec<u32>,
}

impl Outcome {
    fn merge(&mut self, other: Outcome) {
        for (status, count) in other.by_status {
            *self.by_status.entry(status).or_default() += count;
        }
        self.latencies_us.extend(other.latencies_us);
    }

    pub fn count(&self, status: u16) -> u64 {
        self.by_status.get(&status).copied().unwrap_or(0)
    }

    pub fn total(&self) -> u64 {
        self.by_status.values().sum()
    }

    /// The latency at fraction `p` (0.5: the median), in milliseconds; `load` leaves the latencies sorted.
    pub fn percentile_ms(&self, p: f64) -> f64 {
        let index =
            ((self.latencies_us.len() as f64 * p) as usize).min(self.latencies_us.len().saturating_sub(1));
        self.latencies_us.get(index).copied().unwrap_or(0) as f64 / 1000.0
    }

    pub fn statuses(&self) -> String {
        let parts: Vec<String> =
            self.by_status.iter().map(|(status, count)| format!("{status}: {count}")).collect();
        parts.join(", ")
    }
}

/// Sends `requests` in turn on one connection until `until`, pausing `pace` after each answer.
async fn connection(
    address: SocketAddr,
    requests: Arc<Vec<Vec<u8>>>,
    offset: usize,
    until: Instant,
    pace: Duration,
) -> Outcome {
    let mut outcome = Outcome::default();
    let Ok(mut stream) = TcpStream::connect(address).await else {
        outcome.by_status.insert(0, 1);
        return outcome;
    };
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::with_capacity(16 * 1024);
    let mut next = offset;
    while Instant::now() < until {
        let started = Instant::now();
        let request = &requests[next % requests.len()];
        next += 1;
        let answered = match stream.write_all(request).await {
            Ok(()) => read_response(&mut stream, &mut buffer).await,
            Err(error) => Err(error),
        };
        let status = answered.as_ref().map_or(0, |status| *status);
        *outcome.by_status.entry(status).or_default() += 1;
        if answered.is_err() {
            break;
        }
        outcome.latencies_us.push(started.elapsed().as_micros().min(u32::MAX as u128) as u32);
        if !pace.is_zero() {
            tokio::time::sleep(pace).await;
        }
    }
    outcome
}

/// `connections` keep-alive connections sending `requests` for `seconds`; returns every answer and the
/// elapsed time.
pub async fn load(
    address: SocketAddr,
    requests: Vec<Vec<u8>>,
    connections: usize,
    seconds: u64,
) -> (Outcome, f64) {
    load_paced(address, requests, connections, seconds, Duration::ZERO).await
}

/// As `load`, each connection pausing `pace` after each answer: a steady client rather than a flood.
pub async fn load_paced(
    address: SocketAddr,
    requests: Vec<Vec<u8>>,
    connections: usize,
    seconds: u64,
    pace: Duration,
) -> (Outcome, f64) {
    let requests = Arc::new(requests);
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..connections)
        .map(|n| tokio::spawn(connection(address, requests.clone(), n * 7919, until, pace)))
        .collect();
    let mut outcome = Outcome::default();
    for worker in workers {
        if let Ok(one) = worker.await {
            outcome.merge(one);
        }
    }
    outcome.latencies_us.sort_unstable();
    (outcome, started.elapsed().as_secs_f64())
}

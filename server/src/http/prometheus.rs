//! `GET /metrics` in Prometheus's text format: requests by route and status, validation latency, validation
//! cache hits, and at each scrape the active sessions, open alarms and database pool. Counts and latencies
//! only: no id, token, address or email is ever a label.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::engine::Engine;

pub const VALIDATION_SECONDS: &str = "roster_validation_duration_seconds";
const REQUESTS: &str = "roster_http_requests_total";

/// Validations answer in microseconds from the cache and in milliseconds from the database.
const VALIDATION_BUCKETS: &[f64] =
    &[0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0];

/// The process's recorder, installed on first use. Every router in the process (tests build many) shares it:
/// the counters are the process's, as Prometheus expects of one scrape target.
fn recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(VALIDATION_SECONDS.into()), VALIDATION_BUCKETS)
            .expect("the validation buckets are not empty");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        // Only fails when another recorder is already installed; that one then receives the counts, and the
        // scrape still answers with what this one has.
        let _ = metrics::set_global_recorder(recorder);
        describe();
        handle
    })
}

/// The `# HELP` lines of the scrape.
fn describe() {
    metrics::describe_counter!(REQUESTS, "HTTP answers by route pattern and status");
    metrics::describe_histogram!(
        VALIDATION_SECONDS,
        metrics::Unit::Seconds,
        "Time to answer POST /api/v1/sessions/validate, refusals included"
    );
    metrics::describe_counter!(
        "roster_validation_cache_lookups_total",
        "Validation cache lookups by result (SQLite; the cache is off on PostgreSQL)"
    );
    metrics::describe_gauge!("roster_active_sessions", "Active sessions in the database, read at the scrape");
    metrics::describe_gauge!("roster_open_alarms", "Alarms not yet acknowledged, read at the scrape");
    metrics::describe_gauge!("roster_database_connections", "This node's database pool: open, idle and max");
}

/// The route a request matched, kept on its response for `count_requests` (which runs outside the router,
/// where the match is not known yet).
#[derive(Clone)]
struct RouteLabel(String);

/// A route layer: records the pattern (`/api/admin/sessions/{id}`), never the path, so ids do not become
/// labels.
pub async fn label_route(matched: Option<MatchedPath>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if let Some(matched) = matched {
        response.extensions_mut().insert(RouteLabel(matched.as_str().to_owned()));
    }
    response
}

/// The outermost layer: every answer, routed or not, is counted.
pub async fn count_requests(request: Request, next: Next) -> Response {
    let site_file = request.uri().path().starts_with("/pkg/");
    let response = next.run(request).await;
    let route = match response.extensions().get::<RouteLabel>() {
        Some(RouteLabel(route)) => route.clone(),
        None if site_file => "/pkg/{file}".to_owned(),
        None => "unmatched".to_owned(),
    };
    metrics::counter!(REQUESTS, "route" => route, "status" => response.status().as_u16().to_string())
        .increment(1);
    response
}

/// Times one validation into the latency histogram when dropped, whatever its outcome.
pub struct ValidationTimer(Instant);

impl ValidationTimer {
    pub fn start() -> ValidationTimer {
        ValidationTimer(Instant::now())
    }
}

impl Drop for ValidationTimer {
    fn drop(&mut self) {
        metrics::histogram!(VALIDATION_SECONDS).record(self.0.elapsed().as_secs_f64());
    }
}

pub async fn scrape(State(engine): State<Engine>) -> Response {
    let handle = recorder();
    // Gauges are read now, from this node's engine.
    match engine.count_active_sessions().await {
        Ok(active) => metrics::gauge!("roster_active_sessions").set(active as f64),
        Err(error) => tracing::warn!(%error, "metrics: could not count active sessions"),
    }
    match engine.count_alarms().await {
        Ok((open, _)) => metrics::gauge!("roster_open_alarms").set(open as f64),
        Err(error) => tracing::warn!(%error, "metrics: could not count alarms"),
    }
    let pool = engine.database_pool_use();
    metrics::gauge!("roster_database_connections", "state" => "open").set(f64::from(pool.open));
    metrics::gauge!("roster_database_connections", "state" => "idle").set(f64::from(pool.idle));
    metrics::gauge!("roster_database_connections", "state" => "max").set(f64::from(pool.max));
    handle.run_upkeep();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], handle.render()).into_response()
}

/// Installs the recorder before the first request is counted.
pub fn install() {
    recorder();
}

//! `roster serve`: builds the application and runs it until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::LeptosOptions;

use app::model::Role;

use crate::audit_checkpoints::AuditCheckpoints;
use crate::cli::ServeOptions;
use crate::clock::SystemClock;
use crate::engine::{spawn_expiry_sweep, Engine, RateLimits, SignInThrottle};
use crate::geo::{GeoDatabase, NetworkDatabase};
use crate::http::{router, ServerContext};
use crate::payload_keys::PayloadKeys;
use crate::storage::Storage;

/// How often counted validations are written, and how often expired sessions are swept. The console shows an
/// expiry within 2 s; a sweep with nothing due is one empty index range scan.
const ACTIVITY_FLUSH: Duration = Duration::from_secs(1);
/// How often Analytics' hourly rollup samples the active sessions.
const ACTIVE_HOURS: Duration = Duration::from_secs(60);
const EXPIRY_SWEEP: Duration = Duration::from_secs(1);
/// How often the refused anonymous calls of finished minutes are written to the audit log.
const REFUSAL_FLUSH: Duration = Duration::from_secs(20);

pub fn leptos_options(options: &ServeOptions) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("roster")
        .site_root(options.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(options.listen)
        .build()
}

/// How often the audit chain's latest record is signed into the checkpoint log.
const AUDIT_CHECKPOINT: Duration = Duration::from_secs(60);

pub async fn serve(
    storage: Storage,
    keys: PayloadKeys,
    checkpoints: Arc<AuditCheckpoints>,
    options: ServeOptions,
) -> Result<(), String> {
    if storage.count_users_with_role(Role::Owner.as_str()).await.unwrap_or(0) == 0 {
        tracing::warn!(
            "no owner yet: create one with `echo 'a long password' | roster create-owner --email you@example.com --password-stdin` \
             (or `make owner EMAIL=you@example.com`)"
        );
    }
    let geo = match &options.geoip_db {
        Some(path) => Some(Arc::new(GeoDatabase::open(path).map_err(|error| error.to_string())?)),
        None => None,
    };
    let mut engine = Engine::new(storage, keys, geo, Arc::new(SystemClock));
    engine.sign_in_throttle = SignInThrottle::new(options.sign_in_failures_per_minute);
    engine.rate_limits = RateLimits::new(options.rates());
    engine.checkpoints = Some(checkpoints);
    if let Some(path) = &options.geoip_network_db {
        engine.network = Some(Arc::new(NetworkDatabase::open(path).map_err(|error| error.to_string())?));
    }
    let policy = engine.policy().await.map_err(|error| error.to_string())?;
    engine.activity.spawn_flusher(ACTIVITY_FLUSH, policy.touch_interval_secs * 1000);
    engine.credential_use.spawn_flusher(ACTIVITY_FLUSH, engine.clock.clone());
    engine.spawn_event_relay();
    spawn_expiry_sweep(engine.clone(), EXPIRY_SWEEP);
    engine.spawn_active_hours(ACTIVE_HOURS);
    engine.spawn_refusal_flusher(REFUSAL_FLUSH);
    let checkpointing = engine.clone();
    crate::periodic::every(AUDIT_CHECKPOINT, move || {
        let engine = checkpointing.clone();
        async move {
            if let Err(error) = engine.checkpoint_audit().await {
                tracing::error!("could not sign an audit checkpoint: {error}");
            }
        }
    });
    let context = ServerContext {
        engine: engine.clone(),
        leptos_options: leptos_options(&options),
        secure_cookies: options.secure_cookies(),
        public_url: options.public_url.clone(),
    };
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .map_err(|error| format!("cannot listen on {}: {error}", options.listen))?;
    tracing::info!("Roster console at http://{}", options.listen);
    axum::serve(listener, router(context).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown({
            let events = engine.events.clone();
            async move {
                shutdown_signal().await;
                // Open consoles hold their event stream open; end them, or the shutdown waits for them.
                events.close();
            }
        })
        .await
        .map_err(|error| format!("the server stopped: {error}"))?;
    engine.leadership.step_down().await;
    // Counted validations and refusals are not lost on a clean stop.
    let _ = engine.activity.flush(policy.touch_interval_secs * 1000).await;
    let _ = engine.credential_use.flush(engine.now_ms()).await;
    let _ = engine.flush_anonymous_refusals(true).await;
    if let Err(error) = engine.checkpoint_audit().await {
        tracing::error!("could not sign the audit checkpoint at stop: {error}");
    }
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

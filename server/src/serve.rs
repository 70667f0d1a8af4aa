//! `roster serve`: builds the application and runs it until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::sync::Arc;

use leptos::prelude::LeptosOptions;

use app::model::Role;

use crate::cli::ServeOptions;
use crate::clock::SystemClock;
use crate::http::{router, ServerContext};
use crate::policy::SessionPolicy;
use crate::storage::Storage;

pub fn leptos_options(options: &ServeOptions) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("roster")
        .site_root(options.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(options.listen)
        .build()
}

pub async fn serve(storage: Storage, options: ServeOptions) -> std::io::Result<()> {
    if storage
        .count_users_with_role(Role::Owner.as_str())
        .await
        .unwrap_or(0)
        == 0
    {
        tracing::warn!(
            "no owner yet: create one with `echo 'a long password' | roster create-owner --email you@example.com --password-stdin` \
             (or `make owner EMAIL=you@example.com`)"
        );
    }
    let context = ServerContext {
        storage,
        clock: Arc::new(SystemClock),
        policy: SessionPolicy::default(),
        leptos_options: leptos_options(&options),
        secure_cookies: options.secure_cookies(),
    };
    let app = router(context);
    let listener = tokio::net::TcpListener::bind(options.listen).await?;
    tracing::info!("Roster console at http://{}", options.listen);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
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

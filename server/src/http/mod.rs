//! The axum application: console pages, server functions, and the layers around them.

pub mod api;
mod cross_site;
mod error_status;
mod events;
mod probes;
mod prometheus;
mod render_threads;
mod request_trace;
mod security_headers;

use axum::handler::Handler;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower_http::services::ServeDir;
use tower_sessions::cookie::SameSite;
use tower_sessions::SessionManagerLayer;

use app::{shell, App};

use crate::console::{Console, ConsoleSessionStore};
use crate::engine::Engine;
use crate::public_url::PublicUrl;

pub use cross_site::{refuse_cross_site, AllowedOrigin};
pub use error_status::status_from_console_error;

/// Everything the router needs, built once at start-up (or per test).
#[derive(Clone)]
pub struct ServerContext {
    pub engine: Engine,
    pub leptos_options: LeptosOptions,
    /// Secure cookies with the `__Host-` prefix; off only for plain local http.
    pub secure_cookies: bool,
    /// Where people reach Roster, when configured (`ROSTER_PUBLIC_URL`).
    pub public_url: Option<PublicUrl>,
}

/// The console's routes, listed once per process. Listing them renders the app with resource loading
/// suppressed by a process-wide flag (leptos-rs/leptos#4773): a page rendered on another thread meanwhile
/// would wait forever on its first resource. A server lists them before it serves; tests build many routers
/// while others render, so the list must never be made twice.
fn console_routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The site's files (the WASM, its chunks, the script and the style sheet), served directly; anything else is
/// the not-found page. Not Leptos's own file handler: it answers a file inside a reactive owner made under
/// whatever owner the thread last left current, so a file could take the status of another request rendered on
/// the same thread (a chunk answered 404 or 302, and the page never hydrated: seen in the end-to-end tests).
fn site_files<NotFound>(options: &LeptosOptions, not_found: NotFound) -> ServeDir<NotFound> {
    ServeDir::new(&*options.site_root)
        .precompressed_br()
        .precompressed_gzip()
        .call_fallback_on_method_not_allowed(true)
        .fallback(not_found)
}

pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        app::backend::session_keys::SECURE_COOKIE
    } else {
        app::backend::session_keys::COOKIE
    }
}

/// Probes and the metrics scrape: no session, no cookie, no cross-site check (nothing they answer changes).
fn operations_routes(engine: Engine) -> Router {
    use axum::routing::get;
    prometheus::install();
    Router::new()
        .route("/healthz", get(probes::alive))
        .route("/readyz", get(probes::ready))
        .route("/metrics", get(prometheus::scrape))
        .with_state(engine)
}

pub fn router(context: ServerContext) -> Router {
    let engine = context.engine.clone();
    let store = ConsoleSessionStore::new(engine.clone());
    let sessions = SessionManagerLayer::new(store)
        .with_name(cookie_name(context.secure_cookies))
        .with_secure(context.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        // The cookie is written only at sign-in, so a "Remember me" expiry is never overwritten; last-active
        // is kept by the store's `load`, which every request carrying the cookie goes through.
        .with_path("/");

    let options = context.leptos_options.clone();
    let console = Console::new(engine.clone());
    let provide_backend = {
        let backends = console.clone().provider();
        move || {
            backends();
            security_headers::send_page_policy();
        }
    };
    // The not-found page is the app too.
    let not_found = leptos_axum::file_and_error_handler_with_context(provide_backend.clone(), shell)
        .layer(axum::middleware::from_fn(render_threads::render_on_one_thread))
        .with_state(options.clone());
    let live = Router::new()
        .route(app::live::EVENTS_PATH, axum::routing::get(events::stream))
        .with_state(events::EventsState { engine: engine.clone(), console });
    let router = Router::new()
        .leptos_routes_with_context(&options, console_routes(), provide_backend, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .route_layer(axum::middleware::from_fn(render_threads::render_on_one_thread))
        .merge(live)
        .route_layer(sessions)
        .route_layer(axum::middleware::from_fn(status_from_console_error))
        .route_layer(axum::middleware::from_fn_with_state(
            AllowedOrigin(context.public_url.as_ref().map(|url| url.origin().to_owned())),
            refuse_cross_site,
        ))
        .fallback_service(site_files(&options, not_found))
        .with_state(options)
        .merge(api::routes(engine.clone()))
        .merge(operations_routes(engine))
        .route_layer(axum::middleware::from_fn(prometheus::label_route));
    let router = security_headers::with_security_headers(router, context.secure_cookies)
        .layer(axum::middleware::from_fn(prometheus::count_requests));
    request_trace::traced(router)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn every_page_in_the_route_table_has_a_route() {
        let routed: Vec<String> =
            super::console_routes().iter().map(|route| route.path().to_string()).collect();
        for page in app::routes::PAGES {
            assert!(
                routed.iter().any(|path| path == page.path),
                "{} has no route; routes: {routed:?}",
                page.path
            );
        }
    }
}

//! The HTTP API: `/api/v1` for apps (API keys), `/api/admin` for automation (admin tokens).

mod admin;
mod admin_alarms;
mod admin_audit;
mod admin_users;
mod create;
mod error;
mod extract;
mod holder;
mod view;

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, MethodRouter};
use axum::Router;

pub use error::ApiError;

use crate::engine::Engine;

/// JSON bodies larger than this are refused with 413 before they are parsed.
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Every API path with its handlers: the router is built from this list, and the hostile-input tests walk it,
/// so a new endpoint cannot be left out of them.
fn endpoints() -> Vec<(&'static str, MethodRouter<Engine>)> {
    vec![
        ("/api/v1/sessions", post(create::create_session)),
        ("/api/v1/sessions/validate", post(holder::validate)),
        ("/api/v1/sessions/current/payload", get(holder::read_payload).put(holder::replace_payload)),
        ("/api/v1/sessions/current", delete(holder::sign_out)),
        ("/api/v1/sessions/current/siblings", get(holder::list_siblings).delete(holder::sign_out_siblings)),
        ("/api/admin/sessions", get(admin::list_sessions).delete(admin::revoke_user_sessions)),
        ("/api/admin/sessions/{id}", delete(admin::revoke_session)),
        ("/api/admin/users", get(admin_users::list_users)),
        ("/api/admin/audit", get(admin_audit::follow_audit)),
        ("/api/admin/alarms", get(admin_alarms::list_alarms)),
        ("/api/admin/users/{id}/disable", post(admin_users::disable_user)),
        ("/api/admin/users/{id}/enable", post(admin_users::enable_user)),
    ]
}

/// The API's paths as routed (`{id}` where a path takes one).
pub fn paths() -> Vec<&'static str> {
    endpoints().into_iter().map(|(path, _)| path).collect()
}

pub fn routes(engine: Engine) -> Router {
    endpoints()
        .into_iter()
        .fold(Router::new(), |router, (path, methods)| router.route(path, methods))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(engine)
}

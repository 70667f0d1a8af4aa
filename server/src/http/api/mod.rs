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
use axum::routing::{delete, get, post};
use axum::Router;

pub use error::ApiError;

use crate::engine::Engine;

/// JSON bodies larger than this are refused with 413 before they are parsed.
const MAX_BODY_BYTES: usize = 1024 * 1024;

pub fn routes(engine: Engine) -> Router {
    Router::new()
        .route("/api/v1/sessions", post(create::create_session))
        .route("/api/v1/sessions/validate", post(holder::validate))
        .route("/api/v1/sessions/current/payload", get(holder::read_payload).put(holder::replace_payload))
        .route("/api/v1/sessions/current", delete(holder::sign_out))
        .route(
            "/api/v1/sessions/current/siblings",
            get(holder::list_siblings).delete(holder::sign_out_siblings),
        )
        .route("/api/admin/sessions", get(admin::list_sessions).delete(admin::revoke_user_sessions))
        .route("/api/admin/sessions/{id}", delete(admin::revoke_session))
        .route("/api/admin/users", get(admin_users::list_users))
        .route("/api/admin/audit", get(admin_audit::follow_audit))
        .route("/api/admin/alarms", get(admin_alarms::list_alarms))
        .route("/api/admin/users/{id}/disable", post(admin_users::disable_user))
        .route("/api/admin/users/{id}/enable", post(admin_users::enable_user))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(engine)
}

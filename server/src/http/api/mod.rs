//! The HTTP API: `/api/v1` for apps (API keys), `/api/admin` for automation (admin tokens), and its description
//! at `/api/openapi.json` (readable at `/api/docs`).

mod admin;
mod admin_alarms;
mod admin_audit;
mod admin_users;
mod create;
mod docs;
mod error;
mod extract;
mod holder;
mod view;

use std::sync::OnceLock;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use error::ApiError;

use crate::engine::Engine;

/// JSON bodies larger than this are refused with 413 before they are parsed.
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Every endpoint, routed and described from the same `#[utoipa::path]` annotation, so the description cannot
/// list a path that is not routed or miss one that is (and the hostile-input tests walk the same list).
fn documented() -> OpenApiRouter<Engine> {
    OpenApiRouter::with_openapi(docs::ApiDoc::openapi())
        .routes(routes!(create::create_session))
        .routes(routes!(holder::validate))
        .routes(routes!(holder::read_payload, holder::replace_payload))
        .routes(routes!(holder::sign_out))
        .routes(routes!(holder::list_siblings, holder::sign_out_siblings))
        .routes(routes!(admin::list_sessions, admin::revoke_user_sessions))
        .routes(routes!(admin::revoke_session))
        .routes(routes!(admin_users::list_users))
        .routes(routes!(admin_users::disable_user))
        .routes(routes!(admin_users::enable_user))
        .routes(routes!(admin_audit::follow_audit))
        .routes(routes!(admin_alarms::list_alarms))
}

/// The API's OpenAPI 3.1 description, made once.
pub fn description() -> &'static utoipa::openapi::OpenApi {
    static DESCRIPTION: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DESCRIPTION.get_or_init(|| documented().split_for_parts().1)
}

/// The API's paths as routed (`{id}` where a path takes one).
pub fn paths() -> Vec<String> {
    description().paths.paths.keys().cloned().collect()
}

pub fn routes(engine: Engine) -> Router {
    let (router, _) = documented().split_for_parts();
    router.layer(DefaultBodyLimit::max(MAX_BODY_BYTES)).with_state(engine).merge(docs::routes())
}

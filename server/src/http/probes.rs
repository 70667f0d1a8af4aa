//! What a load balancer or orchestrator asks: is the process up (`/healthz`), may it take traffic (`/readyz`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::engine::Engine;

/// `GET /healthz`: the process runs and answers.
pub async fn alive() -> &'static str {
    "ok"
}

/// `GET /readyz`: 200 when the database answers, else 503, so a balancer sends no traffic to a node that has
/// lost it (`/healthz` only says the process runs).
pub async fn ready(State(engine): State<Engine>) -> Response {
    match engine.database_answers().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(error) => {
            tracing::warn!(%error, "readyz: the database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "the database does not answer").into_response()
        }
    }
}

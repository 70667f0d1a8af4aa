//! Server functions answer every error with status 500 unless told otherwise. This layer gives a
//! `ConsoleError` reply the status its variant names (401, 403, 400, 429), including errors raised
//! before the function ran, such as a missing argument, so scripts and browsers see the real class of failure.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

use app::ConsoleError;

/// Error bodies are small; anything larger is not a `ConsoleError` and passes unchanged.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn status_from_console_error(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<ConsoleError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status()) {
            parts.status = status;
        }
        let retry_after_secs = match error {
            ConsoleError::Busy => Some(1),
            ConsoleError::LockedOut { minutes } => Some(minutes.max(1) * 60),
            _ => None,
        };
        if let Some(seconds) = retry_after_secs {
            parts.headers.insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

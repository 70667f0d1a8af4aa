//! The API's errors: `{"error": {"code": "...", "message": "..."}}` with the status the code names.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::engine::{EngineError, RateExceeded};
use crate::secrets::new_error_reference;
use crate::storage::StorageError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// For an ended session: why (`reason`, an end cause's code) and the admin's words when they chose to tell
    /// (`adminReason`), beside `code` and `message`.
    pub ending: Option<(&'static str, Option<String>)>,
    /// Seconds before a caller past its rate may come back (`Retry-After`).
    pub retry_after_seconds: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), ending: None, retry_after_seconds: None }
    }

    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", message)
    }

    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn too_many_requests(exceeded: RateExceeded, whose: &str) -> ApiError {
        let seconds = exceeded.retry_after_seconds();
        let mut error = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("{whose} has sent more requests than this node takes per second; retry in {seconds} s"),
        );
        error.retry_after_seconds = Some(seconds);
        error
    }

    /// Logs the cause under a reference; the caller sees only the reference.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        let reference = new_error_reference();
        tracing::error!(%reference, "{cause}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("Roster could not complete the request (reference {reference})"),
        )
    }
}

/// Every refusal's body.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetail {
    /// Stable, for programs: `invalid_request`, `unauthorized`, `session_invalid`, `session_expired`,
    /// `session_revoked`, `not_found`, `user_disabled`, `too_many_sessions`, `payload_too_large`, `refused`,
    /// `conflict`, `rate_limited`, `busy`, `internal`.
    code: &'static str,
    /// For people.
    message: String,
    /// Why an ended session ended (`idle_timeout`, `lifetime`, `payload_ttl`, `signed_out`, `ended_by_admin`,
    /// `user_disabled`).
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    /// The admin's words, when they chose to tell the user.
    #[serde(skip_serializing_if = "Option::is_none")]
    admin_reason: Option<String>,
}

/// The refusals every admin endpoint may answer, described once for all of them.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // Never built: it describes answers `ApiError` makes.
pub enum AdminRefusals {
    #[response(status = 400, description = "A parameter is malformed, out of range or unknown")]
    Invalid(ErrorBody),
    #[response(status = 401, description = "A missing or unknown admin token (audited)")]
    Unauthorized(ErrorBody),
    #[response(status = 429, description = "Past this token's rate; see `Retry-After`")]
    RateLimited(ErrorBody),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (reason, admin_reason) = match self.ending {
            Some((reason, admin_reason)) => (Some(reason), admin_reason),
            None => (None, None),
        };
        let body =
            ErrorBody { error: ErrorDetail { code: self.code, message: self.message, reason, admin_reason } };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after_seconds {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<EngineError> for ApiError {
    fn from(error: EngineError) -> ApiError {
        match error {
            EngineError::InvalidInput(message) => ApiError::invalid(message),
            EngineError::SessionNotFound => {
                ApiError::new(StatusCode::UNAUTHORIZED, "session_invalid", "the session token is not valid")
            }
            EngineError::SessionEnded(ending) => {
                let code = if ending.how == "expired" { "session_expired" } else { "session_revoked" };
                let mut error =
                    ApiError::new(StatusCode::UNAUTHORIZED, code, format!("the session has {}", ending.how));
                error.ending = ending.cause.map(|cause| (cause.as_str(), ending.shared_reason));
                error
            }
            error @ EngineError::PayloadTooLarge { .. } => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", error.to_string())
            }
            error @ EngineError::UserDisabled => {
                ApiError::new(StatusCode::FORBIDDEN, "user_disabled", error.to_string())
            }
            error @ (EngineError::UserNotFound | EngineError::NotFound(_)) => {
                ApiError::new(StatusCode::NOT_FOUND, "not_found", error.to_string())
            }
            EngineError::Refused(message) => ApiError::new(StatusCode::CONFLICT, "refused", message),
            error @ EngineError::TooManySessions(_) => {
                ApiError::new(StatusCode::CONFLICT, "too_many_sessions", error.to_string())
            }
            error @ EngineError::Storage(
                StorageError::SearchTooDeep(_) | StorageError::AuditSearchTooDeep(_),
            ) => ApiError::invalid(error.to_string()),
            EngineError::Storage(StorageError::AlreadyExists(what)) => {
                ApiError::new(StatusCode::CONFLICT, "conflict", format!("{what} already exists"))
            }
            error if error.is_busy() => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "Roster is busy with other writes; try again in a moment",
            ),
            other => ApiError::internal(other),
        }
    }
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> ApiError {
        EngineError::from(error).into()
    }
}

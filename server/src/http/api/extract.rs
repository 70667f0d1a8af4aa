//! Extractors that turn every malformed request into a clear 400 (or 401/413/415) in the API's error shape.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

use super::error::ApiError;
use crate::engine::{Actor, Engine};
use crate::secrets::sha256;
use crate::storage::AppRow;

/// A JSON body, with serde's own words for what is wrong in it.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with Content-Type: application/json",
            )),
            Err(JsonRejection::BytesRejection(rejection))
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "the request body is too large",
                ))
            }
            Err(rejection) => {
                Err(ApiError::invalid(format!("the JSON body is not valid: {}", rejection.body_text())))
            }
        }
    }
}

/// Query parameters, unknown ones refused.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| ApiQuery(value))
            .map_err(|rejection: QueryRejection| {
                ApiError::invalid(format!("the query string is not valid: {}", rejection.body_text()))
            })
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer "))?.trim();
    (!token.is_empty() && token.len() <= 200).then_some(token)
}

/// The app whose API key authenticates this request, within the key's rate for calls other than validations.
pub struct CallingApp(pub AppRow);

/// The app whose API key authenticates this validation, within the key's (much larger) validation rate.
pub struct ValidatingApp(pub AppRow);

async fn keyed_app(parts: &Parts, engine: &Engine) -> Result<AppRow, ApiError> {
    let Some(key) = bearer(parts) else {
        return Err(ApiError::unauthorized("send the app's API key as Authorization: Bearer <key>"));
    };
    match engine.app_by_key(key).await? {
        Some(keyed) => Ok(keyed.app.clone()),
        None => {
            tracing::warn!(path = %parts.uri.path(), "refused an unknown app API key");
            Err(ApiError::unauthorized("the API key is not valid"))
        }
    }
}

impl FromRequestParts<Engine> for CallingApp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, engine: &Engine) -> Result<Self, ApiError> {
        let app = keyed_app(parts, engine).await?;
        engine
            .rate_limits
            .app_call(app.id)
            .map_err(|exceeded| ApiError::too_many_requests(exceeded, "this API key"))?;
        Ok(CallingApp(app))
    }
}

impl FromRequestParts<Engine> for ValidatingApp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, engine: &Engine) -> Result<Self, ApiError> {
        let app = keyed_app(parts, engine).await?;
        engine
            .rate_limits
            .app_validation(app.id)
            .map_err(|exceeded| ApiError::too_many_requests(exceeded, "this API key"))?;
        Ok(ValidatingApp(app))
    }
}

/// An admin API token's holder. Refusals are audited: this API can end anyone's sessions.
pub struct CallingAdmin(pub Actor);

impl FromRequestParts<Engine> for CallingAdmin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, engine: &Engine) -> Result<Self, ApiError> {
        let found = match bearer(parts) {
            Some(token) => engine.admin_token(token).await?,
            None => None,
        };
        match found {
            Some(token) => {
                engine
                    .rate_limits
                    .admin_call(token.id)
                    .map_err(|exceeded| ApiError::too_many_requests(exceeded, "this admin token"))?;
                Ok(CallingAdmin(Actor::AdminToken { id: token.id, name: token.name }))
            }
            None => {
                let event = crate::storage::AuditEvent {
                    at_ms: engine.now_ms(),
                    actor: "anonymous".into(),
                    action: "access.refused",
                    target: Some(format!("{} {}", parts.method, parts.uri.path())),
                    reason: Some("missing or unknown admin token".into()),
                    ip: None,
                };
                engine.record_audit(&event).await?;
                Err(ApiError::unauthorized("send an admin token as Authorization: Bearer <token>"))
            }
        }
    }
}

/// How the API description names the header `HeldSession` reads.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct SessionTokenHeader {
    /// The session token the user holds (`rs_…`).
    #[param(rename = "X-Session-Token")]
    #[allow(dead_code)]
    x_session_token: String,
}

/// The session token an app passes for its user, in `X-Session-Token`.
pub struct HeldSession(pub Vec<u8>);

impl<S: Send + Sync> FromRequestParts<S> for HeldSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get("x-session-token")
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
            .filter(|token| !token.is_empty() && token.len() <= 200)
            .ok_or_else(|| ApiError::unauthorized("send the session token in the X-Session-Token header"))?;
        Ok(HeldSession(sha256(token.as_bytes())))
    }
}

/// A short text people will read (a reported page, a reason): trimmed, and refused rather than cut when longer
/// than `max_chars` or holding control characters. Absent or blank is None.
pub fn shown_text<'a>(
    field: &str,
    value: Option<&'a str>,
    max_chars: usize,
) -> Result<Option<&'a str>, ApiError> {
    let Some(text) = value.map(str::trim).filter(|text| !text.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > max_chars {
        return Err(ApiError::invalid(format!("{field} must be at most {max_chars} characters")));
    }
    if text.chars().any(char::is_control) {
        return Err(ApiError::invalid(format!("{field} must not contain control characters")));
    }
    Ok(Some(text))
}

//! `POST /api/v1/sessions`: an app creates a session for a user (by email or external id) or a guest.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, CallingApp};
use super::view::rfc3339;
use crate::engine::{CreateSession, Engine, Lifetime, SessionOwner};

/// Whose session (a user by email and/or this app's external id, or a guest), from where, for how long.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateRequest {
    /// Registers the user the first time it is seen (with `userName`).
    user_email: Option<String>,
    /// This app's own id for the user.
    user_external_id: Option<String>,
    user_name: Option<String>,
    /// A session that names no user.
    #[serde(default)]
    guest: bool,
    /// The user's IPv4 or IPv6 address.
    ip: Option<String>,
    user_agent: Option<String>,
    /// Kept encrypted, read back only by the session's holder.
    #[schema(value_type = Option<Object>)]
    payload: Option<Value>,
    /// A lifetime shorter than the workspace's.
    ttl_seconds: Option<i64>,
    /// No idle timeout or lifetime: ends only when revoked or signed out.
    #[serde(default)]
    durable: bool,
    #[serde(default)]
    remember_me: bool,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedSession {
    id: String,
    /// Shown only now: Roster keeps its SHA-256 alone.
    token: Option<String>,
    app_id: String,
    user_id: Option<i64>,
    created_at: String,
    expires_at: Option<String>,
    remember_me: bool,
    /// Why `rememberMe` is false when it was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    remember_me_ignored: Option<&'static str>,
}

fn bounded<'a>(value: &'a Option<String>, field: &str, max: usize) -> Result<Option<&'a str>, ApiError> {
    match value.as_deref().map(str::trim) {
        Some(text) if text.chars().count() > max => {
            Err(ApiError::invalid(format!("{field} must have at most {max} characters")))
        }
        Some("") => Err(ApiError::invalid(format!("{field} must not be empty"))),
        // NUL among them: PostgreSQL cannot store it, and no name, address or browser has one.
        Some(text) if text.chars().any(char::is_control) => {
            Err(ApiError::invalid(format!("{field} must not contain control characters")))
        }
        other => Ok(other),
    }
}

fn valid_email(email: &str) -> bool {
    email.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
        && !email.chars().any(char::is_whitespace)
}

/// Whose session the request asks for, checked; found or registered inside the transaction that creates it.
fn owner(request: &CreateRequest) -> Result<SessionOwner<'_>, ApiError> {
    let email = bounded(&request.user_email, "userEmail", 254)?;
    let external_id = bounded(&request.user_external_id, "userExternalId", 255)?;
    let name = bounded(&request.user_name, "userName", 200)?;
    if request.guest {
        if email.is_some() || external_id.is_some() {
            return Err(ApiError::invalid(
                "a guest session names no user: drop userEmail and userExternalId",
            ));
        }
        return Ok(SessionOwner::Guest);
    }
    if email.is_some_and(|email| !valid_email(email)) {
        return Err(ApiError::invalid("userEmail is not an email address"));
    }
    if email.is_none() && external_id.is_none() {
        return Err(ApiError::invalid("name the user with userEmail or userExternalId, or set guest: true"));
    }
    Ok(SessionOwner::Named { email, external_id, name })
}

#[utoipa::path(post, path = "/api/v1/sessions", summary = "Create a session for a user or a guest", tag = "sessions", security(("app_key" = [])),
    request_body = CreateRequest,
    responses(
        (status = 201, description = "Created; the token is in this answer only", body = CreatedSession),
        (status = 400, description = "A field is missing, malformed or too long", body = ErrorBody),
        (status = 401, description = "A bad API key", body = ErrorBody),
        (status = 403, description = "`user_disabled`", body = ErrorBody),
        (status = 409, description = "`too_many_sessions` past the per-user limit, or `conflict`", body = ErrorBody),
        (status = 413, description = "The payload is over the app's limit", body = ErrorBody),
        (status = 429, description = "Past this key's call rate; see `Retry-After`", body = ErrorBody),
    ))]
pub async fn create_session(
    State(engine): State<Engine>,
    CallingApp(app): CallingApp,
    ApiJson(request): ApiJson<CreateRequest>,
) -> Result<(StatusCode, Json<CreatedSession>), ApiError> {
    let ip = match bounded(&request.ip, "ip", 64)? {
        Some(text) => Some(text.parse().map_err(|_| ApiError::invalid("ip is not an IPv4 or IPv6 address"))?),
        None => None,
    };
    let user_agent = bounded(&request.user_agent, "userAgent", 1024)?.map(str::to_owned);
    let payload = match request.payload.clone() {
        None | Some(Value::Null) => None,
        Some(Value::Object(map)) => Some(map),
        Some(_) => return Err(ApiError::invalid("payload must be a JSON object")),
    };
    let lifetime = match (request.durable, request.ttl_seconds) {
        (true, Some(_)) => return Err(ApiError::invalid("a durable session has no ttlSeconds")),
        (true, None) => Lifetime::Durable,
        (false, Some(secs)) => Lifetime::Seconds(secs),
        (false, None) => Lifetime::Policy,
    };
    let created = engine
        .create_session(CreateSession {
            app_id: app.id,
            max_payload_bytes: app.max_payload_bytes,
            owner: owner(&request)?,
            ip,
            user_agent,
            lifetime,
            remember_me: request.remember_me,
            payload,
            actor: format!("app:{}", app.slug),
            token_hash: None,
            enforce_session_limit: true,
        })
        .await?;
    let remember_me_ignored = (request.remember_me && !created.remember_me)
        .then_some("this workspace does not allow Remember Me; the session has the normal lifetime");
    let body = CreatedSession {
        id: created.id.to_string(),
        token: created.token.as_ref().map(|token| token.expose_secret().to_owned()),
        app_id: app.slug.clone(),
        user_id: created.user_id,
        created_at: rfc3339(created.created_at_ms),
        expires_at: created.expires_at_ms.map(rfc3339),
        remember_me: created.remember_me,
        remember_me_ignored,
    };
    Ok((StatusCode::CREATED, Json(body)))
}

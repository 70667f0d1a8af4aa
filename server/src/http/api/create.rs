//! `POST /api/v1/sessions`: an app creates a session for a user (by email or external id) or a guest.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde_json::{json, Value};

use super::error::ApiError;
use super::extract::{ApiJson, CallingApp};
use super::view::rfc3339;
use crate::engine::{CreateSession, Engine, Lifetime, SessionOwner};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateRequest {
    user_email: Option<String>,
    user_external_id: Option<String>,
    user_name: Option<String>,
    #[serde(default)]
    guest: bool,
    ip: Option<String>,
    user_agent: Option<String>,
    payload: Option<Value>,
    ttl_seconds: Option<i64>,
    #[serde(default)]
    durable: bool,
    #[serde(default)]
    remember_me: bool,
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

pub async fn create_session(
    State(engine): State<Engine>,
    CallingApp(app): CallingApp,
    ApiJson(request): ApiJson<CreateRequest>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
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
    let token = created.token.as_ref().map(|token| token.expose_secret().to_owned());
    let asked_to_remember = request.remember_me;
    let mut body = json!({
        "id": created.id,
        "token": token,
        "appId": app.slug,
        "userId": created.user_id,
        "createdAt": rfc3339(created.created_at_ms),
        "expiresAt": created.expires_at_ms.map(rfc3339),
        "rememberMe": created.remember_me,
    });
    if asked_to_remember && !created.remember_me {
        body["rememberMeIgnored"] =
            json!("this workspace does not allow Remember Me; the session has the normal lifetime");
    }
    Ok((StatusCode::CREATED, Json(body)))
}

//! What an app does with a session its user holds: validate it, read or replace its payload, sign out.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use app::model::SessionStatus;

use super::error::ApiError;
use super::extract::{shown_text, ApiJson, CallingApp, HeldSession, ValidatingApp};
use super::view::SessionJson;
use crate::engine::{Actor, Engine};
use crate::http::prometheus::ValidationTimer;
use crate::secrets::sha256;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidateRequest {
    token: String,
    /// The page or action the user is on ("Dashboard"), kept as the session's last page.
    activity: Option<String>,
}

/// Reported pages longer than this are refused, not cut: the app should know it sent too much.
const MAX_ACTIVITY_CHARS: usize = 100;

/// The reported page: shown to people and written to exports.
fn reported_page(activity: &Option<String>) -> Result<Option<&str>, ApiError> {
    shown_text("activity", activity.as_deref(), MAX_ACTIVITY_CHARS)
}

pub async fn validate(
    State(engine): State<Engine>,
    ValidatingApp(app): ValidatingApp,
    ApiJson(request): ApiJson<ValidateRequest>,
) -> Result<Json<SessionJson>, ApiError> {
    if request.token.is_empty() || request.token.len() > 200 {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "session_invalid",
            "the session token is not valid",
        ));
    }
    let page = reported_page(&request.activity)?;
    let _timer = ValidationTimer::start();
    let session = engine.validate_reporting(&sha256(request.token.as_bytes()), app.id, page).await?;
    Ok(Json(SessionJson::from(session.as_ref())))
}

pub async fn read_payload(
    State(engine): State<Engine>,
    CallingApp(app): CallingApp,
    HeldSession(token_hash): HeldSession,
) -> Result<Json<Value>, ApiError> {
    let session = engine.live_session(&token_hash, Some(app.id)).await?;
    let payload = engine.open_payload(&session).await?;
    Ok(Json(json!({
        "payload": payload,
        "sizeBytes": session.payload_bytes,
        "maxSizeBytes": app.max_payload_bytes,
        "attributeCount": session.payload_attribute_count,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplacePayload {
    payload: Value,
}

pub async fn replace_payload(
    State(engine): State<Engine>,
    CallingApp(app): CallingApp,
    HeldSession(token_hash): HeldSession,
    ApiJson(request): ApiJson<ReplacePayload>,
) -> Result<Json<Value>, ApiError> {
    let Value::Object(payload) = request.payload else {
        return Err(ApiError::invalid("payload must be a JSON object"));
    };
    let session = engine.live_session(&token_hash, Some(app.id)).await?;
    let (size, count) = engine
        .replace_payload(&session, &payload, app.max_payload_bytes, format!("app:{}", app.slug))
        .await?;
    Ok(Json(json!({ "sizeBytes": size, "maxSizeBytes": app.max_payload_bytes, "attributeCount": count })))
}

pub async fn sign_out(
    State(engine): State<Engine>,
    CallingApp(app): CallingApp,
    HeldSession(token_hash): HeldSession,
) -> Result<StatusCode, ApiError> {
    let session = engine.live_session(&token_hash, Some(app.id)).await?;
    engine
        .end_session(
            &session.id,
            Actor::Holder { user_id: session.user_id },
            SessionStatus::Revoked,
            "signed out",
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One of the holder's sessions, for an app's own "your devices" page: the session's fields and whether it is
/// the one asking. Never a token.
#[derive(Serialize)]
pub struct SiblingJson {
    #[serde(flatten)]
    session: SessionJson,
    current: bool,
}

/// The holder's own active sessions in the calling app, theirs alone (a guest sees only the one it holds).
pub async fn list_siblings(
    State(engine): State<Engine>,
    CallingApp(app): CallingApp,
    HeldSession(token_hash): HeldSession,
) -> Result<Json<Value>, ApiError> {
    let held = engine.live_session(&token_hash, Some(app.id)).await?;
    let rows = match held.user_id {
        Some(user_id) => engine.active_sessions_of_user(user_id, Some(app.id)).await?,
        None => vec![held.as_ref().clone()],
    };
    let sessions: Vec<SiblingJson> = rows
        .iter()
        .map(|row| SiblingJson { session: SessionJson::from(row), current: row.id == held.id })
        .collect();
    Ok(Json(json!({ "sessions": sessions })))
}

/// The holder signs out every other session of theirs in the calling app; answers how many ended.
pub async fn sign_out_siblings(
    State(engine): State<Engine>,
    CallingApp(app): CallingApp,
    HeldSession(token_hash): HeldSession,
) -> Result<Json<Value>, ApiError> {
    let held = engine.live_session(&token_hash, Some(app.id)).await?;
    let ended = engine.sign_out_other_sessions(&held, Some(app.id)).await?;
    Ok(Json(json!({ "signedOut": ended.len() })))
}

//! What an app does with a session its user holds: validate it, read or replace its payload, sign out.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use app::model::SessionStatus;

use super::error::{ApiError, ErrorBody};
use super::extract::{shown_text, ApiJson, CallingApp, HeldSession, SessionTokenHeader, ValidatingApp};
use super::view::SessionJson;
use crate::engine::{Actor, Engine};
use crate::http::prometheus::ValidationTimer;
use crate::secrets::sha256;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidateRequest {
    /// The session token the user presented (`rs_…`).
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

#[utoipa::path(post, path = "/api/v1/sessions/validate", summary = "Validate a session token", tag = "sessions", security(("app_key" = [])),
    request_body = ValidateRequest,
    responses(
        (status = 200, description = "The session is live; what it is", body = SessionJson),
        (status = 401, description = "`session_invalid`, `session_expired` or `session_revoked` (with `reason`), or a bad API key", body = ErrorBody),
        (status = 429, description = "Past this key's validation rate; see `Retry-After`", body = ErrorBody),
    ))]
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

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PayloadJson {
    /// The session's payload (`{}` when it has none).
    #[schema(value_type = Object)]
    payload: Value,
    #[serde(flatten)]
    size: PayloadSize,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PayloadSize {
    /// Bytes of the payload's JSON.
    size_bytes: i64,
    /// The app's limit.
    max_size_bytes: i64,
    attribute_count: i64,
}

#[utoipa::path(get, path = "/api/v1/sessions/current/payload", summary = "Read the held session's payload", tag = "sessions", security(("app_key" = [])),
    params(SessionTokenHeader),
    responses(
        (status = 200, description = "The payload, decrypted for its holder", body = PayloadJson),
        (status = 401, description = "The session is not live, or a bad API key", body = ErrorBody),
    ))]
pub async fn read_payload(
    State(engine): State<Engine>,
    CallingApp(app): CallingApp,
    HeldSession(token_hash): HeldSession,
) -> Result<Json<PayloadJson>, ApiError> {
    let session = engine.live_session(&token_hash, Some(app.id)).await?;
    let payload = engine.open_payload(&session).await?;
    Ok(Json(PayloadJson {
        payload: Value::Object(payload),
        size: PayloadSize {
            size_bytes: session.payload_bytes,
            max_size_bytes: app.max_payload_bytes,
            attribute_count: session.payload_attribute_count,
        },
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplacePayload {
    /// The new payload, whole: a JSON object within the app's size limit.
    #[schema(value_type = Object)]
    payload: Value,
}

#[utoipa::path(put, path = "/api/v1/sessions/current/payload", summary = "Replace the held session's payload", tag = "sessions", security(("app_key" = [])),
    params(SessionTokenHeader), request_body = ReplacePayload,
    responses(
        (status = 200, description = "Written, encrypted", body = PayloadSize),
        (status = 400, description = "Not a JSON object", body = ErrorBody),
        (status = 401, description = "The session is not live, or a bad API key", body = ErrorBody),
        (status = 413, description = "Over the app's payload limit", body = ErrorBody),
    ))]
pub async fn replace_payload(
    State(engine): State<Engine>,
    CallingApp(app): CallingApp,
    HeldSession(token_hash): HeldSession,
    ApiJson(request): ApiJson<ReplacePayload>,
) -> Result<Json<PayloadSize>, ApiError> {
    let Value::Object(payload) = request.payload else {
        return Err(ApiError::invalid("payload must be a JSON object"));
    };
    let session = engine.live_session(&token_hash, Some(app.id)).await?;
    let (size, count) = engine
        .replace_payload(&session, &payload, app.max_payload_bytes, format!("app:{}", app.slug))
        .await?;
    Ok(Json(PayloadSize { size_bytes: size, max_size_bytes: app.max_payload_bytes, attribute_count: count }))
}

#[utoipa::path(delete, path = "/api/v1/sessions/current", summary = "Sign the holder out", tag = "sessions", security(("app_key" = [])),
    params(SessionTokenHeader),
    responses(
        (status = 204, description = "The holder is signed out: the session is revoked"),
        (status = 401, description = "The session is not live, or a bad API key", body = ErrorBody),
    ))]
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
#[derive(Serialize, ToSchema)]
pub struct SiblingJson {
    #[serde(flatten)]
    session: SessionJson,
    /// The session that asked.
    current: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Siblings {
    sessions: Vec<SiblingJson>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignedOut {
    /// How many of the holder's other sessions ended.
    signed_out: usize,
}

/// The holder's own active sessions in the calling app, theirs alone (a guest sees only the one it holds).
#[utoipa::path(get, path = "/api/v1/sessions/current/siblings", summary = "List the holder's sessions in this app", tag = "sessions", security(("app_key" = [])),
    params(SessionTokenHeader),
    responses(
        (status = 200, description = "The holder's active sessions in this app, never a token", body = Siblings),
        (status = 401, description = "The session is not live, or a bad API key", body = ErrorBody),
    ))]
pub async fn list_siblings(
    State(engine): State<Engine>,
    CallingApp(app): CallingApp,
    HeldSession(token_hash): HeldSession,
) -> Result<Json<Siblings>, ApiError> {
    let held = engine.live_session(&token_hash, Some(app.id)).await?;
    let rows = match held.user_id {
        Some(user_id) => engine.active_sessions_of_user(user_id, Some(app.id)).await?,
        None => vec![held.as_ref().clone()],
    };
    let sessions: Vec<SiblingJson> = rows
        .iter()
        .map(|row| SiblingJson { session: SessionJson::from(row), current: row.id == held.id })
        .collect();
    Ok(Json(Siblings { sessions }))
}

/// The holder signs out every other session of theirs in the calling app; answers how many ended.
#[utoipa::path(delete, path = "/api/v1/sessions/current/siblings", summary = "Sign the holder out of their other sessions in this app", tag = "sessions", security(("app_key" = [])),
    params(SessionTokenHeader),
    responses(
        (status = 200, description = "The holder's other sessions in this app ended; the caller's stays", body = SignedOut),
        (status = 401, description = "The session is not live, or a bad API key", body = ErrorBody),
    ))]
pub async fn sign_out_siblings(
    State(engine): State<Engine>,
    CallingApp(app): CallingApp,
    HeldSession(token_hash): HeldSession,
) -> Result<Json<SignedOut>, ApiError> {
    let held = engine.live_session(&token_hash, Some(app.id)).await?;
    let ended = engine.sign_out_other_sessions(&held, Some(app.id)).await?;
    Ok(Json(SignedOut { signed_out: ended.len() }))
}

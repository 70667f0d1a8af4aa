//! The admin API, for automation holding an admin token: list sessions, revoke one, revoke a user's.

use app::model::SessionId;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{AdminRefusals, ApiError, ErrorBody};
use super::extract::{shown_text, ApiQuery, CallingAdmin};
use super::view::SessionJson;
use crate::engine::Engine;
use crate::storage::{ListQuery as StorageQuery, SortColumn};
use app::model::SessionStatus;
use app::session_query::MAX_SEARCH_CHARS;
use app::team::MAX_REASON_CHARS;

const MAX_LIMIT: i64 = 500;
const MAX_OFFSET: i64 = 10_000_000;

/// Query parameters arrive as text and are checked by hand, so a bad one is a 400 naming it.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 1–500, default 50.
    limit: Option<String>,
    /// 0–10,000,000, default 0.
    offset: Option<String>,
    /// `active`, `expired`, `revoked` or `all` (the default).
    status: Option<String>,
    /// An app's id.
    app: Option<String>,
    /// Searches emails, external ids, addresses and devices.
    q: Option<String>,
}

/// One page of anything the admin API lists, newest first unless said otherwise.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    items: Vec<T>,
    total: i64,
    /// False when a search matched more than it counts: `total` is then a lower bound.
    total_is_exact: bool,
    limit: i64,
    offset: i64,
}

impl<T> Page<T> {
    pub(super) fn new(items: Vec<T>, total: i64, total_is_exact: bool, limit: i64, offset: i64) -> Page<T> {
        Page { items, total, total_is_exact, limit, offset }
    }
}

/// `q`, trimmed: None when absent or blank; refused past `MAX_SEARCH_CHARS`.
pub(super) fn search_param(q: Option<&str>) -> Result<Option<&str>, ApiError> {
    match q.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) if text.chars().count() <= MAX_SEARCH_CHARS => Ok(Some(text)),
        Some(_) => Err(ApiError::invalid(format!("q must have at most {MAX_SEARCH_CHARS} characters"))),
    }
}

/// `true` or `false`; absent is false.
pub(super) fn flag(name: &str, value: Option<&str>) -> Result<bool, ApiError> {
    match value {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(ApiError::invalid(format!("{name} must be true or false"))),
    }
}

pub(super) fn number(
    value: Option<&str>,
    name: &str,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, ApiError> {
    let Some(text) = value else {
        return Ok(default);
    };
    text.parse::<i64>().ok().filter(|n| range.contains(n)).ok_or_else(|| {
        ApiError::invalid(format!("{name} must be a whole number from {} to {}", range.start(), range.end()))
    })
}

#[utoipa::path(get, path = "/api/admin/sessions", summary = "List sessions", tag = "admin", security(("admin_token" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "One page of sessions, newest first", body = Page<SessionJson>),
        AdminRefusals,
    ))]
pub async fn list_sessions(
    State(engine): State<Engine>,
    CallingAdmin(_admin): CallingAdmin,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<Page<SessionJson>>, ApiError> {
    let limit = number(query.limit.as_deref(), "limit", 50, 1..=MAX_LIMIT)?;
    let offset = number(query.offset.as_deref(), "offset", 0, 0..=MAX_OFFSET)?;
    let status = match query.status.as_deref() {
        None | Some("") | Some("all") => None,
        Some(status @ ("active" | "expired" | "revoked")) => Some(status.to_string()),
        Some(_) => return Err(ApiError::invalid("status must be active, expired, revoked or all")),
    };
    let app_slug = match query.app.as_deref() {
        None | Some("") => None,
        Some(slug) if slug.len() <= 64 => Some(slug.to_string()),
        Some(_) => return Err(ApiError::invalid("app must have at most 64 characters")),
    };
    let search = search_param(query.q.as_deref())?;
    let page = engine
        .list_sessions(&StorageQuery {
            status: status.as_deref(),
            app_slug: app_slug.as_deref(),
            search,
            sort: SortColumn::Created,
            descending: true,
            limit,
            offset,
        })
        .await?;
    let items: Vec<SessionJson> = page.rows.iter().map(SessionJson::from).collect();
    Ok(Json(Page::new(items, page.total, page.total_is_exact, limit, offset)))
}

fn session_id(text: &str) -> Result<SessionId, ApiError> {
    SessionId::parse(text)
        .ok_or_else(|| ApiError::invalid("a session id is 32 lowercase hexadecimal characters"))
}

#[derive(Serialize, ToSchema)]
pub struct RevokedSession {
    id: String,
    /// False when it had already ended.
    revoked: bool,
    /// Its status now.
    #[schema(value_type = String)]
    status: SessionStatus,
}

#[utoipa::path(delete, path = "/api/admin/sessions/{id}", summary = "Revoke one session", tag = "admin", security(("admin_token" = [])),
    params(("id" = String, Path, description = "The session's id: 32 lowercase hexadecimal characters"), ReasonQuery),
    responses(
        (status = 200, description = "Revoked (or already ended); refused on its next validation on every node", body = RevokedSession),
        AdminRefusals,
        (status = 404, description = "No session has this id", body = ErrorBody),
    ))]
pub async fn revoke_session(
    State(engine): State<Engine>,
    CallingAdmin(admin): CallingAdmin,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<ReasonQuery>,
) -> Result<Json<RevokedSession>, ApiError> {
    let id = session_id(&id)?;
    let reason = admin_reason(&query.reason)?;
    let Some(session) = engine.session_by_id(&id).await? else {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "not_found", "no session has this id"));
    };
    let revoked = engine.end_session(&session.id, admin, SessionStatus::Revoked, reason).await?;
    let status = if revoked { SessionStatus::Revoked } else { session.status };
    Ok(Json(RevokedSession { id: session.id.to_string(), revoked, status }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct RevokeUserQuery {
    /// The user whose every session ends.
    user_id: Option<String>,
    /// Kept on each ended session and in the audit event (≤ 500 characters).
    reason: Option<String>,
    /// `true`: the user's sign-in page shows the reason.
    tell_user: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReasonQuery {
    /// Kept on the ended session and in the audit event (≤ 500 characters).
    reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RevokedUserSessions {
    user_id: i64,
    revoked: usize,
    /// The sessions that ended.
    ids: Vec<String>,
}

/// Why an admin ends sessions: kept on each ended session and in the audit event. Optional, but a `reason=`
/// given blank is a mistake worth saying.
const DEFAULT_REASON: &str = "revoked through the admin API";

pub(super) fn admin_reason(reason: &Option<String>) -> Result<&str, ApiError> {
    admin_reason_or(reason, DEFAULT_REASON)
}

/// The reason given, or `default` when none was.
pub(super) fn admin_reason_or<'a>(reason: &'a Option<String>, default: &'a str) -> Result<&'a str, ApiError> {
    match shown_text("reason", reason.as_deref(), MAX_REASON_CHARS)? {
        Some(reason) => Ok(reason),
        None if reason.is_some() => Err(ApiError::invalid("reason must not be empty; leave it out for none")),
        None => Ok(default),
    }
}

#[utoipa::path(delete, path = "/api/admin/sessions", summary = "Revoke every session of a user", tag = "admin", security(("admin_token" = [])),
    params(RevokeUserQuery),
    responses(
        (status = 200, description = "Every active session of the user ended", body = RevokedUserSessions),
        AdminRefusals,
        (status = 404, description = "No user has this id", body = ErrorBody),
    ))]
pub async fn revoke_user_sessions(
    State(engine): State<Engine>,
    CallingAdmin(admin): CallingAdmin,
    ApiQuery(query): ApiQuery<RevokeUserQuery>,
) -> Result<Json<RevokedUserSessions>, ApiError> {
    let user_id = query
        .user_id
        .as_deref()
        .and_then(|text| text.parse::<i64>().ok())
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::invalid("userId must be a user's numeric id"))?;
    let reason = admin_reason(&query.reason)?;
    if engine.user_by_id(user_id).await?.is_none() {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "not_found", "no user has this id"));
    }
    let tell_user = flag("tellUser", query.tell_user.as_deref())?;
    let ended = engine.revoke_user_sessions(user_id, admin, reason, tell_user).await?;
    Ok(Json(RevokedUserSessions { user_id, revoked: ended.len(), ids: ended }))
}

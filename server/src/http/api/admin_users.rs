//! The admin API's users: the list with session counts, and disabling or enabling one.

use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::admin::{admin_reason_or, flag, number, search_param, Page};
use super::error::{AdminRefusals, ApiError, ErrorBody};
use super::extract::{ApiQuery, CallingAdmin};
use super::view::rfc3339;
use crate::engine::Engine;
use crate::storage::{UserListQuery, UserSortColumn, UserSummaryRow};

const MAX_LIMIT: i64 = 500;
const MAX_OFFSET: i64 = 10_000_000;
const DEFAULT_DISABLE_REASON: &str = "disabled through the admin API";

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UsersQuery {
    /// 1–500, default 50.
    limit: Option<String>,
    /// 0–10,000,000, default 0.
    offset: Option<String>,
    /// Searches names and emails.
    q: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserJson {
    id: i64,
    email: String,
    name: String,
    /// `owner`, `admin`, `billing_manager` or `member`.
    role: &'static str,
    disabled: bool,
    active_sessions: i64,
    last_active_at: Option<String>,
    total_sessions: i64,
}

impl From<UserSummaryRow> for UserJson {
    fn from(row: UserSummaryRow) -> UserJson {
        UserJson {
            id: row.id,
            email: row.email,
            name: row.display_name,
            role: row.role.as_str(),
            disabled: row.disabled != 0,
            active_sessions: row.active_sessions,
            last_active_at: (row.last_active_at > 0).then(|| rfc3339(row.last_active_at)),
            total_sessions: row.total_sessions,
        }
    }
}

#[utoipa::path(get, path = "/api/admin/users", summary = "List users with their session counts", tag = "admin", security(("admin_token" = [])),
    params(UsersQuery),
    responses(
        (status = 200, description = "One page of users by email, with their session counts", body = Page<UserJson>),
        AdminRefusals,
    ))]
pub async fn list_users(
    State(engine): State<Engine>,
    CallingAdmin(_admin): CallingAdmin,
    ApiQuery(query): ApiQuery<UsersQuery>,
) -> Result<Json<Page<UserJson>>, ApiError> {
    let limit = number(query.limit.as_deref(), "limit", 50, 1..=MAX_LIMIT)?;
    let offset = number(query.offset.as_deref(), "offset", 0, 0..=MAX_OFFSET)?;
    let search = search_param(query.q.as_deref())?.map(str::to_lowercase);
    let page = engine
        .list_users(&UserListQuery {
            search: search.as_deref(),
            sort: UserSortColumn::Email,
            descending: false,
            limit,
            offset,
        })
        .await?;
    let items: Vec<UserJson> = page.rows.into_iter().map(UserJson::from).collect();
    Ok(Json(Page::new(items, page.total, page.total_is_exact, limit, offset)))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DisableQuery {
    /// Kept on each ended session and in the audit event (≤ 500 characters).
    reason: Option<String>,
    /// `true`: the user's sign-in page shows the reason.
    tell_user: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoQuery {}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserAccess {
    user_id: i64,
    disabled: bool,
    /// Sessions ended by the disabling.
    #[serde(skip_serializing_if = "Option::is_none")]
    revoked: Option<usize>,
}

fn user_id(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::invalid("a user id is a positive whole number"))
}

/// Disables a user: every session ends at once (each with the reason), and new ones are refused.
#[utoipa::path(post, path = "/api/admin/users/{id}/disable", summary = "Disable a user, ending every session", tag = "admin", security(("admin_token" = [])),
    params(("id" = i64, Path, description = "The user's id"), DisableQuery),
    responses(
        (status = 200, description = "Disabled; every session ended", body = UserAccess),
        AdminRefusals,
        (status = 404, description = "No user has this id", body = ErrorBody),
        (status = 409, description = "`refused`: the last enabled owner", body = ErrorBody),
    ))]
pub async fn disable_user(
    State(engine): State<Engine>,
    CallingAdmin(admin): CallingAdmin,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<DisableQuery>,
) -> Result<Json<UserAccess>, ApiError> {
    let id = user_id(&id)?;
    let reason = admin_reason_or(&query.reason, DEFAULT_DISABLE_REASON)?;
    let tell_user = flag("tellUser", query.tell_user.as_deref())?;
    let ended = engine.disable_user(id, admin, reason, tell_user).await?;
    Ok(Json(UserAccess { user_id: id, disabled: true, revoked: Some(ended) }))
}

#[utoipa::path(post, path = "/api/admin/users/{id}/enable", summary = "Enable a user", tag = "admin", security(("admin_token" = [])),
    params(("id" = i64, Path, description = "The user's id")),
    responses(
        (status = 200, description = "Enabled: the user may sign in and be given sessions again", body = UserAccess),
        AdminRefusals,
        (status = 404, description = "No user has this id", body = ErrorBody),
    ))]
pub async fn enable_user(
    State(engine): State<Engine>,
    CallingAdmin(admin): CallingAdmin,
    Path(id): Path<String>,
    ApiQuery(_query): ApiQuery<NoQuery>,
) -> Result<Json<UserAccess>, ApiError> {
    let id = user_id(&id)?;
    engine.enable_user(id, admin).await?;
    Ok(Json(UserAccess { user_id: id, disabled: false, revoked: None }))
}

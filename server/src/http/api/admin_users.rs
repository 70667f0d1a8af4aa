//! The admin API's users: the list with session counts, and disabling or enabling one.

use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::admin::{admin_reason_or, flag, number, search_param};
use super::error::ApiError;
use super::extract::{ApiQuery, CallingAdmin};
use super::view::rfc3339;
use crate::engine::Engine;
use crate::storage::{UserListQuery, UserSortColumn, UserSummaryRow};

const MAX_LIMIT: i64 = 500;
const MAX_OFFSET: i64 = 10_000_000;
const DEFAULT_DISABLE_REASON: &str = "disabled through the admin API";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsersQuery {
    limit: Option<String>,
    offset: Option<String>,
    q: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserJson {
    id: i64,
    email: String,
    name: String,
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

pub async fn list_users(
    State(engine): State<Engine>,
    CallingAdmin(_admin): CallingAdmin,
    ApiQuery(query): ApiQuery<UsersQuery>,
) -> Result<Json<Value>, ApiError> {
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
    Ok(Json(json!({
        "items": items,
        "total": page.total,
        "totalIsExact": page.total_is_exact,
        "limit": limit,
        "offset": offset,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
pub struct DisableQuery {
    reason: Option<String>,
    tell_user: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoQuery {}

fn user_id(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::invalid("a user id is a positive whole number"))
}

/// Disables a user: every session ends at once (each with the reason), and new ones are refused.
pub async fn disable_user(
    State(engine): State<Engine>,
    CallingAdmin(admin): CallingAdmin,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<DisableQuery>,
) -> Result<Json<Value>, ApiError> {
    let id = user_id(&id)?;
    let reason = admin_reason_or(&query.reason, DEFAULT_DISABLE_REASON)?;
    let tell_user = flag("tellUser", query.tell_user.as_deref())?;
    let ended = engine.disable_user(id, admin, reason, tell_user).await?;
    Ok(Json(json!({ "userId": id, "disabled": true, "revoked": ended })))
}

pub async fn enable_user(
    State(engine): State<Engine>,
    CallingAdmin(admin): CallingAdmin,
    Path(id): Path<String>,
    ApiQuery(_query): ApiQuery<NoQuery>,
) -> Result<Json<Value>, ApiError> {
    let id = user_id(&id)?;
    engine.enable_user(id, admin).await?;
    Ok(Json(json!({ "userId": id, "disabled": false })))
}

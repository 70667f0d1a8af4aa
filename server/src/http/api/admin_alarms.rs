//! The admin API's alarms: open ones, or all, newest first, for automation that pages someone.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::admin::number;
use super::error::{AdminRefusals, ApiError};
use super::extract::{ApiQuery, CallingAdmin};
use super::view::rfc3339;
use crate::engine::Engine;
use crate::storage::AlarmRow;

const MAX_LIMIT: i64 = 500;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AlarmsQuery {
    /// `open` or `all` (the default).
    state: Option<String>,
    /// 1–500, default 100.
    limit: Option<String>,
    offset: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AlarmJson {
    id: i64,
    kind: String,
    user_id: Option<i64>,
    subject: String,
    detail: String,
    first_seen_at: String,
    last_seen_at: String,
    count: i64,
    state: String,
    acknowledged_by: Option<String>,
    acknowledged_at: Option<String>,
}

impl From<AlarmRow> for AlarmJson {
    fn from(row: AlarmRow) -> AlarmJson {
        AlarmJson {
            id: row.id,
            kind: row.kind,
            user_id: row.user_id,
            subject: row.subject,
            detail: row.detail,
            first_seen_at: rfc3339(row.first_seen_at),
            last_seen_at: rfc3339(row.last_seen_at),
            count: row.times,
            state: row.state,
            acknowledged_by: row.acknowledged_by_email,
            acknowledged_at: row.acknowledged_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AlarmList {
    items: Vec<AlarmJson>,
    open: i64,
    total: i64,
}

#[utoipa::path(get, path = "/api/admin/alarms", summary = "List alarms", tag = "admin", security(("admin_token" = [])),
    params(AlarmsQuery),
    responses(
        (status = 200, description = "Alarms, open first, newest first, with the open and total counts", body = AlarmList),
        AdminRefusals,
    ))]
pub async fn list_alarms(
    State(engine): State<Engine>,
    CallingAdmin(_admin): CallingAdmin,
    ApiQuery(query): ApiQuery<AlarmsQuery>,
) -> Result<Json<AlarmList>, ApiError> {
    let open_only = match query.state.as_deref() {
        None | Some("all") => false,
        Some("open") => true,
        Some(other) => return Err(ApiError::invalid(format!("state must be open or all, not {other:?}"))),
    };
    let limit = number(query.limit.as_deref(), "limit", 100, 1..=MAX_LIMIT)?;
    let offset = number(query.offset.as_deref(), "offset", 0, 0..=10_000_000)?;
    let rows = engine.list_alarms(open_only, limit, offset).await?;
    let (open, total) = engine.count_alarms().await?;
    Ok(Json(AlarmList { items: rows.into_iter().map(AlarmJson::from).collect(), open, total }))
}

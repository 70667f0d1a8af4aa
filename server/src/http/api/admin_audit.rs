//! The admin API's audit feed: records in chain order after a sequence number, with their hashes, so a SIEM
//! can follow the log and check the chain itself.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::admin::number;
use super::error::{AdminRefusals, ApiError};
use super::extract::{ApiQuery, CallingAdmin};
use super::view::rfc3339;
use crate::engine::Engine;
use crate::storage::AuditRecord;

const MAX_LIMIT: i64 = 1_000;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditFeedQuery {
    /// The sequence number to follow on from (the last answer's `next`), default 0.
    after: Option<String>,
    /// 1–1,000, default 100.
    limit: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordJson {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    target: Option<String>,
    reason: Option<String>,
    ip: Option<String>,
    /// The hash before this record's, hex: check it against the previous record's `hash`.
    prev_hash: String,
    hash: String,
}

impl From<AuditRecord> for RecordJson {
    fn from(record: AuditRecord) -> RecordJson {
        RecordJson {
            seq: record.seq,
            at: rfc3339(record.at),
            actor: record.actor,
            action: record.action,
            target: record.target,
            reason: record.reason,
            ip: record.ip,
            prev_hash: hex::encode(record.prev_hash),
            hash: hex::encode(record.hash),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AuditFeed {
    items: Vec<RecordJson>,
    /// The `after` of the next request: the last record's sequence number, or this request's `after` when no
    /// record followed it yet.
    next: i64,
}

#[utoipa::path(get, path = "/api/admin/audit", summary = "Follow the audit log", tag = "admin", security(("admin_token" = [])),
    params(AuditFeedQuery),
    responses(
        (status = 200, description = "Records in chain order after `after`, with their hashes", body = AuditFeed),
        AdminRefusals,
    ))]
pub async fn follow_audit(
    State(engine): State<Engine>,
    CallingAdmin(_admin): CallingAdmin,
    ApiQuery(query): ApiQuery<AuditFeedQuery>,
) -> Result<Json<AuditFeed>, ApiError> {
    let after = number(query.after.as_deref(), "after", 0, 0..=i64::MAX - 1)?;
    let limit = number(query.limit.as_deref(), "limit", 100, 1..=MAX_LIMIT)?;
    let records = engine.audit_after(after, limit).await?;
    let next = records.last().map_or(after, |record| record.seq);
    Ok(Json(AuditFeed { items: records.into_iter().map(RecordJson::from).collect(), next }))
}

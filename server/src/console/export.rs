//! The JSON export of the page the console shows, in DESIGN.md's format: `{items, page, pageSize, totalItems,
//! totalPages}`, items either data only (active sessions: app, user email, payload) or with their metadata.

use serde::Serialize;
use serde_json::{Map, Value};

use async_trait::async_trait;

use app::backend::{ClientInfo, ExportBackend};
use app::model::{CurrentUser, SessionStatus};
use app::session_detail::ExportFormat;
use app::session_query::SessionQuery;
use app::ConsoleError;

use super::sessions::listed;
use super::{internal, Console};
use crate::clock::rfc3339;
use crate::engine::Engine;
use crate::storage::{AuditEvent, EndedBy, SessionRow};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExportFile<Item> {
    items: Vec<Item>,
    /// 0-based, as in DESIGN.md's example.
    page: u32,
    page_size: u32,
    total_items: i64,
    total_pages: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DataItem {
    app_id: String,
    user_email: Option<String>,
    payload: Map<String, Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MetadataItem {
    id: String,
    /// The user's id in the app (external id) when known, else Roster's user id; None for a guest.
    user_identifier: Option<String>,
    user_email: Option<String>,
    /// The email of the console user who revoked it, or `holder`, `admin_token`; None unless revoked.
    revoked_by: Option<String>,
    app_id: String,
    created_at: String,
    expires_at: Option<String>,
    status: SessionStatus,
    current_data_size_bytes: i64,
    max_data_size_bytes: i64,
    last_activity_at: String,
    updated_at: String,
    attribute_count: i64,
    /// None once the session has ended: its payload was destroyed.
    payload: Option<Map<String, Value>>,
}

async fn revoked_by(engine: &Engine, row: &SessionRow) -> Result<Option<String>, ConsoleError> {
    if row.status != SessionStatus::Revoked {
        return Ok(None);
    }
    Ok(match (row.ended_by, row.ended_by_user_id) {
        (Some(EndedBy::User), Some(id)) => {
            Some(engine.user_by_id(id).await?.map_or(format!("user:{id}"), |u| u.email))
        }
        (other, _) => other.map(|kind| kind.as_str().to_string()),
    })
}

fn metadata_item(
    row: SessionRow,
    revoked_by: Option<String>,
    payload: Option<Map<String, Value>>,
) -> MetadataItem {
    MetadataItem {
        user_identifier: row.user_external_id.clone().or_else(|| row.user_id.map(|id| id.to_string())),
        user_email: row.user_email,
        revoked_by,
        app_id: row.app_slug,
        created_at: rfc3339(row.created_at),
        expires_at: row.expires_at.map(rfc3339),
        status: row.status,
        current_data_size_bytes: row.payload_bytes,
        max_data_size_bytes: row.app_max_payload_bytes,
        last_activity_at: rfc3339(row.last_active_at),
        updated_at: rfc3339(row.updated_at),
        attribute_count: row.payload_attribute_count,
        payload,
        id: row.id.into_string(),
    }
}

#[async_trait]
impl ExportBackend for Console {
    async fn export_page(
        &self,
        user: &CurrentUser,
        query: &SessionQuery,
        format: ExportFormat,
        client: &ClientInfo,
    ) -> Result<String, ConsoleError> {
        let engine = &self.engine;
        let listed = listed(engine, query).await?;
        let rows: Vec<SessionRow> = match format {
            ExportFormat::DataOnly => {
                listed.rows.into_iter().filter(|row| row.status == SessionStatus::Active).collect()
            }
            ExportFormat::IncludeMetadata => listed.rows,
        };
        let decrypted: Vec<&str> = rows
            .iter()
            .filter(|row| row.status == SessionStatus::Active)
            .map(|row| row.id.as_str())
            .collect();
        let event = AuditEvent {
            at_ms: engine.now_ms(),
            actor: format!("user:{}", user.id),
            action: "sessions.exported",
            target: Some(format!("sessions:{}", query.to_url())),
            reason: Some(format!(
                "{}; payloads of {} sessions decrypted: {}",
                format.file_label(),
                decrypted.len(),
                decrypted.join(", ")
            )),
            ip: client.ip.clone(),
        };
        engine.record_audit(&event).await?;

        let size = i64::from(query.size);
        let page = query.page - 1;
        let total_pages = (listed.total + size - 1) / size;
        let json = match format {
            ExportFormat::DataOnly => {
                let mut items = Vec::with_capacity(rows.len());
                for row in rows {
                    let payload = engine.open_payload(&row).await?;
                    items.push(DataItem { app_id: row.app_slug, user_email: row.user_email, payload });
                }
                let file =
                    ExportFile { items, page, page_size: query.size, total_items: listed.total, total_pages };
                serde_json::to_string_pretty(&file)
            }
            ExportFormat::IncludeMetadata => {
                let mut items = Vec::with_capacity(rows.len());
                for row in rows {
                    let payload = match row.status {
                        SessionStatus::Active => Some(engine.open_payload(&row).await?),
                        SessionStatus::Expired | SessionStatus::Revoked => None,
                    };
                    let revoked_by = revoked_by(engine, &row).await?;
                    items.push(metadata_item(row, revoked_by, payload));
                }
                let file =
                    ExportFile { items, page, page_size: query.size, total_items: listed.total, total_pages };
                serde_json::to_string_pretty(&file)
            }
        };
        json.map_err(internal)
    }
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn times_are_rfc3339_in_utc() {
        assert_eq!(rfc3339(1_790_000_000_123), "2026-09-21T14:13:20.123Z");
    }
}

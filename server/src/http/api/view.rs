//! A session as the API shows it: camelCase, times in RFC 3339, never the token or its hash.

use serde::Serialize;
use utoipa::ToSchema;

pub use crate::clock::rfc3339;
use crate::storage::{EndedBy, SessionRow};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeviceJson {
    pub browser: Option<String>,
    pub browser_version: Option<String>,
    pub os: Option<String>,
    pub os_version: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LocationJson {
    pub city: Option<String>,
    pub country: Option<String>,
    pub country_code: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionJson {
    /// 32 lowercase hexadecimal characters.
    pub id: String,
    /// The app's id (its slug).
    pub app_id: String,
    pub user_id: Option<i64>,
    pub user_email: Option<String>,
    pub user_external_id: Option<String>,
    /// `user` or `guest`.
    pub kind: String,
    /// `active`, `expired` or `revoked`.
    #[schema(value_type = String)]
    pub status: app::model::SessionStatus,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub device: DeviceJson,
    pub location: LocationJson,
    pub created_at: String,
    pub updated_at: String,
    pub last_active_at: String,
    pub expires_at: Option<String>,
    pub remember_me: bool,
    pub ended_at: Option<String>,
    /// Once the session has ended: `user` (a console user), `holder` (signed out through the app), `admin_token`
    /// or `system` (a timeout or lifetime).
    #[schema(value_type = Option<String>)]
    pub ended_by: Option<EndedBy>,
    pub end_reason: Option<String>,
    pub payload_bytes: i64,
    pub attribute_count: i64,
    pub validation_count: i64,
    pub last_request_at: Option<String>,
    /// The page the app last reported with a validation.
    pub last_activity: Option<String>,
}

impl From<&SessionRow> for SessionJson {
    fn from(row: &SessionRow) -> SessionJson {
        SessionJson {
            id: row.id.to_string(),
            app_id: row.app_slug.clone(),
            user_id: row.user_id,
            user_email: row.user_email.clone(),
            user_external_id: row.user_external_id.clone(),
            kind: row.kind.clone(),
            status: row.status,
            ip: row.ip.clone(),
            user_agent: row.user_agent.clone(),
            device: DeviceJson {
                browser: row.browser.clone(),
                browser_version: row.browser_version.clone(),
                os: row.os.clone(),
                os_version: row.os_version.clone(),
                kind: row.device.clone(),
            },
            location: LocationJson {
                city: row.city.clone(),
                country: row.country.clone(),
                country_code: row.country_code.clone(),
            },
            created_at: rfc3339(row.created_at),
            updated_at: rfc3339(row.updated_at),
            last_active_at: rfc3339(row.last_active_at),
            expires_at: row.expires_at.map(rfc3339),
            remember_me: row.remember_me != 0,
            ended_at: row.ended_at.map(rfc3339),
            ended_by: row.ended_by,
            end_reason: row.end_reason.clone(),
            payload_bytes: row.payload_bytes,
            attribute_count: row.payload_attribute_count,
            validation_count: row.validation_count,
            last_request_at: row.last_request_at.map(rfc3339),
            last_activity: row.last_activity.clone(),
        }
    }
}

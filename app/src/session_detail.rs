//! One session in full, as the detail dialog shows it, and the changes and copies made from it. The payload is
//! never part of `SessionDetail`: it travels only in `RevealedPayload`, from its own audited server function.

use serde::{Deserialize, Serialize};

use crate::model::SessionUser;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDetail {
    pub id: String,
    /// The app's id (slug) and name.
    pub app_id: String,
    pub app_name: String,
    /// None for a guest session.
    pub user: Option<SessionUser>,
    /// The id the user has in the app (e.g. a Firebase uid).
    pub user_external_id: Option<String>,
    pub status: crate::model::SessionStatus,
    /// `authenticated` or `guest`.
    pub kind: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub last_active_at_ms: i64,
    /// None: no expiry time (the idle timeout may still end it).
    pub expires_at_ms: Option<i64>,
    pub idle_timeout_secs: Option<i64>,
    pub remember_me: bool,
    pub ended_at_ms: Option<i64>,
    /// Who ended it, as a person reads it: "Olivia Owner (owner@example.com)", "the session's holder",
    /// "Roster (expiry)", "an admin API token".
    pub ended_by: Option<String>,
    pub end_reason: Option<String>,
    /// `ended_by`, when the session was revoked.
    pub revoked_by: Option<String>,
    pub browser: Option<String>,
    pub browser_version: Option<String>,
    pub os: Option<String>,
    pub os_version: Option<String>,
    /// "pc", "smartphone", "mobilephone", "crawler"… as the user-agent parser names it.
    pub device_type: Option<String>,
    pub ip: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    /// Validations of its token.
    pub requests: i64,
    pub last_request_at_ms: Option<i64>,
    pub attribute_count: i64,
    pub payload_bytes: i64,
    pub max_payload_bytes: i64,
    /// Which payload key sealed the payload; None when it has none.
    pub payload_key_id: Option<i64>,
    /// The server's clock when this was read.
    pub now_ms: i64,
    /// Whether the caller may reveal the payload and change the expiry (owners and admins).
    pub can_manage: bool,
    /// The latest expiry the policy allows if set now; the TTL form refuses later ones.
    pub latest_expiry_ms: i64,
}

impl SessionDetail {
    pub fn is_active(&self) -> bool {
        self.status == crate::model::SessionStatus::Active
    }
}

/// A session's payload, decrypted for the person who asked, pretty-printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealedPayload {
    pub json: String,
    pub attribute_count: i64,
}

/// A new expiry for an active session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TtlChange {
    /// At a date and time in UTC, `YYYY-MM-DDTHH:MM` (what a `datetime-local` input gives).
    At { utc: String },
    /// This many seconds from now.
    Seconds { seconds: i64 },
    /// No expiry time; the idle timeout still applies.
    Unlimited,
}

/// What an export holds besides each session's app, user and payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Active sessions only: `appId`, `userEmail`, `payload`.
    DataOnly,
    /// Every row of the page with its metadata.
    IncludeMetadata,
}

impl ExportFormat {
    pub fn file_label(self) -> &'static str {
        match self {
            ExportFormat::DataOnly => "data",
            ExportFormat::IncludeMetadata => "metadata",
        }
    }
}

//! Domain types the browser sees. Nothing here is secret: no token, hash or key ever reaches this module.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Admin,
    BillingManager,
    Member,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Admin, Role::BillingManager, Role::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::BillingManager => "billing_manager",
            Role::Member => "member",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Admin => "Admin",
            Role::BillingManager => "Billing manager",
            Role::Member => "Member",
        }
    }

    /// Where a user lands after signing in: the first page the route table lets them open.
    pub fn landing_page(self) -> &'static str {
        crate::routes::landing_page(self)
    }

    /// Owners, admins and billing managers see every session of every user.
    pub fn sees_all_sessions(self) -> bool {
        matches!(self, Role::Owner | Role::Admin | Role::BillingManager)
    }

    /// Owners and admins end other people's sessions and change their expiry; billing managers only look.
    pub fn ends_any_session(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }

    /// Owners and admins may decrypt sessions' payloads (revealed or exported, always audited).
    pub fn reads_payloads(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }
}

/// A session id: 32 lowercase hexadecimal characters (128 random bits). Text from outside becomes one only
/// through `parse`, so anything else names no session and is refused before the database is asked.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct SessionId(String);

impl SessionId {
    pub fn parse(text: &str) -> Option<SessionId> {
        let well_formed =
            text.len() == 32 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        well_formed.then(|| SessionId(text.to_string()))
    }

    /// The id of 128 fresh random bits.
    pub fn from_random(bytes: [u8; 16]) -> SessionId {
        SessionId(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for SessionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How the database hands an id over (`#[sqlx(try_from = "String")]` on the server's rows).
impl TryFrom<String> for SessionId {
    type Error = String;

    fn try_from(text: String) -> Result<SessionId, String> {
        SessionId::parse(&text).ok_or_else(|| format!("malformed session id {text:?}"))
    }
}

/// Where a session stands (DESIGN.md): `expired` when a time limit ended it, `revoked` when someone did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Active,
    Expired,
    Revoked,
}

impl SessionStatus {
    pub const ALL: [SessionStatus; 3] =
        [SessionStatus::Active, SessionStatus::Expired, SessionStatus::Revoked];

    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Active => "active",
            SessionStatus::Expired => "expired",
            SessionStatus::Revoked => "revoked",
        }
    }

    pub fn parse(text: &str) -> Option<SessionStatus> {
        SessionStatus::ALL.into_iter().find(|status| status.as_str() == text)
    }
}

/// How the database hands a status over (`#[sqlx(try_from = "String")]` on the server's rows).
impl TryFrom<String> for SessionStatus {
    type Error = String;

    fn try_from(text: String) -> Result<SessionStatus, String> {
        SessionStatus::parse(&text).ok_or_else(|| format!("unknown session status {text:?}"))
    }
}

/// How the database hands a role over (`#[sqlx(try_from = "String")]` on the server's rows).
impl TryFrom<String> for Role {
    type Error = String;

    fn try_from(text: String) -> Result<Role, String> {
        Role::parse(&text).ok_or_else(|| format!("unknown role {text:?}"))
    }
}

/// The signed-in user, as the console shows them. It travels in the compact form of `crate::wire`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

pub use crate::own_session::{OwnSessionView, OwnSessions, WarningSign};

/// The user a session belongs to, as the Sessions table shows them.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SessionUser {
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// One row of the Sessions table. The id is public; the bearer token never leaves the server.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SessionView {
    pub id: String,
    /// None for a guest session.
    pub user: Option<SessionUser>,
    pub app_id: String,
    /// "Chrome 120 on Windows 10"; None shows as "Unknown Browser".
    pub device: Option<String>,
    pub ip: Option<String>,
    /// "Berlin, Germany"; None shows as "Unknown location".
    pub location: Option<String>,
    pub status: SessionStatus,
    /// `authenticated` or `guest`.
    pub kind: String,
    pub created_at_ms: i64,
    pub last_active_at_ms: i64,
    pub expires_at_ms: Option<i64>,
    pub attribute_count: i64,
    /// The console session making this request: Kill All spares it.
    pub is_current: bool,
}

/// One page of the Sessions table and what the page around it shows. It travels in the compact form of
/// `crate::wire`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionPage {
    /// The query this page answers, as the server understood it.
    pub query: crate::session_query::SessionQuery,
    pub rows: Vec<SessionView>,
    pub total: i64,
    /// False when a search matched more sessions than are counted; `total` is then a lower bound.
    pub total_is_exact: bool,
    pub active_count: i64,
    /// Every app's id, for the App filter.
    pub apps: Vec<String>,
    /// The server's clock, so "2 hours ago" reads the same in the server's HTML and in the browser.
    pub now_ms: i64,
    /// Whether the caller may revoke (owners and admins; billing managers only look).
    pub can_revoke: bool,
}

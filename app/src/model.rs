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

    /// Where a user lands after signing in.
    pub fn landing_page(self) -> &'static str {
        "/my/sessions"
    }
}

/// The signed-in user, as the console shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

/// One of the signed-in user's own sessions, for "My sessions".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnSessionView {
    pub id: String,
    pub app_id: String,
    pub ip: Option<String>,
    /// Browser and system as parsed from the user agent; `None` shows as "Unknown Browser".
    pub device: Option<String>,
    pub created_at_ms: i64,
    pub last_active_at_ms: i64,
    pub expires_at_ms: Option<i64>,
    pub remember_me: bool,
    pub is_current: bool,
}

//! One of the signed-in user's own sessions as "My sessions" shows it, and the warning signs about it.

use serde::{Deserialize, Serialize};

/// "In the 30 days before" of the New location and New device signs, and the age of an Old session.
pub const WARNING_WINDOW_DAYS: i64 = 30;
pub const WARNING_WINDOW_MS: i64 = WARNING_WINDOW_DAYS * 24 * 60 * 60 * 1000;
/// Active sessions from this many addresses or more raise Many addresses.
pub const MANY_ADDRESSES: i64 = 4;

/// Something about a session its owner may want to look at twice. Shown as text, never as colour alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WarningSign {
    NewLocation,
    NewDevice,
    OldSession,
    ManyAddresses,
}

impl WarningSign {
    pub fn label(self) -> &'static str {
        match self {
            WarningSign::NewLocation => "New location",
            WarningSign::NewDevice => "New device",
            WarningSign::OldSession => "Old session",
            WarningSign::ManyAddresses => "Many addresses",
        }
    }

    pub fn explanation(self) -> &'static str {
        match self {
            WarningSign::NewLocation => {
                "Signed in from a country you had no session from in the 30 days before."
            }
            WarningSign::NewDevice => {
                "Signed in with a browser and system you had not used in the 30 days before."
            }
            WarningSign::OldSession => "Signed in more than 30 days ago.",
            WarningSign::ManyAddresses => "Your active sessions come from 4 or more addresses.",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnSessionView {
    pub id: String,
    pub app_name: String,
    /// "Safari on iPhone"; None shows as "Unknown Browser".
    pub device_name: Option<String>,
    /// "Safari 17.1"
    pub browser: Option<String>,
    /// "iOS 17.1"
    pub system: Option<String>,
    /// desktop, smartphone, tablet…
    pub device_type: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub ip: Option<String>,
    /// The ISP or AS holding the address's network, when Roster has a network database.
    pub network: Option<String>,
    pub created_at_ms: i64,
    pub last_active_at_ms: i64,
    /// None: lasts until signed out.
    pub expires_at_ms: Option<i64>,
    pub remember_me: bool,
    pub is_current: bool,
    /// Validations of this session by its app.
    pub requests: i64,
    /// The page the app last reported with a validation.
    pub last_page: Option<String>,
    /// This user's sessions, ended ones included, with the same browser, system and device.
    pub sign_ins_from_device: i64,
    pub warnings: Vec<WarningSign>,
}

impl OwnSessionView {
    /// "Madrid, Spain", the one of them that is known, or None.
    pub fn location(&self) -> Option<String> {
        crate::format::place(self.city.as_deref(), self.country.as_deref())
    }

    /// How the sign-out-all dialog names it: "Safari on iPhone (Madrid)"; by its address where the place is not
    /// known, so that two alike devices are still told apart.
    pub fn short_name(&self) -> String {
        let device = crate::format::or_unknown(&self.device_name, crate::format::Unknown::Browser);
        match self.city.as_ref().or(self.country.as_ref()).or(self.ip.as_ref()) {
            Some(place) => format!("{device} ({place})"),
            None => device,
        }
    }
}

/// What "My sessions" shows, as of the server's clock (its "3 days ago" do not depend on the browser's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnSessions {
    pub now_ms: i64,
    pub sessions: Vec<OwnSessionView>,
}

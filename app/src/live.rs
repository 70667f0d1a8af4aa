//! The topics of the console's live event stream (`GET /api/events`): the server names each event by the part
//! of the console it touches, and a page refetches only the data of the topics it shows.

/// An SSE event's name. Plain strings on the wire, so the browser needs no decoder to follow the stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    /// A session was created, ended or changed (counts included).
    Sessions,
    /// A user was added, disabled, enabled or given another role.
    Users,
    /// An alarm was raised or acknowledged; its data is the number of open alarms.
    Alarms,
    /// The stream fell behind or reconnected: everything on screen may be stale.
    Resync,
    /// This browser's console session has ended (signed out elsewhere, revoked, expired): the last event.
    SignedOut,
}

impl Topic {
    pub const ALL: [Topic; 5] =
        [Topic::Sessions, Topic::Users, Topic::Alarms, Topic::Resync, Topic::SignedOut];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Sessions => "sessions",
            Topic::Users => "users",
            Topic::Alarms => "alarms",
            Topic::Resync => "resync",
            Topic::SignedOut => "signed_out",
        }
    }

    pub fn parse(name: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|topic| topic.as_str() == name)
    }
}

/// Where the browser opens its one stream.
pub const EVENTS_PATH: &str = "/api/events";

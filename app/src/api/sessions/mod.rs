//! The Sessions console's server functions: every session of every user and app, for owners, admins and
//! billing managers; ending them, changing their expiry, reading and exporting their payloads, for owners and
//! admins.

pub mod detail;
pub mod export;
pub mod kill_all;
pub mod list;
pub mod reveal;
pub mod revoke;
pub mod ttl;

use crate::error::ConsoleError;

/// A session id is 32 lowercase hexadecimal characters; anything else is refused before the database is asked.
pub fn check_session_id(session_id: &str) -> Result<crate::model::SessionId, ConsoleError> {
    crate::model::SessionId::parse(session_id)
        .ok_or_else(|| ConsoleError::invalid("A session id is 32 lowercase hexadecimal characters."))
}

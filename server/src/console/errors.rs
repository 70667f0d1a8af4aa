//! How engine and storage failures reach the console: a busy database as "try again", anything else logged
//! under a reference that the person sees, so their report finds the log line.

use app::ConsoleError;

use crate::engine::EngineError;
use crate::secrets::new_error_reference;
use crate::storage::StorageError;

/// Logs the real cause under a reference and gives the person a message with that reference.
pub fn internal(cause: impl std::fmt::Display) -> ConsoleError {
    let reference = new_error_reference();
    tracing::error!(%reference, "{cause}");
    ConsoleError::Internal { reference }
}

impl From<StorageError> for ConsoleError {
    fn from(error: StorageError) -> ConsoleError {
        if error.is_busy() {
            tracing::warn!("the database was busy: {error}");
            return ConsoleError::Busy;
        }
        match error {
            StorageError::AlreadyExists(what) => {
                ConsoleError::InvalidInput(format!("{} already exists.", capitalized(what)))
            }
            StorageError::AuditSearchTooDeep(cap) => ConsoleError::invalid(format!(
                "This search matches more than {0} records and shows the first {0}. Narrow it to see the rest.",
                app::format::thousands(cap)
            )),
            StorageError::SearchTooDeep(cap) => ConsoleError::invalid(format!(
                "This search matches more than {0} sessions and shows the first {0}. Narrow it, or filter, to see the rest.",
                app::format::thousands(cap)
            )),
            error => internal(error),
        }
    }
}

/// "A user with this email": a storage phrase starting a sentence.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

impl From<EngineError> for ConsoleError {
    fn from(error: EngineError) -> ConsoleError {
        match error {
            EngineError::Storage(error) => error.into(),
            EngineError::Busy(cause) => {
                tracing::warn!("refused as busy: {cause}");
                ConsoleError::Busy
            }
            EngineError::InvalidInput(message) | EngineError::Refused(message) => {
                ConsoleError::InvalidInput(message)
            }
            EngineError::UserNotFound => ConsoleError::invalid("That user does not exist."),
            EngineError::NotFound(what) => ConsoleError::invalid(format!(
                "That {what} does not exist or was revoked. Reload to see the current list."
            )),
            error => internal(error),
        }
    }
}

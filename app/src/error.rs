//! The one error type that crosses the server-function boundary. Every variant reads as a message a person can
//! act on; the HTTP status it maps to lives next to it so the server and the UI agree.

use serde::{Deserialize, Serialize};
use server_fn::error::{FromServerFnError, ServerFnErrorErr};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum ConsoleError {
    #[error("Please sign in to continue.")]
    NotSignedIn,
    #[error("You do not have access to this. Ask an owner or admin if you need it.")]
    Forbidden,
    /// Deliberately the same for an unknown email and a wrong password.
    #[error("Email or password is incorrect.")]
    InvalidCredentials,
    /// Shown for unknown emails too, so the lock-out never reveals whether an account exists.
    #[error("Too many failed sign-ins. Try again in {minutes} minutes.")]
    LockedOut { minutes: i64 },
    #[error("This account is disabled. Ask an owner or admin to enable it.")]
    AccountDisabled,
    #[error("{0}")]
    InvalidInput(String),
    #[error("This request came from another site and was refused.")]
    CrossSiteRequest,
    /// The real cause is logged on the server under the same reference.
    #[error("Roster could not complete the request (reference {reference}). Try again; if it keeps failing, give the reference to your operator.")]
    Internal { reference: String },
    /// The database stayed busy past its timeout: nothing was changed, and a retry usually succeeds.
    #[error("Roster is busy right now and changed nothing. Try again in a moment.")]
    Busy,
    #[error("Roster could not be reached: {0}")]
    Transport(String),
}

impl ConsoleError {
    pub fn status(&self) -> u16 {
        match self {
            Self::NotSignedIn | Self::InvalidCredentials => 401,
            Self::Forbidden | Self::AccountDisabled | Self::CrossSiteRequest => 403,
            Self::LockedOut { .. } => 429,
            Self::InvalidInput(_) => 400,
            Self::Internal { .. } => 500,
            Self::Busy => 503,
            Self::Transport(_) => 502,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::InvalidInput(message.into())
    }
}

impl ConsoleError {
    /// The error a plain form post was redirected back with (`?__err=`), so pages can show it before the
    /// WASM has loaded.
    pub fn from_url_param(encoded: &str) -> Option<ConsoleError> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::URL_SAFE.decode(encoded).ok()?;
        crate::api::codec::from_json_bytes(&bytes).ok()
    }
}

impl FromServerFnError for ConsoleError {
    type Encoder = crate::api::codec::JsonText;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Bad or missing arguments are the caller's input, not a failure of Roster.
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::MissingArg(message) => {
                Self::InvalidInput(format!("The request was not understood: {message}"))
            }
            ServerFnErrorErr::Deserialization(message) => {
                Self::InvalidInput(format!("The request was not understood: {message}"))
            }
            other => Self::Transport(other.to_string()),
        }
    }
}

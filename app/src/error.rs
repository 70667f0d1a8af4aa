//! The one error type that crosses the server-function boundary. Every variant reads as a message a person can
//! act on; the HTTP status it maps to lives next to it so the server and the UI agree.

use server_fn::error::{FromServerFnError, ServerFnErrorErr};
use thiserror::Error;

/// It travels in the compact form of `crate::wire`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
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
    /// WASM has loaded. Anyone can write such a link, so only our own wording is shown: an error that carries
    /// free text (or a number or reference that Roster would never send) becomes one fixed message.
    pub fn from_url_param(encoded: &str) -> Option<ConsoleError> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::URL_SAFE.decode(encoded).ok()?;
        let error: ConsoleError = crate::api::codec::from_json_bytes(&bytes).ok()?;
        let ours = match &error {
            Self::InvalidInput(_) | Self::Transport(_) => false,
            Self::LockedOut { minutes } => (1..=24 * 60).contains(minutes),
            Self::Internal { reference } => {
                reference.len() == 8 && reference.bytes().all(|b| b.is_ascii_hexdigit())
            }
            _ => true,
        };
        Some(if ours {
            error
        } else {
            Self::invalid("The form was not accepted. Check what you typed and try again.")
        })
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

#[cfg(test)]
mod tests {
    use super::ConsoleError;
    use base64::Engine;

    /// The `?__err=` a redirect carries for `error`, as anyone could write it.
    fn link(error: &ConsoleError) -> String {
        base64::engine::general_purpose::URL_SAFE.encode(serde_json::to_string(error).unwrap())
    }

    #[test]
    fn a_link_cannot_put_its_own_words_on_the_sign_in_page() {
        for forged in [
            ConsoleError::invalid("Your account is suspended. Call +1 555 0100 to restore it."),
            ConsoleError::Transport("Visit evil.example to sign in".into()),
            ConsoleError::LockedOut { minutes: 99999999 },
            ConsoleError::Internal { reference: "call 555 0100".into() },
        ] {
            let shown =
                ConsoleError::from_url_param(&link(&forged)).expect("an error is still shown").to_string();
            assert_eq!(shown, "The form was not accepted. Check what you typed and try again.", "{forged:?}");
        }
    }

    #[test]
    fn roster_s_own_errors_still_read_as_sent() {
        for sent in [
            ConsoleError::LockedOut { minutes: 15 },
            ConsoleError::InvalidCredentials,
            ConsoleError::Internal { reference: "0a1b2c3d".into() },
        ] {
            assert_eq!(ConsoleError::from_url_param(&link(&sent)), Some(sent));
        }
        assert_eq!(ConsoleError::from_url_param("%%%not base64"), None);
        let not_an_error =
            base64::engine::general_purpose::URL_SAFE.encode(r#"{"LockedOut":{"minutes":15}}"#);
        assert_eq!(ConsoleError::from_url_param(&not_an_error), None);
    }
}

//! [`ConsoleError`] in the compact form of [`crate::wire`]: its name, then what it carries. Every server function
//! can answer with it, so every page reads it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{read_from, Garbled, Reader, Writer};
use crate::error::ConsoleError;

impl Serialize for ConsoleError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut w = Writer::default();
        match self {
            Self::NotSignedIn => w.text("NotSignedIn"),
            Self::Forbidden => w.text("Forbidden"),
            Self::InvalidCredentials => w.text("InvalidCredentials"),
            Self::LockedOut { minutes } => {
                w.text("LockedOut");
                w.number(*minutes);
            }
            Self::AccountDisabled => w.text("AccountDisabled"),
            Self::InvalidInput(message) => {
                w.text("InvalidInput");
                w.text(message);
            }
            Self::CrossSiteRequest => w.text("CrossSiteRequest"),
            Self::Internal { reference } => {
                w.text("Internal");
                w.text(reference);
            }
            Self::Busy => w.text("Busy"),
            Self::Transport(message) => {
                w.text("Transport");
                w.text(message);
            }
        }
        w.finish(serializer)
    }
}

impl<'de> Deserialize<'de> for ConsoleError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ConsoleError, D::Error> {
        read_from(deserializer, "the error arrived garbled", read)
    }
}

fn read(r: &mut Reader<'_>) -> Result<ConsoleError, Garbled> {
    Ok(match r.text()?.as_str() {
        "NotSignedIn" => ConsoleError::NotSignedIn,
        "Forbidden" => ConsoleError::Forbidden,
        "InvalidCredentials" => ConsoleError::InvalidCredentials,
        "LockedOut" => ConsoleError::LockedOut { minutes: r.number()? },
        "AccountDisabled" => ConsoleError::AccountDisabled,
        "InvalidInput" => ConsoleError::InvalidInput(r.text()?),
        "CrossSiteRequest" => ConsoleError::CrossSiteRequest,
        "Internal" => ConsoleError::Internal { reference: r.text()? },
        "Busy" => ConsoleError::Busy,
        "Transport" => ConsoleError::Transport(r.text()?),
        _ => return Err(Garbled),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_reads_back_equal_through_json() {
        let errors = [
            ConsoleError::NotSignedIn,
            ConsoleError::Forbidden,
            ConsoleError::InvalidCredentials,
            ConsoleError::LockedOut { minutes: 15 },
            ConsoleError::AccountDisabled,
            ConsoleError::invalid("Search text can have at most 200 characters: \"ü\"."),
            ConsoleError::CrossSiteRequest,
            ConsoleError::Internal { reference: "0a1b2c3d".into() },
            ConsoleError::Busy,
            ConsoleError::Transport("502: bad gateway".into()),
        ];
        for error in errors {
            let json = serde_json::to_string(&error).unwrap();
            assert_eq!(serde_json::from_str::<ConsoleError>(&json).unwrap(), error, "{json}");
        }
        let unknown = serde_json::to_string("7:Unknown").unwrap();
        assert!(serde_json::from_str::<ConsoleError>(&unknown).is_err());
    }
}

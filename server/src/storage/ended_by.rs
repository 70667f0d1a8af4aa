//! Who ended a session, as the `ended_by` column holds it. The column is text on both databases; this type
//! reads and writes it through sqlx's `Any` driver, so a row never carries a kind the code does not know.

use serde::Serialize;
use sqlx::any::{Any, AnyTypeInfo};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Type};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndedBy {
    /// A console user: an admin revoking it, or its own user from My sessions (`ended_by_user_id` says who).
    User,
    /// The session's holder, through the app that created it (signing out).
    Holder,
    /// An admin API token.
    AdminToken,
    /// Roster itself: the idle timeout, the lifetime or a payload TTL ran out.
    System,
}

impl EndedBy {
    const ALL: [EndedBy; 4] = [EndedBy::User, EndedBy::Holder, EndedBy::AdminToken, EndedBy::System];

    pub fn as_str(self) -> &'static str {
        match self {
            EndedBy::User => "user",
            EndedBy::Holder => "holder",
            EndedBy::AdminToken => "admin_token",
            EndedBy::System => "system",
        }
    }

    fn parse(text: &str) -> Option<EndedBy> {
        EndedBy::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

impl Type<Any> for EndedBy {
    fn type_info() -> AnyTypeInfo {
        <str as Type<Any>>::type_info()
    }
}

impl<'r> Decode<'r, Any> for EndedBy {
    fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<EndedBy, BoxDynError> {
        let text = <&str as Decode<Any>>::decode(value)?;
        EndedBy::parse(text).ok_or_else(|| format!("unknown ended_by {text:?}").into())
    }
}

impl<'q> Encode<'q, Any> for EndedBy {
    fn encode_by_ref(&self, buf: &mut <Any as Database>::ArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <&str as Encode<Any>>::encode(self.as_str(), buf)
    }
}

#[cfg(test)]
mod tests {
    use super::EndedBy;

    #[test]
    fn every_kind_reads_back_as_itself() {
        for kind in EndedBy::ALL {
            assert_eq!(EndedBy::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(EndedBy::parse("admin"), None, "an unknown kind is refused, not guessed");
    }
}

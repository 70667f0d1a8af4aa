//! Why a session ended, in the words its holder reads: the app API's 401 names it as a code, and the console's
//! sign-in page tells a person signed out by someone or something else what happened.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndCause {
    /// Unused for longer than the idle timeout.
    IdleTimeout,
    /// The absolute lifetime ran out.
    Lifetime,
    /// The expiry an admin set with "Update payload TTL" came.
    PayloadTtl,
    /// The holder signed out (here, or from another of their sessions).
    SignedOut,
    /// An admin (console, admin token or shell) ended it.
    EndedByAdmin,
    /// The user was disabled.
    UserDisabled,
    /// A newer sign-in of the user went over the workspace's sessions-per-user limit, set to sign out the oldest.
    SessionLimit,
}

impl EndCause {
    pub const ALL: [EndCause; 7] = [
        EndCause::IdleTimeout,
        EndCause::Lifetime,
        EndCause::PayloadTtl,
        EndCause::SignedOut,
        EndCause::EndedByAdmin,
        EndCause::UserDisabled,
        EndCause::SessionLimit,
    ];

    /// The code the API and the database use.
    pub fn as_str(self) -> &'static str {
        match self {
            EndCause::IdleTimeout => "idle_timeout",
            EndCause::Lifetime => "lifetime",
            EndCause::PayloadTtl => "payload_ttl",
            EndCause::SignedOut => "signed_out",
            EndCause::EndedByAdmin => "ended_by_admin",
            EndCause::UserDisabled => "user_disabled",
            EndCause::SessionLimit => "session_limit",
        }
    }

    pub fn parse(text: &str) -> Option<EndCause> {
        EndCause::ALL.into_iter().find(|cause| cause.as_str() == text)
    }
}

/// What the sign-in page tells someone whose console session ended while they were away.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOutNotice {
    pub cause: EndCause,
    pub ended_at_ms: i64,
    /// The admin's reason, when they chose to tell the user.
    pub reason: Option<String>,
    /// The session's idle timeout, for "after 1 hour without activity".
    pub idle_timeout_secs: Option<i64>,
}

impl SignOutNotice {
    /// The sentence, with `when` the end's time as the reader reads times ("3 Dec 14:05").
    pub fn text(&self, when: &str) -> String {
        let why = self.reason.as_deref().map_or_else(|| ".".to_string(), |reason| format!(": {reason}"));
        match self.cause {
            EndCause::EndedByAdmin => format!("An administrator signed you out on {when}{why}"),
            EndCause::UserDisabled => format!("An administrator disabled your account on {when}{why}"),
            EndCause::IdleTimeout => match self.idle_timeout_secs {
                Some(secs) => format!("You were signed out after {} without activity.", duration(secs)),
                None => "You were signed out after a while without activity.".to_string(),
            },
            EndCause::Lifetime | EndCause::PayloadTtl => {
                format!("Your session reached its time limit on {when}. Sign in again to continue.")
            }
            EndCause::SignedOut => {
                format!("This browser was signed out from another of your sessions on {when}.")
            }
            EndCause::SessionLimit => format!(
                "This browser was signed out on {when}: a newer sign-in went over the number of sessions allowed per person."
            ),
        }
    }
}

/// "1 hour", "30 minutes", "7 days".
fn duration(secs: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match secs {
        s if s % 86_400 == 0 => plural(s / 86_400, "day"),
        s if s % 3_600 == 0 => plural(s / 3_600, "hour"),
        s => plural((s / 60).max(1), "minute"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(cause: EndCause, reason: Option<&str>) -> SignOutNotice {
        SignOutNotice {
            cause,
            ended_at_ms: 0,
            reason: reason.map(str::to_owned),
            idle_timeout_secs: Some(3600),
        }
    }

    #[test]
    fn each_cause_reads_as_a_sentence_with_the_reason_only_when_shared() {
        let when = "3 Dec 14:05";
        assert_eq!(
            notice(EndCause::EndedByAdmin, Some("Security concern")).text(when),
            "An administrator signed you out on 3 Dec 14:05: Security concern"
        );
        assert_eq!(
            notice(EndCause::EndedByAdmin, None).text(when),
            "An administrator signed you out on 3 Dec 14:05."
        );
        assert_eq!(
            notice(EndCause::IdleTimeout, None).text(when),
            "You were signed out after 1 hour without activity."
        );
        for cause in EndCause::ALL {
            assert_eq!(EndCause::parse(cause.as_str()), Some(cause));
        }
        assert_eq!(duration(30 * 60), "30 minutes");
        assert_eq!(duration(7 * 86_400), "7 days");
    }
}

/// What the sign-in page needs before anyone signs in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInPage {
    /// Why this browser's last console session ended, when it did not end by its own Sign out.
    pub notice: Option<SignOutNotice>,
    /// Whether the workspace lets sessions be remembered (the Remember me checkbox shows only then).
    pub remember_me_allowed: bool,
}

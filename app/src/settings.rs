//! The workspace's session policy as the Settings page shows and sends it, with the ranges the server holds it
//! to. Each value is checked here, by the server, whoever sends it; nothing is saved when one is out of range.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdleTimeout {
    #[default]
    OneHour,
    OneDay,
    SevenDays,
    ThirtyDays,
    Never,
}

impl IdleTimeout {
    pub const ALL: [IdleTimeout; 5] = [
        IdleTimeout::OneHour,
        IdleTimeout::OneDay,
        IdleTimeout::SevenDays,
        IdleTimeout::ThirtyDays,
        IdleTimeout::Never,
    ];

    /// None for Never.
    pub fn secs(self) -> Option<i64> {
        match self {
            IdleTimeout::OneHour => Some(3_600),
            IdleTimeout::OneDay => Some(86_400),
            IdleTimeout::SevenDays => Some(7 * 86_400),
            IdleTimeout::ThirtyDays => Some(30 * 86_400),
            IdleTimeout::Never => None,
        }
    }

    /// The choice a stored number of seconds names (0: Never); None for any other number.
    pub fn from_secs(secs: i64) -> Option<IdleTimeout> {
        IdleTimeout::ALL.into_iter().find(|choice| choice.secs().unwrap_or(0) == secs)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            IdleTimeout::OneHour => "one_hour",
            IdleTimeout::OneDay => "one_day",
            IdleTimeout::SevenDays => "seven_days",
            IdleTimeout::ThirtyDays => "thirty_days",
            IdleTimeout::Never => "never",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            IdleTimeout::OneHour => "1 hour",
            IdleTimeout::OneDay => "1 day",
            IdleTimeout::SevenDays => "7 days",
            IdleTimeout::ThirtyDays => "30 days",
            IdleTimeout::Never => "Never (not recommended)",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitAction {
    /// The new sign-in is refused (409 `too_many_sessions`).
    #[default]
    Refuse,
    /// The user's least recently active session ends to make room.
    SignOutOldest,
}

impl LimitAction {
    pub const ALL: [LimitAction; 2] = [LimitAction::Refuse, LimitAction::SignOutOldest];

    pub fn as_str(self) -> &'static str {
        match self {
            LimitAction::Refuse => "refuse",
            LimitAction::SignOutOldest => "sign_out_oldest",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LimitAction::Refuse => "Refuse the new sign-in",
            LimitAction::SignOutOldest => "Sign out the oldest session",
        }
    }
}

pub const LIFETIME_HOURS: std::ops::RangeInclusive<i64> = 1..=8_760;
pub const REMEMBERED_DAYS: std::ops::RangeInclusive<i64> = 1..=365;
pub const SESSIONS_PER_USER: std::ops::RangeInclusive<i64> = 1..=1_000;

/// The Settings page's fields.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WorkspaceSettings {
    pub idle_timeout: IdleTimeout,
    pub absolute_lifetime_hours: i64,
    pub allow_remember_me: bool,
    pub remembered_days: i64,
    pub max_sessions_per_user: i64,
    pub when_limit_reached: LimitAction,
}

impl Default for WorkspaceSettings {
    fn default() -> Self {
        WorkspaceSettings {
            idle_timeout: IdleTimeout::OneHour,
            absolute_lifetime_hours: 24,
            allow_remember_me: true,
            remembered_days: 30,
            max_sessions_per_user: 10,
            when_limit_reached: LimitAction::Refuse,
        }
    }
}

impl WorkspaceSettings {
    /// Every problem, each naming its field and range; empty when all values are in range.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut check = |name: &str, value: i64, range: &std::ops::RangeInclusive<i64>| {
            if !range.contains(&value) {
                problems.push(format!("{name} must be from {} to {}.", range.start(), range.end()));
            }
        };
        check("Absolute lifetime (hours)", self.absolute_lifetime_hours, &LIFETIME_HOURS);
        check("Remembered sessions last (days)", self.remembered_days, &REMEMBERED_DAYS);
        check("Maximum sessions per user", self.max_sessions_per_user, &SESSIONS_PER_USER);
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_in_range_and_each_bad_value_is_named() {
        assert!(WorkspaceSettings::default().problems().is_empty());
        let bad =
            WorkspaceSettings { absolute_lifetime_hours: 0, max_sessions_per_user: -3, ..Default::default() };
        let problems = bad.problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[1].contains("Maximum sessions per user must be from 1 to 1000"), "{problems:?}");
        for choice in IdleTimeout::ALL {
            assert_eq!(IdleTimeout::from_secs(choice.secs().unwrap_or(0)), Some(choice));
        }
        assert_eq!(IdleTimeout::from_secs(42), None);
    }
}

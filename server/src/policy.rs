//! Session limits, as workspace settings with the defaults of DESIGN.md. Stored settings (numbers by name, written
//! by the Settings page) override them.

use app::settings::{IdleTimeout, LimitAction, WorkspaceSettings};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// 0: sessions never end for being unused (only by their lifetime).
    pub idle_timeout_secs: i64,
    pub absolute_lifetime_secs: i64,
    pub allow_remember_me: bool,
    pub remember_me_lifetime_secs: i64,
    pub max_active_per_user: i64,
    /// At the limit, end the user's least recently active session instead of refusing the new one.
    pub evict_oldest: bool,
    /// Last-active is written at most this often per session, to bound writes from busy sessions.
    pub touch_interval_secs: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle_timeout_secs: 60 * 60,
            absolute_lifetime_secs: 24 * 60 * 60,
            allow_remember_me: true,
            remember_me_lifetime_secs: 30 * 24 * 60 * 60,
            max_active_per_user: 10,
            evict_oldest: false,
            touch_interval_secs: 60,
        }
    }
}

/// The stored settings' names.
const IDLE: &str = "idle_timeout_secs";
const LIFETIME: &str = "absolute_lifetime_secs";
const ALLOW_REMEMBER: &str = "allow_remember_me";
const REMEMBERED: &str = "remember_me_lifetime_secs";
const MAX_SESSIONS: &str = "max_active_per_user";
const EVICT: &str = "evict_oldest";
const TOUCH: &str = "touch_interval_secs";

impl SessionPolicy {
    /// The policy the stored settings name; a value out of its range keeps the default.
    pub fn from_settings(settings: &[(String, i64)]) -> SessionPolicy {
        let mut policy = SessionPolicy::default();
        for (name, value) in settings {
            let value = *value;
            match name.as_str() {
                IDLE if IdleTimeout::from_secs(value).is_some() || value > 0 => {
                    policy.idle_timeout_secs = value
                }
                LIFETIME if value > 0 => policy.absolute_lifetime_secs = value,
                ALLOW_REMEMBER => policy.allow_remember_me = value != 0,
                REMEMBERED if value > 0 => policy.remember_me_lifetime_secs = value,
                MAX_SESSIONS if value > 0 => policy.max_active_per_user = value,
                EVICT => policy.evict_oldest = value != 0,
                TOUCH if value > 0 => policy.touch_interval_secs = value,
                _ => {}
            }
        }
        policy
    }

    /// None when sessions never end for being unused.
    pub fn idle_timeout(&self) -> Option<i64> {
        (self.idle_timeout_secs > 0).then_some(self.idle_timeout_secs)
    }

    pub fn lifetime_secs(&self, remember_me: bool) -> i64 {
        if remember_me && self.allow_remember_me {
            self.remember_me_lifetime_secs
        } else {
            self.absolute_lifetime_secs
        }
    }

    /// As the Settings page shows it. An idle timeout set outside the page's choices shows as the nearest
    /// longer choice.
    pub fn settings(&self) -> WorkspaceSettings {
        let idle_timeout = IdleTimeout::from_secs(self.idle_timeout_secs).unwrap_or_else(|| {
            IdleTimeout::ALL
                .into_iter()
                .find(|choice| choice.secs().is_some_and(|secs| secs >= self.idle_timeout_secs))
                .unwrap_or(IdleTimeout::Never)
        });
        WorkspaceSettings {
            idle_timeout,
            absolute_lifetime_hours: self.absolute_lifetime_secs / 3_600,
            allow_remember_me: self.allow_remember_me,
            remembered_days: self.remember_me_lifetime_secs / 86_400,
            max_sessions_per_user: self.max_active_per_user,
            when_limit_reached: if self.evict_oldest {
                LimitAction::SignOutOldest
            } else {
                LimitAction::Refuse
            },
        }
    }

    /// The stored settings that make this page's values the policy (the caller checked their ranges).
    pub fn stored(settings: &WorkspaceSettings) -> [(&'static str, i64); 6] {
        [
            (IDLE, settings.idle_timeout.secs().unwrap_or(0)),
            (LIFETIME, settings.absolute_lifetime_hours * 3_600),
            (ALLOW_REMEMBER, i64::from(settings.allow_remember_me)),
            (REMEMBERED, settings.remembered_days * 86_400),
            (MAX_SESSIONS, settings.max_sessions_per_user),
            (EVICT, i64::from(settings.when_limit_reached == LimitAction::SignOutOldest)),
        ]
    }
}

/// Console sign-in lock-out: this many failures in a row lock the email for `LOCK_MINUTES`.
pub const SIGN_IN_FAILURES_BEFORE_LOCK: i64 = 10;
pub const LOCK_MINUTES: i64 = 15;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_settings_override_defaults_and_nonsense_is_ignored() {
        let policy = SessionPolicy::from_settings(&[
            ("max_active_per_user".into(), 3),
            ("idle_timeout_secs".into(), -5),
            ("unknown".into(), 1),
        ]);
        assert_eq!(policy.max_active_per_user, 3);
        assert_eq!(policy.idle_timeout_secs, 3600);
    }

    #[test]
    fn the_settings_page_round_trips_through_storage_and_never_means_no_idle_timeout() {
        let page = WorkspaceSettings {
            idle_timeout: IdleTimeout::Never,
            absolute_lifetime_hours: 12,
            allow_remember_me: false,
            remembered_days: 7,
            max_sessions_per_user: 3,
            when_limit_reached: LimitAction::SignOutOldest,
        };
        let stored: Vec<(String, i64)> =
            SessionPolicy::stored(&page).iter().map(|(name, value)| (name.to_string(), *value)).collect();
        let policy = SessionPolicy::from_settings(&stored);
        assert_eq!(policy.settings(), page);
        assert_eq!(policy.idle_timeout(), None);
        assert_eq!(policy.lifetime_secs(true), 12 * 3_600, "remember-me not allowed: the normal lifetime");
        assert_eq!(SessionPolicy::default().settings(), WorkspaceSettings::default());
    }
}

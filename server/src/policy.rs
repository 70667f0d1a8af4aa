//! Session limits, as workspace settings with the defaults of DESIGN.md. Stored settings override them by
//! name; the settings page will write them.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle_timeout_secs: i64,
    pub absolute_lifetime_secs: i64,
    pub remember_me_lifetime_secs: i64,
    pub max_active_per_user: i64,
    /// Last-active is written at most this often per session, to bound writes from busy sessions.
    pub touch_interval_secs: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle_timeout_secs: 60 * 60,
            absolute_lifetime_secs: 24 * 60 * 60,
            remember_me_lifetime_secs: 30 * 24 * 60 * 60,
            max_active_per_user: 10,
            touch_interval_secs: 60,
        }
    }
}

impl SessionPolicy {
    pub fn from_settings(settings: &[(String, i64)]) -> SessionPolicy {
        let mut policy = SessionPolicy::default();
        for (name, value) in settings {
            let slot = match name.as_str() {
                "idle_timeout_secs" => &mut policy.idle_timeout_secs,
                "absolute_lifetime_secs" => &mut policy.absolute_lifetime_secs,
                "remember_me_lifetime_secs" => &mut policy.remember_me_lifetime_secs,
                "max_active_per_user" => &mut policy.max_active_per_user,
                "touch_interval_secs" => &mut policy.touch_interval_secs,
                _ => continue,
            };
            if *value > 0 {
                *slot = *value;
            }
        }
        policy
    }

    pub fn lifetime_secs(&self, remember_me: bool) -> i64 {
        if remember_me {
            self.remember_me_lifetime_secs
        } else {
            self.absolute_lifetime_secs
        }
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
}

//! Session limits. Defaults follow DESIGN.md; the workspace settings page will make them editable.

#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle_timeout_secs: i64,
    pub absolute_lifetime_secs: i64,
    pub remember_me_lifetime_secs: i64,
    /// Last-active is written at most this often per session, to bound writes from busy sessions.
    pub touch_interval_secs: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle_timeout_secs: 60 * 60,
            absolute_lifetime_secs: 24 * 60 * 60,
            remember_me_lifetime_secs: 30 * 24 * 60 * 60,
            touch_interval_secs: 60,
        }
    }
}

impl SessionPolicy {
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

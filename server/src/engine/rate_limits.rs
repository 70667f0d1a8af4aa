//! How fast one credential may call the APIs on this node: an app's key for everything but validations (creates,
//! payload reads and writes, sign-outs), and an admin token for the admin API. Past its rate a caller is answered
//! 429 with when to come back. Validations are what an app sends for every request of its users: they are not
//! counted unless the operator sets a cap for them, and then apart, so a burst of creates or a script gone wrong
//! never costs a user a validation.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

pub const APP_CALLS_PER_SECOND: u32 = 1_000;
pub const ADMIN_CALLS_PER_SECOND: u32 = 50;

/// What one kind of caller may do: so many requests per second (or minute), in bursts of up to that many.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate(Quota);

impl Rate {
    pub fn per_second(requests: u32) -> Rate {
        Rate(Quota::per_second(NonZeroU32::new(requests).unwrap_or(NonZeroU32::MIN)))
    }

    pub fn per_minute(requests: u32) -> Rate {
        Rate(Quota::per_minute(NonZeroU32::new(requests).unwrap_or(NonZeroU32::MIN)))
    }

    fn quota(self) -> Quota {
        self.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateSettings {
    /// None: validations are not counted.
    pub app_validations: Option<Rate>,
    pub app_calls: Rate,
    pub admin_calls: Rate,
}

impl Default for RateSettings {
    fn default() -> Self {
        RateSettings {
            app_validations: None,
            app_calls: Rate::per_second(APP_CALLS_PER_SECOND),
            admin_calls: Rate::per_second(ADMIN_CALLS_PER_SECOND),
        }
    }
}

impl RateSettings {
    /// Rates no caller reaches: for measuring what the server itself can do (benches, load and race tests).
    pub fn out_of_reach() -> RateSettings {
        let rate = Rate::per_second(u32::MAX);
        RateSettings { app_validations: None, app_calls: rate, admin_calls: rate }
    }
}

/// The caller has used its rate: it may come back after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateExceeded {
    pub retry_after: Duration,
}

impl RateExceeded {
    /// Whole seconds for `Retry-After`, never 0 (which would invite an immediate retry).
    pub fn retry_after_seconds(&self) -> u64 {
        self.retry_after.as_secs_f64().ceil().max(1.0) as u64
    }
}

#[derive(Clone)]
pub struct RateLimits {
    settings: RateSettings,
    app_validations: Option<Arc<DefaultKeyedRateLimiter<i64>>>,
    app_calls: Arc<DefaultKeyedRateLimiter<i64>>,
    admin_calls: Arc<DefaultKeyedRateLimiter<i64>>,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits").field("settings", &self.settings).finish_non_exhaustive()
    }
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits::new(RateSettings::default())
    }
}

fn check(limiter: &DefaultKeyedRateLimiter<i64>, key: i64) -> Result<(), RateExceeded> {
    limiter.check_key(&key).map_err(|not_until| RateExceeded {
        retry_after: not_until.wait_time_from(DefaultClock::default().now()),
    })
}

impl RateLimits {
    pub fn new(settings: RateSettings) -> RateLimits {
        let keyed = |rate: Rate| Arc::new(RateLimiter::keyed(rate.quota()));
        RateLimits {
            settings,
            app_validations: settings.app_validations.map(keyed),
            app_calls: keyed(settings.app_calls),
            admin_calls: keyed(settings.admin_calls),
        }
    }

    pub fn settings(&self) -> RateSettings {
        self.settings
    }

    pub fn app_validation(&self, app_id: i64) -> Result<(), RateExceeded> {
        match &self.app_validations {
            Some(limiter) => check(limiter, app_id),
            None => Ok(()),
        }
    }

    pub fn app_call(&self, app_id: i64) -> Result<(), RateExceeded> {
        check(&self.app_calls, app_id)
    }

    pub fn admin_call(&self, token_id: i64) -> Result<(), RateExceeded> {
        check(&self.admin_calls, token_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caller_past_its_rate_waits_while_others_and_other_budgets_go_on() {
        let limits = RateLimits::new(RateSettings {
            app_validations: Some(Rate::per_second(5)),
            app_calls: Rate::per_second(2),
            admin_calls: Rate::per_second(1),
        });
        assert!(limits.app_call(1).is_ok() && limits.app_call(1).is_ok());
        let refused = limits.app_call(1).unwrap_err();
        assert!(refused.retry_after <= Duration::from_millis(500), "{refused:?}");
        assert_eq!(refused.retry_after_seconds(), 1);
        // Another app, and the same app's validations, have budgets of their own.
        assert!(limits.app_call(2).is_ok());
        assert!((0..5).all(|_| limits.app_validation(1).is_ok()));
        assert!(limits.app_validation(1).is_err());
        assert!(limits.admin_call(7).is_ok() && limits.admin_call(7).is_err());
    }

    #[test]
    fn validations_are_not_counted_unless_capped() {
        let limits =
            RateLimits::new(RateSettings { app_calls: Rate::per_second(1), ..RateSettings::default() });
        assert!((0..10_000).all(|_| limits.app_validation(1).is_ok()));
    }
}

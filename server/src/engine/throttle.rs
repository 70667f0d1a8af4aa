//! The sign-in throttle: how many wrong passwords one address may try per minute, whatever emails it names.
//! The lock-out stops guessing one account's password; this stops trying one password against every account.
//!
//! An attempt takes a place before its password is checked (so a burst of parallel attempts cannot all get
//! in) and gives it back when the password was right, so people signing in from one office address or through
//! one proxy never use it up. Rate-limiting crates (governor) have no way to give a place back, hence this.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};

/// Wrong passwords per address per minute, unless `roster serve` is told otherwise.
pub const FAILED_SIGN_INS_PER_ADDRESS_PER_MINUTE: u32 = 20;
/// Past this many addresses remembered, the ones from earlier minutes are forgotten.
const REMEMBERED_ADDRESSES: usize = 100_000;
const MINUTE_MS: i64 = 60_000;

#[derive(Clone, Copy)]
struct Window {
    minute: i64,
    taken: u32,
}

#[derive(Clone)]
pub struct SignInThrottle {
    per_minute: u32,
    windows: Arc<Mutex<HashMap<IpAddr, Window>>>,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        SignInThrottle::new(FAILED_SIGN_INS_PER_ADDRESS_PER_MINUTE)
    }
}

impl std::fmt::Debug for SignInThrottle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInThrottle").finish_non_exhaustive()
    }
}

/// A place taken by one attempt; `give_back` when its password was right.
#[derive(Debug)]
pub struct ThrottlePlace {
    address: IpAddr,
    minute: i64,
}

fn address(ip: Option<&str>) -> IpAddr {
    // Requests without a known address share one allowance.
    ip.and_then(|ip| ip.parse().ok()).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

impl SignInThrottle {
    pub fn new(per_minute: u32) -> SignInThrottle {
        SignInThrottle { per_minute, windows: Arc::default() }
    }

    /// A place for an attempt from `ip` at `now_ms`, or when the next minute (and a place) begins.
    pub fn take(&self, ip: Option<&str>, now_ms: i64) -> Result<ThrottlePlace, i64> {
        let address = address(ip);
        let minute = now_ms.div_euclid(MINUTE_MS);
        let mut windows = self.windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if windows.len() >= REMEMBERED_ADDRESSES {
            windows.retain(|_, window| window.minute == minute);
        }
        let window = windows.entry(address).or_insert(Window { minute, taken: 0 });
        if window.minute != minute {
            *window = Window { minute, taken: 0 };
        }
        if window.taken >= self.per_minute {
            return Err((minute + 1) * MINUTE_MS);
        }
        window.taken += 1;
        Ok(ThrottlePlace { address, minute })
    }

    pub fn give_back(&self, place: ThrottlePlace) {
        let mut windows = self.windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(window) = windows.get_mut(&place.address).filter(|window| window.minute == place.minute) {
            window.taken = window.taken.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_790_000_000_000;

    #[test]
    fn one_address_gets_its_allowance_per_minute_while_others_are_not_held_back() {
        let throttle = SignInThrottle::default();
        for _ in 0..FAILED_SIGN_INS_PER_ADDRESS_PER_MINUTE {
            throttle.take(Some("203.0.113.9"), NOW).expect("within the allowance");
        }
        let next_minute = throttle.take(Some("203.0.113.9"), NOW).unwrap_err();
        assert!(next_minute > NOW && next_minute <= NOW + MINUTE_MS);
        assert!(throttle.take(Some("198.51.100.1"), NOW).is_ok(), "another address is not held back");
        assert!(throttle.take(Some("203.0.113.9"), next_minute).is_ok(), "a new minute, a new allowance");
    }

    #[test]
    fn right_passwords_give_their_place_back() {
        let throttle = SignInThrottle::default();
        for _ in 0..3 * FAILED_SIGN_INS_PER_ADDRESS_PER_MINUTE {
            let place = throttle.take(Some("192.0.2.1"), NOW).expect("people signing in never run out");
            throttle.give_back(place);
        }
    }
}

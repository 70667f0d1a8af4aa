//! Alarms: the kinds Roster raises, an alarm as the page shows it, and the rules that decide two of them
//! (impossible travel; too many addresses is `own_session::MANY_ADDRESSES`, shared with My sessions' badge).

use serde::{Deserialize, Serialize};

/// Faster than this between two sign-ins of one user is impossible travel (authentik's rule).
pub const TRAVEL_KMH: f64 = 1_000.0;
/// Slack for geolocation error: two sign-ins this close are never impossible.
pub const TRAVEL_TOLERANCE_KM: f64 = 100.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlarmKind {
    /// One user's active sessions come from 4 or more distinct addresses.
    IpSpread,
    /// A sign-in from a country the user had no session from in the 30 days before.
    NewCountry,
    /// Two consecutive sign-ins farther apart than travel allows.
    ImpossibleTravel,
    /// A sign-in refused, or an older session signed out, at the sessions-per-user limit.
    SessionLimit,
    /// An account locked after repeated wrong passwords.
    FailedSignIns,
}

impl AlarmKind {
    pub const ALL: [AlarmKind; 5] = [
        AlarmKind::IpSpread,
        AlarmKind::NewCountry,
        AlarmKind::ImpossibleTravel,
        AlarmKind::SessionLimit,
        AlarmKind::FailedSignIns,
    ];

    /// The code the database, the admin API and the webhook use.
    pub fn as_str(self) -> &'static str {
        match self {
            AlarmKind::IpSpread => "ip_spread",
            AlarmKind::NewCountry => "new_country",
            AlarmKind::ImpossibleTravel => "impossible_travel",
            AlarmKind::SessionLimit => "session_limit",
            AlarmKind::FailedSignIns => "failed_sign_ins",
        }
    }

    pub fn parse(text: &str) -> Option<AlarmKind> {
        AlarmKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            AlarmKind::IpSpread => "IP spread",
            AlarmKind::NewCountry => "New country",
            AlarmKind::ImpossibleTravel => "Impossible travel",
            AlarmKind::SessionLimit => "Session limit reached",
            AlarmKind::FailedSignIns => "Repeated failed sign-ins",
        }
    }
}

/// One alarm, open or acknowledged.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AlarmView {
    pub id: i64,
    pub kind: AlarmKind,
    /// The user it is about, when Roster knows them (a lock-out may name an email no account has).
    pub user_id: Option<i64>,
    /// Their email, or the email typed.
    pub subject: String,
    /// What was seen, the latest time.
    pub detail: String,
    pub first_seen_ms: i64,
    pub last_seen_ms: i64,
    /// How many times it was seen while open.
    pub times: i64,
    /// Who acknowledged it and when; None while open.
    pub acknowledged: Option<(String, i64)>,
    /// Active sessions of the user now (for Logout All Devices).
    pub active_sessions: i64,
}

impl AlarmView {
    pub fn is_open(&self) -> bool {
        self.acknowledged.is_none()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmPage {
    /// Open alarms first, then acknowledged ones, each newest first.
    pub rows: Vec<AlarmView>,
    pub open: i64,
    pub total: i64,
    /// 1-based.
    pub page: u32,
    pub size: u32,
    pub now_ms: i64,
}

/// A sign-in's place and time.
#[derive(Clone, Debug, PartialEq)]
pub struct SignInPlace {
    pub at_ms: i64,
    pub latitude: f64,
    pub longitude: f64,
    /// "Madrid, Spain".
    pub name: String,
}

/// Two sign-ins too far apart for the time between them: what the alarm says.
#[derive(Clone, Debug, PartialEq)]
pub struct ImpossibleTrip {
    pub distance_km: f64,
    pub hours: f64,
    pub allowed_km: f64,
}

/// The great-circle distance between two points, in kilometres.
pub fn distance_km(from: &SignInPlace, to: &SignInPlace) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6_371.0;
    let (lat1, lat2) = (from.latitude.to_radians(), to.latitude.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (to.longitude - from.longitude).to_radians();
    let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
}

/// authentik's rule: the elapsed time counts as at least one hour, and the trip is impossible when it is longer
/// than 1,000 km/h allows plus 100 km.
pub fn impossible_trip(earlier: &SignInPlace, later: &SignInPlace) -> Option<ImpossibleTrip> {
    let distance_km = distance_km(earlier, later);
    let hours = ((later.at_ms - earlier.at_ms).max(0) as f64 / 3_600_000.0).max(1.0);
    let allowed_km = TRAVEL_KMH * hours + TRAVEL_TOLERANCE_KM;
    (distance_km > allowed_km).then_some(ImpossibleTrip { distance_km, hours, allowed_km })
}

impl ImpossibleTrip {
    /// "Madrid, Spain → Tokyo, Japan: 10,762 km in 2.0 hours; at most 2,100 km possible".
    pub fn describe(&self, from: &SignInPlace, to: &SignInPlace) -> String {
        format!(
            "{} → {}: {} km in {:.1} hours; at most {} km possible",
            from.name,
            to.name,
            crate::format::thousands(self.distance_km.round() as i64),
            self.hours,
            crate::format::thousands(self.allowed_km.round() as i64)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    fn place(name: &str, latitude: f64, longitude: f64, at_ms: i64) -> SignInPlace {
        SignInPlace { at_ms, latitude, longitude, name: name.into() }
    }

    #[test]
    fn madrid_to_tokyo_in_two_hours_is_impossible_and_in_a_day_is_not() {
        let madrid = place("Madrid, Spain", 40.4168, -3.7038, 0);
        let tokyo = place("Tokyo, Japan", 35.6762, 139.6503, 2 * HOUR);
        let trip = impossible_trip(&madrid, &tokyo).expect("10,000+ km in 2 hours");
        assert!((10_700.0..10_800.0).contains(&trip.distance_km), "{}", trip.distance_km);
        assert_eq!((trip.hours, trip.allowed_km), (2.0, 2_100.0));
        assert_eq!(
            trip.describe(&madrid, &tokyo),
            "Madrid, Spain → Tokyo, Japan: 10,762 km in 2.0 hours; at most 2,100 km possible"
        );
        let next_day = place("Tokyo, Japan", 35.6762, 139.6503, 24 * HOUR);
        assert_eq!(impossible_trip(&madrid, &next_day), None);
    }

    #[test]
    fn less_than_an_hour_counts_as_one_and_the_tolerance_covers_nearby_places() {
        let madrid = place("Madrid", 40.4168, -3.7038, 0);
        // About 505 km in one minute: within one hour's 1,000 km plus 100.
        let barcelona = place("Barcelona", 41.3874, 2.1686, 60_000);
        assert_eq!(impossible_trip(&madrid, &barcelona), None);
        // About 1,263 km in one minute: more than 1,100.
        let london = place("London", 51.5074, -0.1278, 60_000);
        assert!(impossible_trip(&madrid, &london).is_some());
    }
}

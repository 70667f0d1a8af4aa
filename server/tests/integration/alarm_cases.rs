//! Alarms, written once and run on SQLite and PostgreSQL: each detector raises its alarm from the write that
//! triggers it, a repeat raises the open alarm's count instead of adding one, acknowledging is audited, and the
//! admin API lists them. Impossible travel and new countries are judged with a small geo database.

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use serde_json::json;

use app::alarms::AlarmKind;
use roster::engine::{CreateSession, SessionOwner};
use roster::secrets::Secret;
use roster::storage::AlarmRow;

use crate::api_http::Api;
use crate::support::{manual_clock, new_session, test_engine, TestDb};

const HOUR: i64 = 3_600_000;

async fn alarms(api_engine: &roster::engine::Engine) -> Vec<AlarmRow> {
    api_engine.list_alarms(false, 100, 0).await.unwrap()
}

fn of_kind(rows: &[AlarmRow], kind: AlarmKind) -> Vec<&AlarmRow> {
    rows.iter().filter(|row| row.kind == kind.as_str()).collect()
}

pub async fn four_addresses_raise_ip_spread_once_and_acknowledging_is_audited(db: &TestDb) {
    let api = Api::start(db).await;
    for n in 1..=3 {
        let reply =
            api.create(json!({ "userEmail": "spread@example.com", "ip": format!("198.51.100.{n}") })).await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    assert!(of_kind(&alarms(&api.engine).await, AlarmKind::IpSpread).is_empty(), "three addresses are fine");
    api.create(json!({ "userEmail": "spread@example.com", "ip": "198.51.100.4" })).await;
    let rows = alarms(&api.engine).await;
    let spread = of_kind(&rows, AlarmKind::IpSpread);
    assert_eq!(spread.len(), 1);
    assert_eq!(
        (spread[0].subject.as_str(), spread[0].times, spread[0].state.as_str()),
        ("spread@example.com", 1, "open")
    );
    assert!(
        spread[0].detail.contains("4 addresses") && spread[0].detail.contains("198.51.100.4"),
        "{}",
        spread[0].detail
    );

    // A fifth address repeats the open alarm.
    api.clock.advance_ms(60_000);
    api.create(json!({ "userEmail": "spread@example.com", "ip": "198.51.100.5" })).await;
    let spread =
        of_kind(&alarms(&api.engine).await, AlarmKind::IpSpread).into_iter().cloned().collect::<Vec<_>>();
    assert_eq!((spread.len(), spread[0].times), (1, 2));
    assert!(spread[0].last_seen_at > spread[0].first_seen_at);

    let admin = api.engine.user_by_email("spread@example.com").await.unwrap().unwrap();
    api.engine.acknowledge_alarm(spread[0].id, admin.id, Some("192.0.2.1".into())).await.unwrap();
    let again = api.engine.acknowledge_alarm(spread[0].id, admin.id, None).await;
    assert!(again.is_err(), "an acknowledged alarm cannot be acknowledged twice");
    let audit = db.storage.recent_audit(20).await.unwrap();
    assert!(audit.iter().any(|record| record.action == "alarm.acknowledged"));
    assert!(audit.iter().any(|record| record.action == "alarm.raised"));

    // Seen again after it was acknowledged: a new open alarm.
    api.create(json!({ "userEmail": "spread@example.com", "ip": "198.51.100.6" })).await;
    let rows = alarms(&api.engine).await;
    let spread = of_kind(&rows, AlarmKind::IpSpread);
    assert_eq!(spread.iter().map(|row| row.state.as_str()).collect::<Vec<_>>(), ["open", "acknowledged"]);
    assert_eq!(api.engine.count_alarms().await.unwrap(), (1, 2));

    let listed = api.admin(Method::GET, "/api/admin/alarms?state=open").await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(listed.body["items"][0]["kind"], "ip_spread");
    assert_eq!(listed.body["open"], 1);
    let all = api.admin(Method::GET, "/api/admin/alarms").await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 2);
    let bad = api.admin(Method::GET, "/api/admin/alarms?state=closed").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let anonymous = api.call(Method::GET, "/api/admin/alarms", None, None, &[]).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

pub async fn a_refused_sign_in_at_the_limit_and_a_lock_out_raise_alarms(db: &TestDb) {
    let api = Api::start(db).await;
    for _ in 0..10 {
        api.create(json!({ "userEmail": "busy@example.com", "ip": "198.51.100.9" })).await;
    }
    let refused = api.create(json!({ "userEmail": "busy@example.com", "ip": "198.51.100.9" })).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let rows = alarms(&api.engine).await;
    let limit = of_kind(&rows, AlarmKind::SessionLimit);
    assert_eq!(limit.len(), 1);
    assert_eq!(limit[0].subject, "busy@example.com");
    assert!(limit[0].detail.contains("refused"), "{}", limit[0].detail);

    let wrong = Secret::from("not the password");
    for _ in 0..10 {
        let _ = api.engine.check_console_password("Locked@Example.com", &wrong, Some("198.51.100.10")).await;
    }
    let rows = alarms(&api.engine).await;
    let locked = of_kind(&rows, AlarmKind::FailedSignIns);
    assert_eq!(locked.len(), 1, "one alarm for the lock, not one per failure");
    assert_eq!((locked[0].subject.as_str(), locked[0].user_id), ("locked@example.com", None));
}

/// A MaxMind-format database with three cities.
fn geo_database(dir: &std::path::Path) -> roster::geo::GeoDatabase {
    use mmdb_writer::{Value, Writer};
    let mut writer = Writer::new("GeoIP2-City");
    for (network, city, country, latitude, longitude) in [
        ("198.51.100.0/24", "Madrid", "Spain", 40.4168, -3.7038),
        ("192.0.2.0/24", "Barcelona", "Spain", 41.3874, 2.1686),
        ("203.0.113.0/24", "Tokyo", "Japan", 35.6762, 139.6503),
    ] {
        let names = |name: &str| Value::map([("names", Value::map([("en", Value::from(name))]))]);
        let record = Value::map([
            ("city", names(city)),
            ("country", names(country)),
            (
                "location",
                Value::map([("latitude", Value::from(latitude)), ("longitude", Value::from(longitude))]),
            ),
        ]);
        writer.insert_value(network.parse::<mmdb_writer::ipnet::IpNet>().unwrap(), record).unwrap();
    }
    let path = dir.join("cities.mmdb");
    std::fs::write(&path, writer.to_bytes().unwrap()).unwrap();
    roster::geo::GeoDatabase::open(&path).unwrap()
}

pub async fn impossible_travel_and_a_new_country_are_judged_against_the_sign_in_before(db: &TestDb) {
    let folder = tempfile::tempdir().unwrap();
    let (clock, shared) = manual_clock();
    let mut engine = test_engine(db, shared);
    engine.geo = Some(Arc::new(geo_database(folder.path())));
    let console = db.storage.app_by_slug("console").await.unwrap().unwrap();
    let sign_in = |ip: &'static str| {
        let engine = engine.clone();
        let owner =
            SessionOwner::Named { email: Some("traveller@example.com"), external_id: None, name: None };
        async move {
            engine
                .create_session(CreateSession {
                    ip: Some(ip.parse().unwrap()),
                    ..new_session(console.id, 0, owner)
                })
                .await
                .unwrap();
        }
    };
    sign_in("198.51.100.7").await; // Madrid
    clock.advance_ms(HOUR);
    sign_in("192.0.2.7").await; // Barcelona: 505 km in an hour, possible; the same country
    assert!(alarms(&engine).await.is_empty(), "{:?}", alarms(&engine).await);

    clock.advance_ms(HOUR);
    sign_in("203.0.113.7").await; // Tokyo, an hour after Barcelona
    let rows = alarms(&engine).await;
    let travel = of_kind(&rows, AlarmKind::ImpossibleTravel);
    assert_eq!(travel.len(), 1, "{rows:?}");
    assert!(
        travel[0].detail.starts_with("Barcelona, Spain → Tokyo, Japan: ")
            && travel[0].detail.ends_with(" km in 1.0 hours; at most 1,100 km possible"),
        "{}",
        travel[0].detail
    );
    let country = of_kind(&rows, AlarmKind::NewCountry);
    assert_eq!(country.len(), 1);
    assert!(country[0].detail.contains("Tokyo, Japan"), "{}", country[0].detail);

    // A day and more later, back in Madrid: a trip that time allows, and a country seen before.
    clock.advance_ms(30 * HOUR);
    sign_in("198.51.100.8").await;
    let rows = alarms(&engine).await;
    assert_eq!(of_kind(&rows, AlarmKind::ImpossibleTravel)[0].times, 1);
    assert_eq!(of_kind(&rows, AlarmKind::NewCountry)[0].times, 1);
}

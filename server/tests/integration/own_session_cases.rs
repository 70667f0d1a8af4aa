//! "My sessions" facts worked out in the database: the warning signs and sign-ins from the same device.

use std::collections::HashMap;

use app::model::SessionStatus;
use app::own_session::WARNING_WINDOW_MS;
use roster::device::Device;
use roster::geo::Location;
use roster::storage::{
    AuditEvent, EndedBy, NewSession, NewUser, OwnSessionRow, SessionEnd, SessionOwner, Storage,
};

use crate::support::{sid, TestDb, START_MS};

const DAY: i64 = 86_400_000;
const NOW: i64 = START_MS + 60 * DAY;

struct SignIn {
    id: &'static str,
    days_ago: i64,
    ip: Option<&'static str>,
    place: Option<(&'static str, &'static str)>,
    client: Option<(&'static str, &'static str)>,
}

async fn member(storage: &Storage, email: &str) -> i64 {
    let new_user =
        NewUser { email, display_name: "Someone", role: "member", password_hash: None, now_ms: START_MS };
    storage.create_user(new_user).await.unwrap()
}

async fn sign_in(storage: &Storage, user_id: i64, sign_in: SignIn) {
    let console = storage.app_by_slug("console").await.unwrap().unwrap();
    let device = Device {
        browser: sign_in.client.map(|(browser, _)| browser.to_owned()),
        os: sign_in.client.map(|(_, os)| os.to_owned()),
        device: sign_in.client.map(|_| "desktop".to_owned()),
        ..Device::default()
    };
    let location = Location {
        city: sign_in.place.map(|(city, _)| city.to_owned()),
        country: sign_in.place.map(|(_, country)| country.to_owned()),
        ..Location::default()
    };
    let at = NOW - sign_in.days_ago * DAY;
    let audit = AuditEvent {
        at_ms: at,
        actor: "test".into(),
        action: "session.created",
        target: Some(sign_in.id.into()),
        reason: None,
        ip: None,
    };
    let session = NewSession {
        id: &sid(sign_in.id),
        token_hash: &roster::secrets::sha256(sign_in.id.as_bytes()),
        app_id: console.id,
        owner: SessionOwner::User(user_id),
        ip: sign_in.ip,
        user_agent: None,
        device: &device,
        location: &location,
        now_ms: at,
        expires_at_ms: None,
        idle_timeout_secs: None,
        remember_me: false,
        payload: None,
    };
    storage.insert_session(&session, None, &audit).await.unwrap();
}

fn id(n: u8) -> &'static str {
    Box::leak(format!("{n:032x}").into_boxed_str())
}

/// (New location, New device, sign-ins from this device, addresses) by session id.
async fn facts(storage: &Storage, user_id: i64) -> HashMap<String, (bool, bool, i64, i64)> {
    let rows: Vec<OwnSessionRow> = storage.own_sessions(user_id, NOW, WARNING_WINDOW_MS).await.unwrap();
    rows.into_iter()
        .map(|row| {
            let facts = (row.new_location != 0, row.new_device != 0, row.device_sign_ins, row.addresses);
            (row.session.id.into_string(), facts)
        })
        .collect()
}

pub async fn warning_signs_compare_each_sign_in_with_the_30_days_before_it(db: &TestDb) {
    let storage = &db.storage;
    let user = member(storage, "member@example.com").await;
    let stranger = member(storage, "stranger@example.com").await;
    let madrid = Some(("Madrid", "Spain"));
    let chrome = Some(("Chrome", "Windows 10"));
    // The first sign-in has nothing before it to differ from.
    sign_in(
        storage,
        user,
        SignIn { id: id(1), days_ago: 40, ip: Some("198.51.100.1"), place: madrid, client: chrome },
    )
    .await;
    // 30 days after the first, as it: nothing new.
    sign_in(
        storage,
        user,
        SignIn { id: id(2), days_ago: 10, ip: Some("198.51.100.2"), place: madrid, client: chrome },
    )
    .await;
    // Another country and another browser and system than anything in the 30 days before.
    let paris = Some(("Paris", "France"));
    let safari = Some(("Safari", "iPhone"));
    sign_in(
        storage,
        user,
        SignIn { id: id(3), days_ago: 5, ip: Some("198.51.100.3"), place: paris, client: safari },
    )
    .await;
    // Back home: seen before.
    sign_in(
        storage,
        user,
        SignIn { id: id(4), days_ago: 1, ip: Some("198.51.100.3"), place: madrid, client: chrome },
    )
    .await;
    // Seen in a session that has since ended: history counts, ended or not.
    let rome = Some(("Rome", "Italy"));
    let firefox = Some(("Firefox", "Linux"));
    sign_in(
        storage,
        user,
        SignIn { id: id(5), days_ago: 20, ip: Some("203.0.113.9"), place: rome, client: firefox },
    )
    .await;
    let end = SessionEnd {
        status: SessionStatus::Revoked,
        ended_by_token_id: None,
        ended_by: EndedBy::User,
        ended_by_user_id: Some(user),
        reason: "test",
        cause: app::end_cause::EndCause::EndedByAdmin,
        share_reason: false,
        now_ms: NOW - 19 * DAY,
    };
    let audit = AuditEvent {
        at_ms: NOW,
        actor: "test".into(),
        action: "session.revoked",
        target: None,
        reason: None,
        ip: None,
    };
    storage.end_session(&sid(id(5)), &end, &audit).await.unwrap();
    sign_in(
        storage,
        user,
        SignIn { id: id(6), days_ago: 2, ip: Some("198.51.100.3"), place: rome, client: firefox },
    )
    .await;
    // Another user's sign-ins are not this user's history.
    let berlin = Some(("Berlin", "Germany"));
    sign_in(
        storage,
        stranger,
        SignIn { id: id(9), days_ago: 3, ip: Some("192.0.2.1"), place: berlin, client: chrome },
    )
    .await;
    sign_in(
        storage,
        user,
        SignIn { id: id(7), days_ago: 1, ip: Some("198.51.100.1"), place: berlin, client: chrome },
    )
    .await;

    let seen = facts(storage, user).await;
    assert_eq!(seen.len(), 6, "active sessions only: {seen:?}");
    assert_eq!(seen[id(1)], (false, false, 4, 3), "first sign-in; Chrome on Windows signed in 4 times");
    assert_eq!(seen[id(2)], (false, false, 4, 3));
    assert_eq!(seen[id(3)], (true, true, 1, 3), "France and Safari on iPhone are new");
    assert_eq!(seen[id(4)], (false, false, 4, 3));
    assert_eq!(seen[id(6)], (false, false, 2, 3), "Italy and Firefox were seen in the ended session");
    assert_eq!(seen[id(7)], (true, false, 4, 3), "Germany is new to this user, whoever else was there");

    // A fourth address among the active sessions; one with nothing known raises no New location or device.
    sign_in(
        storage,
        user,
        SignIn { id: id(8), days_ago: 0, ip: Some("192.0.2.200"), place: None, client: None },
    )
    .await;
    let seen = facts(storage, user).await;
    assert!(seen.values().all(|facts| facts.3 == 4), "{seen:?}");
    assert_eq!(seen[id(8)], (false, false, 1, 4));
}

//! Session history, written once and run on SQLite and PostgreSQL: every way a session ends is classified and
//! named as History shows it, newest end first; the filter, the search, the order and the counts.

use axum::http::{Method, StatusCode};

use app::backend::HistoryBackend;
use app::history::{EndedHow, HistoryPage, HistoryQuery};
use app::model::{Role, SessionId, SessionStatus};
use app::session_query::Direction;
use roster::console::Console;
use roster::engine::{Actor, NewMember};

use crate::api_http::{Api, APP_KEY};
use crate::support::TestDb;

const MINUTE: i64 = 60_000;

async fn history(api: &Api, query: HistoryQuery) -> HistoryPage {
    Console::new(api.engine.clone()).history_page(&query).await.unwrap()
}

fn emails_and_how(page: &HistoryPage) -> Vec<(String, String, String)> {
    page.rows
        .iter()
        .map(|row| {
            let email = row.user.as_ref().map_or("guest".to_string(), |user| user.email.clone());
            (email, row.how_label(), row.ended_by.clone())
        })
        .collect()
}

pub async fn every_way_a_session_ends_is_named_newest_first(db: &TestDb) {
    let api = Api::start(db).await;
    let admin = NewMember { email: "boss@example.com", name: "Boss", role: Role::Admin, password: None };
    let admin_id = api.engine.add_user(admin, Actor::Operator).await.unwrap();

    let (by_token, _) = api.create_for("token@example.com").await;
    let (_, holder_token) = api.create_for("holder@example.com").await;
    let (by_admin, _) = api.create_for("victim@example.com").await;
    let (by_self, _) = api.create_for("self@example.com").await;
    let still_active = api.create_for("active@example.com").await;
    let self_id = api.engine.user_by_email("self@example.com").await.unwrap().unwrap().id;

    api.clock.advance_ms(MINUTE);
    let revoke = api.admin(Method::DELETE, &format!("/api/admin/sessions/{by_token}")).await;
    assert_eq!(revoke.status, StatusCode::OK, "{}", revoke.body);
    api.clock.advance_ms(MINUTE);
    let out = api
        .call(
            Method::DELETE,
            "/api/v1/sessions/current",
            Some(APP_KEY),
            None,
            &[("x-session-token", &holder_token)],
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    api.clock.advance_ms(MINUTE);
    let admin_actor = Actor::User { id: admin_id, ip: Some("198.51.100.7".into()) };
    let id = SessionId::parse(&by_admin).unwrap();
    assert!(api
        .engine
        .end_session(&id, admin_actor, SessionStatus::Revoked, "Security concern")
        .await
        .unwrap());
    api.clock.advance_ms(MINUTE);
    let own = Actor::User { id: self_id, ip: None };
    let id = SessionId::parse(&by_self).unwrap();
    assert!(api
        .engine
        .end_session(&id, own, SessionStatus::Revoked, "signed out from My sessions")
        .await
        .unwrap());
    // The one left expires after an hour unused.
    api.clock.advance_ms(61 * MINUTE);
    assert_eq!(api.engine.expire_due().await.unwrap(), 1);

    let page = history(&api, HistoryQuery::default()).await;
    let expected = [
        ("active@example.com", "Expired (idle timeout)", "system"),
        ("self@example.com", "Signed out", "the user"),
        ("victim@example.com", "Terminated", "boss@example.com"),
        ("holder@example.com", "Signed out", "the user"),
        ("token@example.com", "Terminated", "admin token ci"),
    ];
    let expected: Vec<(String, String, String)> =
        expected.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect();
    assert_eq!(emails_and_how(&page), expected, "newest end first");
    assert_eq!((page.total, page.total_is_exact), (5, true));
    assert_eq!(page.rows[2].reason.as_deref(), Some("Security concern"));
    assert!(page.rows.iter().all(|row| row.id != still_active.0 || row.how == EndedHow::Expired));

    let oldest_first = history(&api, HistoryQuery { dir: Direction::Asc, ..Default::default() }).await;
    assert_eq!(oldest_first.rows[0].ended_by, "admin token ci");

    let signed_out =
        history(&api, HistoryQuery { how: Some(EndedHow::SignedOut), ..Default::default() }).await;
    assert_eq!(signed_out.total, 2, "the maintained count of one kind");
    assert!(signed_out.rows.iter().all(|row| row.how == EndedHow::SignedOut));
    let terminated =
        history(&api, HistoryQuery { how: Some(EndedHow::Terminated), ..Default::default() }).await;
    assert_eq!(terminated.total, 2);

    let searched = history(&api, HistoryQuery { q: "victim".into(), ..Default::default() }).await;
    assert_eq!(emails_and_how(&searched).len(), 1);
    assert_eq!(searched.rows[0].ended_by, "boss@example.com");
    let by_id = history(&api, HistoryQuery { q: by_token[..8].to_string(), ..Default::default() }).await;
    assert_eq!(by_id.rows.iter().map(|row| row.id.as_str()).collect::<Vec<_>>(), [by_token.as_str()]);
    let by_ip = history(&api, HistoryQuery { q: "203.0.113".into(), ..Default::default() }).await;
    assert_eq!(by_ip.total, 5, "every session came from that address");
    let searched_and_filtered = history(
        &api,
        HistoryQuery { q: "example.com".into(), how: Some(EndedHow::Expired), ..Default::default() },
    )
    .await;
    assert_eq!(emails_and_how(&searched_and_filtered).len(), 1);
    let nothing =
        history(&api, HistoryQuery { q: "'; DROP TABLE sessions; --".into(), ..Default::default() }).await;
    assert_eq!((nothing.total, nothing.rows.len()), (0, 0));

    let second_page = history(&api, HistoryQuery { size: 25, page: 2, ..Default::default() }).await;
    assert!(second_page.rows.is_empty());
    assert_eq!(second_page.total, 5);
}

/// Ending every session at once (Kill All) is history too: one batched statement, every row classified and
/// counted.
pub async fn kill_all_is_counted_and_classified(db: &TestDb) {
    let api = Api::start(db).await;
    let admin = NewMember { email: "boss@example.com", name: "Boss", role: Role::Admin, password: None };
    let admin_id = api.engine.add_user(admin, Actor::Operator).await.unwrap();
    for n in 0..30 {
        api.create_for(&format!("user{n}@example.com")).await;
    }
    api.clock.advance_ms(MINUTE);
    let actor = Actor::User { id: admin_id, ip: None };
    assert_eq!(api.engine.revoke_all_active(None, actor, "Kill All").await.unwrap(), 30);
    let page = history(&api, HistoryQuery { size: 25, ..Default::default() }).await;
    assert_eq!((page.total, page.rows.len()), (30, 25));
    assert!(page
        .rows
        .iter()
        .all(|row| row.how == EndedHow::Terminated && row.ended_by == "boss@example.com"));
    let rest = history(&api, HistoryQuery { size: 25, page: 2, ..Default::default() }).await;
    assert_eq!(rest.rows.len(), 5);
    // A page in the second half is read from the other end: the same rows, in the same order.
    let whole = history(&api, HistoryQuery { size: 100, ..Default::default() }).await;
    let ids = |page: &HistoryPage| page.rows.iter().map(|row| row.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&rest), ids(&whole)[25..]);
    let oldest =
        history(&api, HistoryQuery { size: 25, page: 2, dir: Direction::Asc, ..Default::default() }).await;
    let mut reversed = ids(&whole);
    reversed.reverse();
    assert_eq!(ids(&oldest), reversed[25..]);
    let expired = history(&api, HistoryQuery { how: Some(EndedHow::Expired), ..Default::default() }).await;
    assert_eq!((expired.total, expired.rows.len()), (0, 0));
}

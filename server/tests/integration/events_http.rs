//! The console's live event stream, `GET /api/events`: refused without a console session, every session event
//! for those who see all sessions, only their own for a member, and closed once the console session ends,
//! after telling the browser so.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::json;

use roster::engine::Actor;

use crate::console_detail_http::{register_app, session_for};
use crate::console_http::TestApp;
use crate::support::sid;

/// How long a test waits for an event that should come, and for one that should not.
const SHOULD_ARRIVE: Duration = Duration::from_secs(5);
const SHOULD_NOT_ARRIVE: Duration = Duration::from_millis(300);

struct Stream(axum::body::Body);

impl Stream {
    async fn open(app: &TestApp, cookie: &str) -> Stream {
        let request = Request::get("/api/events").header(header::COOKIE, cookie).body(Body::empty()).unwrap();
        let response = app.open(request).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "text/event-stream");
        Stream(response.into_body())
    }

    /// The next event's name, skipping keep-alive comments; None when the stream ended or `wait` passed.
    async fn next_event(&mut self, wait: Duration) -> Option<String> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.0.frame()).await.ok()??.ok()?;
            let Ok(data) = frame.into_data() else { continue };
            let text = String::from_utf8_lossy(&data).into_owned();
            if let Some(name) = text.lines().find_map(|line| line.strip_prefix("event: ")) {
                return Some(name.to_string());
            }
        }
    }

    /// The next event's name and data.
    async fn next_with_data(&mut self, wait: Duration) -> Option<(String, String)> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.0.frame()).await.ok()??.ok()?;
            let Ok(data) = frame.into_data() else { continue };
            let text = String::from_utf8_lossy(&data).into_owned();
            let field =
                |prefix: &str| text.lines().find_map(|line| line.strip_prefix(prefix)).map(str::to_string);
            if let (Some(name), Some(data)) = (field("event: "), field("data: ")) {
                return Some((name, data));
            }
        }
    }

    async fn ended(&mut self) -> bool {
        let frame =
            tokio::time::timeout(SHOULD_ARRIVE, self.0.frame()).await.expect("the stream ends in time");
        frame.is_none()
    }
}

#[tokio::test]
async fn without_a_console_session_the_stream_is_refused_and_the_refusal_audited() {
    let app = TestApp::start().await;
    let reply = app.send(Request::get("/api/events").body(Body::empty()).unwrap()).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let forged = Request::get("/api/events")
        .header(header::COOKIE, "roster_session=AAAAAAAAAAAAAAAAAAAAAA")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(forged).await.status, StatusCode::UNAUTHORIZED);
    app.engine.flush_anonymous_refusals(true).await.unwrap();
    let audit = app.db.storage.recent_audit(5).await.unwrap();
    assert!(audit
        .iter()
        .any(|event| event.action == "access.refused" && event.target.as_deref() == Some("events")));
}

#[tokio::test]
async fn an_admin_hears_every_session_change_a_member_only_their_own() {
    let app = TestApp::start().await;
    let app_id = register_app(&app).await;
    let mut owner = Stream::open(&app, &app.signed_in_cookie("owner@example.com").await).await;
    let mut member = Stream::open(&app, &app.signed_in_cookie("member@example.com").await).await;
    // Those who may open Alarms hear the open count first; a member never hears of alarms.
    assert_eq!(owner.next_event(SHOULD_ARRIVE).await.as_deref(), Some("alarms"));
    // Each sign-in above was itself a session created; the owner heard both, the member only their own.
    assert_eq!(owner.next_event(SHOULD_ARRIVE).await.as_deref(), Some("sessions"));
    while owner.next_event(SHOULD_NOT_ARRIVE).await.is_some() {}

    let someone_else = session_for(&app, app_id, "pat@example.com", json!({})).await;
    assert_eq!(owner.next_event(SHOULD_ARRIVE).await.as_deref(), Some("sessions"), "created, anyone's");
    assert_eq!(
        member.next_event(SHOULD_NOT_ARRIVE).await,
        None,
        "a member hears nothing of others' sessions"
    );

    app.engine
        .end_session(&sid(&someone_else), Actor::System, app::model::SessionStatus::Revoked, "test")
        .await
        .unwrap();
    assert_eq!(owner.next_event(SHOULD_ARRIVE).await.as_deref(), Some("sessions"), "ended, anyone's");
    assert_eq!(member.next_event(SHOULD_NOT_ARRIVE).await, None);

    let member_id = app.db.storage.user_by_email("member@example.com").await.unwrap().unwrap().id;
    app.engine.revoke_user_sessions(member_id, Actor::System, "test", false).await.unwrap();
    assert_eq!(owner.next_event(SHOULD_ARRIVE).await.as_deref(), Some("sessions"));
    assert_eq!(
        member.next_event(SHOULD_ARRIVE).await.as_deref(),
        Some("signed_out"),
        "the member's console session was among those ended: their pages leave for the sign-in page"
    );
    assert!(member.ended().await, "and the stream ends");
}

#[tokio::test]
async fn those_who_may_open_alarms_hear_the_open_count_as_alarms_are_raised() {
    let app = TestApp::start().await;
    let mut owner = Stream::open(&app, &app.signed_in_cookie("owner@example.com").await).await;
    let mut member = Stream::open(&app, &app.signed_in_cookie("member@example.com").await).await;
    assert_eq!(owner.next_with_data(SHOULD_ARRIVE).await, Some(("alarms".into(), "0".into())));
    while owner.next_event(SHOULD_NOT_ARRIVE).await.is_some() {}
    while member.next_event(SHOULD_NOT_ARRIVE).await.is_some() {}

    let wrong = roster::secrets::Secret::from("not the password");
    for _ in 0..10 {
        let _ = app.engine.check_console_password("nobody@example.com", &wrong, Some("198.51.100.1")).await;
    }
    assert_eq!(owner.next_with_data(SHOULD_ARRIVE).await, Some(("alarms".into(), "1".into())));
    assert_eq!(member.next_event(SHOULD_NOT_ARRIVE).await, None, "a member hears nothing of alarms");
}

#[tokio::test]
async fn a_stopping_server_ends_open_streams_so_its_shutdown_does_not_wait_for_them() {
    let app = TestApp::start().await;
    let mut stream = Stream::open(&app, &app.signed_in_cookie("owner@example.com").await).await;
    assert_eq!(stream.next_event(SHOULD_ARRIVE).await.as_deref(), Some("alarms"), "the open count, first");
    app.engine.events.close();
    assert!(stream.ended().await, "the stream ends once the server stops");
}

#[tokio::test]
async fn validations_tell_the_admins_consoles_at_most_every_few_seconds_and_members_nothing() {
    let app = TestApp::start().await;
    let app_id = register_app(&app).await;
    let mut owner = Stream::open(&app, &app.signed_in_cookie("owner@example.com").await).await;
    let mut member = Stream::open(&app, &app.signed_in_cookie("member@example.com").await).await;
    let id = session_for(&app, app_id, "pat@example.com", json!({})).await;
    let row = app.engine.session_by_id(&sid(&id)).await.unwrap().unwrap();
    while owner.next_event(SHOULD_NOT_ARRIVE).await.is_some() {}
    while member.next_event(SHOULD_NOT_ARRIVE).await.is_some() {}

    app.engine.validate(&row.token_hash, app_id).await.unwrap();
    app.engine.activity.flush(60_000).await.unwrap();
    assert_eq!(owner.next_event(SHOULD_ARRIVE).await.as_deref(), Some("sessions"), "last active moved");
    assert_eq!(member.next_event(SHOULD_NOT_ARRIVE).await, None, "not the member's session");

    app.engine.validate(&row.token_hash, app_id).await.unwrap();
    app.engine.activity.flush(60_000).await.unwrap();
    assert_eq!(
        owner.next_event(SHOULD_NOT_ARRIVE).await,
        None,
        "a second flush right after is not announced"
    );
}

//! The Settings page's server functions over HTTP: owners only, every value checked, and Remember Me leaving the
//! sign-in page when the workspace forbids it.

use axum::http::StatusCode;

use app::end_cause::SignInPage;
use app::settings::WorkspaceSettings;
use app::ConsoleError;
use roster::engine::{Actor, NewMember};
use roster::secrets::Secret;

use crate::console_http::{TestApp, PASSWORD};

fn form(max_sessions: &str, allow_remember_me: bool) -> String {
    format!(
        "settings[idle_timeout]=one_day&settings[absolute_lifetime_hours]=12&settings[allow_remember_me]={allow_remember_me}\
         &settings[remembered_days]=7&settings[max_sessions_per_user]={max_sessions}&settings[when_limit_reached]=sign_out_oldest"
    )
}

#[tokio::test]
async fn only_owners_read_and_save_settings_and_every_value_is_checked() {
    let app = TestApp::start().await;
    let admin = NewMember {
        email: "admin@example.com",
        name: "Admin",
        role: app::model::Role::Admin,
        password: Some(Secret::from(PASSWORD)),
    };
    app.engine.add_user(admin, Actor::Operator).await.unwrap();
    let owner = app.signed_in_cookie("owner@example.com").await;
    for email in ["admin@example.com", "member@example.com", "billing@example.com"] {
        let cookie = app.signed_in_cookie(email).await;
        assert_eq!(
            app.post("/api/settings", "", Some(&cookie), &[]).await.status,
            StatusCode::FORBIDDEN,
            "{email}"
        );
        assert_eq!(
            app.post("/api/settings/save", &form("5", true), Some(&cookie), &[]).await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(app.post("/api/settings", "", None, &[]).await.status, StatusCode::UNAUTHORIZED);

    let shown = app.post("/api/settings", "", Some(&owner), &[]).await;
    assert_eq!(serde_json::from_str::<WorkspaceSettings>(&shown.body).unwrap(), WorkspaceSettings::default());
    for (bad, words) in
        [("-3", "Maximum sessions per user must be from 1 to 1000"), ("1001", "from 1 to 1000")]
    {
        let reply = app.post("/api/settings/save", &form(bad, true), Some(&owner), &[]).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert!(matches!(reply.error(), ConsoleError::InvalidInput(message) if message.contains(words)));
    }
    let garbage = app.post("/api/settings/save", &form("ten", true), Some(&owner), &[]).await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST, "{}", garbage.body);
    let unchanged = app.post("/api/settings", "", Some(&owner), &[]).await;
    assert_eq!(
        serde_json::from_str::<WorkspaceSettings>(&unchanged.body).unwrap(),
        WorkspaceSettings::default()
    );

    let saved = app.post("/api/settings/save", &form("5", false), Some(&owner), &[]).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let now = serde_json::from_str::<WorkspaceSettings>(
        &app.post("/api/settings", "", Some(&owner), &[]).await.body,
    )
    .unwrap();
    assert_eq!(
        (now.max_sessions_per_user, now.absolute_lifetime_hours, now.allow_remember_me),
        (5, 12, false)
    );
    let page: SignInPage =
        serde_json::from_str(&app.post("/api/sign_in_page", "", None, &[]).await.body).unwrap();
    assert!(!page.remember_me_allowed, "the sign-in form hides Remember me");
}

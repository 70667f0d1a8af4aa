//! The Users page's server functions over HTTP: who may list, force out, disable, change roles and add, the
//! rules on whom (yourself, owners, the password rule), and that each refusal changes nothing.

use axum::http::StatusCode;

use app::end_cause::{EndCause, SignInPage};
use app::model::Role;
use app::team::UserPage;
use app::ConsoleError;
use roster::engine::{Actor, NewMember};
use roster::secrets::Secret;

use crate::console_http::{TestApp, PASSWORD};

const LIST: &str = "query[q]=&query[sort]=email&query[dir]=asc&query[page]=1&query[size]=50";

async fn add_admin(app: &TestApp) -> i64 {
    let member = NewMember {
        email: "admin@example.com",
        name: "Admin",
        role: Role::Admin,
        password: Some(Secret::from(PASSWORD)),
    };
    app.engine.add_user(member, Actor::Operator).await.unwrap()
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    app.engine.user_by_email(email).await.unwrap().unwrap().id
}

fn refused_with(reply: &crate::console_http::Reply, words: &str) {
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    match reply.error() {
        ConsoleError::InvalidInput(message) => {
            assert!(message.contains(words), "{message:?} names {words:?}")
        }
        other => panic!("expected a refusal naming {words:?}, got {other:?}"),
    }
}

#[tokio::test]
async fn only_owners_and_admins_list_users_and_see_each_ones_counts() {
    let app = TestApp::start().await;
    add_admin(&app).await;
    let (owner, admin) =
        (app.signed_in_cookie("owner@example.com").await, app.signed_in_cookie("admin@example.com").await);
    let (member, billing) =
        (app.signed_in_cookie("member@example.com").await, app.signed_in_cookie("billing@example.com").await);
    for cookie in [&owner, &admin] {
        let reply = app.post("/api/users", LIST, Some(cookie), &[]).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let page: UserPage = serde_json::from_str(&reply.body).unwrap();
        assert_eq!(page.total, 4);
        let member = page.rows.iter().find(|user| user.email == "member@example.com").unwrap();
        assert_eq!((member.role, member.active_sessions, member.disabled), (Role::Member, 1, false));
        assert_eq!(page.total_active_sessions, 4, "every console session signed in above");
    }
    for (cookie, status) in [
        (Some(&member), StatusCode::FORBIDDEN),
        (Some(&billing), StatusCode::FORBIDDEN),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        let reply = app.post("/api/users", LIST, cookie.map(String::as_str), &[]).await;
        assert_eq!(reply.status, status, "{}", reply.body);
        assert!(!reply.body.contains("member@example.com"), "a refusal carries no data");
    }
    let audit = app.db.storage.recent_audit(5).await.unwrap();
    assert!(audit
        .iter()
        .any(|event| event.action == "access.refused" && event.target.as_deref() == Some("list_users")));
    let bad = app.post("/api/users", &LIST.replace("size]=50", "size]=7"), Some(&owner), &[]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    let bad = app.post("/api/users", &LIST.replace("sort]=email", "sort]=password"), Some(&owner), &[]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "an unknown sort key: {}", bad.body);
}

#[tokio::test]
async fn logout_all_devices_needs_a_reason_and_ends_only_that_users_sessions() {
    let app = TestApp::start().await;
    let owner = app.signed_in_cookie("owner@example.com").await;
    let member_cookie = app.signed_in_cookie("member@example.com").await;
    app.signed_in_cookie("member@example.com").await;
    let billing_cookie = app.signed_in_cookie("billing@example.com").await;
    let member = user_id(&app, "member@example.com").await;
    let force = |reason: &str| format!("user_id={member}&reason={reason}&tell_user=false");

    for blank in ["", "%20%20"] {
        refused_with(
            &app.post("/api/users/force_sign_out", &force(blank), Some(&owner), &[]).await,
            "reason",
        );
    }
    let summary = app.engine.user_summary(member).await.unwrap();
    assert_eq!(summary.active_sessions, 2, "nothing ended on a refusal");
    let refused = app.post("/api/users/force_sign_out", &force("x"), Some(&billing_cookie), &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "billing managers look, they do not act");

    let reply = app.post("/api/users/force_sign_out", &force("Security%20concern"), Some(&owner), &[]).await;
    assert_eq!((reply.status, reply.body.as_str()), (StatusCode::OK, "2"));
    assert_eq!(
        app.post("/api/my_sessions", "", Some(&member_cookie), &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.post("/api/my_sessions", "", Some(&billing_cookie), &[]).await.status,
        StatusCode::OK,
        "another user stays"
    );
    let audit = app.db.storage.recent_audit(2).await.unwrap();
    assert!(
        audit.iter().all(|event| event.reason.as_deref() == Some("Security concern")),
        "one record per ended session: {audit:?}"
    );

    // The member's browser learns why on the sign-in page; a forged cookie learns nothing.
    let page = app.post("/api/sign_in_page", "", Some(&member_cookie), &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let page: SignInPage = serde_json::from_str(&page.body).unwrap();
    let notice = page.notice.expect("a notice for a forced sign-out");
    assert_eq!((notice.cause, notice.reason), (EndCause::EndedByAdmin, None), "not told unless ticked");
    for cookie in [Some("roster_session=AAAAAAAAAAAAAAAAAAAAAA"), None] {
        let page = app.post("/api/sign_in_page", "", cookie, &[]).await;
        let page: SignInPage = serde_json::from_str(&page.body).unwrap();
        assert_eq!(page.notice, None, "a forged or absent cookie is told nothing");
    }

    let myself = user_id(&app, "owner@example.com").await;
    let own = format!("user_id={myself}&reason=test&tell_user=false");
    refused_with(&app.post("/api/users/force_sign_out", &own, Some(&owner), &[]).await, "your own account");
}

#[tokio::test]
async fn disabling_signs_out_and_locks_out_until_enabled_and_admins_cannot_touch_owners() {
    let app = TestApp::start().await;
    add_admin(&app).await;
    let admin = app.signed_in_cookie("admin@example.com").await;
    let member_cookie = app.signed_in_cookie("member@example.com").await;
    let (member, owner) =
        (user_id(&app, "member@example.com").await, user_id(&app, "owner@example.com").await);

    refused_with(
        &app.post(
            "/api/users/set_disabled",
            &format!("user_id={member}&disabled=true&reason=&tell_user=false"),
            Some(&admin),
            &[],
        )
        .await,
        "reason",
    );
    refused_with(
        &app.post(
            "/api/users/set_disabled",
            &format!("user_id={owner}&disabled=true&reason=x&tell_user=false"),
            Some(&admin),
            &[],
        )
        .await,
        "Only an owner",
    );
    let disabled = app
        .post(
            "/api/users/set_disabled",
            &format!("user_id={member}&disabled=true&reason=Left&tell_user=false"),
            Some(&admin),
            &[],
        )
        .await;
    assert_eq!((disabled.status, disabled.body.as_str()), (StatusCode::OK, "1"));
    assert_eq!(
        app.post("/api/my_sessions", "", Some(&member_cookie), &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    let sign_in = app
        .post(
            "/api/login",
            &format!("email=member%40example.com&password={}", PASSWORD.replace(' ', "+")),
            None,
            &[],
        )
        .await;
    assert_eq!(sign_in.error(), ConsoleError::AccountDisabled);

    let enabled = app
        .post(
            "/api/users/set_disabled",
            &format!("user_id={member}&disabled=false&reason=&tell_user=false"),
            Some(&admin),
            &[],
        )
        .await;
    assert_eq!(enabled.status, StatusCode::OK, "{}", enabled.body);
    app.signed_in_cookie("member@example.com").await;
}

#[tokio::test]
async fn only_owners_change_roles_never_their_own_and_added_users_follow_the_password_rule() {
    let app = TestApp::start().await;
    add_admin(&app).await;
    let (owner, admin) =
        (app.signed_in_cookie("owner@example.com").await, app.signed_in_cookie("admin@example.com").await);
    let (member, myself) =
        (user_id(&app, "member@example.com").await, user_id(&app, "owner@example.com").await);

    let promote = format!("user_id={member}&role=admin");
    assert_eq!(
        app.post("/api/users/change_role", &promote, Some(&admin), &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.engine.user_summary(member).await.unwrap().role, Role::Member, "unchanged");
    refused_with(
        &app.post("/api/users/change_role", &format!("user_id={myself}&role=member"), Some(&owner), &[])
            .await,
        "your own role",
    );
    let done = app.post("/api/users/change_role", &promote, Some(&owner), &[]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(app.engine.user_summary(member).await.unwrap().role, Role::Admin);
    let bogus = app
        .post("/api/users/change_role", &format!("user_id={member}&role=superuser"), Some(&owner), &[])
        .await;
    assert_eq!(bogus.status, StatusCode::BAD_REQUEST, "{}", bogus.body);

    let add = |email: &str, role: &str, password: &str| {
        format!("email={email}&name=New&role={role}&password={password}")
    };
    refused_with(
        &app.post("/api/users/add", &add("new%40example.com", "member", "short"), Some(&admin), &[]).await,
        "12 characters",
    );
    refused_with(
        &app.post("/api/users/add", &add("new%40example.com", "owner", ""), Some(&admin), &[]).await,
        "Only an owner",
    );
    refused_with(
        &app.post("/api/users/add", &add("not-an-email", "member", ""), Some(&admin), &[]).await,
        "not an email",
    );
    assert!(
        app.engine.user_by_email("new@example.com").await.unwrap().is_none(),
        "nothing added on a refusal"
    );
    let added = app
        .post(
            "/api/users/add",
            &add("new%40example.com", "member", "a+long+enough+password"),
            Some(&admin),
            &[],
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    app.signed_in_cookie_with("new@example.com", "a long enough password").await;
    refused_with(
        &app.post("/api/users/add", &add("NEW%40example.com", "member", ""), Some(&admin), &[]).await,
        "already exists",
    );
}

#[tokio::test]
async fn signing_out_the_team_keeps_only_the_callers_own_session() {
    let app = TestApp::start().await;
    let owner = app.signed_in_cookie("owner@example.com").await;
    let member = app.signed_in_cookie("member@example.com").await;
    let billing = app.signed_in_cookie("billing@example.com").await;
    assert_eq!(
        app.post("/api/users/sign_out_team", "", Some(&member), &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let reply = app.post("/api/users/sign_out_team", "", Some(&owner), &[]).await;
    assert_eq!((reply.status, reply.body.as_str()), (StatusCode::OK, "2"));
    for cookie in [&member, &billing] {
        assert_eq!(
            app.post("/api/my_sessions", "", Some(cookie), &[]).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(app.post("/api/my_sessions", "", Some(&owner), &[]).await.status, StatusCode::OK);
    let active = app.engine.count_active_sessions().await.unwrap();
    assert_eq!(active, 1);
}

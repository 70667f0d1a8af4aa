//! Roles, proven in one table: every console server function × (owner, admin, billing manager, member,
//! anonymous, revoked console session, disabled user) → its data, 401 or 403. A refusal carries no data and
//! is audited. The admin API's table (admin token, app key, forged, none) runs on both databases in
//! `users_cases`.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::json;

use app::model::Role;
use app::ConsoleError;
use roster::engine::{Actor, NewMember};
use roster::secrets::Secret;

use crate::console_http::{Reply, TestApp, PASSWORD};

#[derive(Clone, Copy)]
enum Body_ {
    Form(&'static str),
    Json(fn() -> serde_json::Value),
}

struct Endpoint {
    path: &'static str,
    body: Body_,
    allows: fn(Role) -> bool,
}

const UNKNOWN_SESSION: &str = "session_id=00000000000000000000000000000000";
const SESSION_QUERY: &str =
    "query[q]=&query[status]=all&query[app]=&query[sort]=created&query[dir]=desc&query[page]=1&query[size]=50";
const USER_QUERY: &str = "query[q]=&query[sort]=email&query[dir]=asc&query[page]=1&query[size]=50";
const HISTORY_QUERY: &str = "query[q]=&query[dir]=desc&query[page]=1&query[size]=50";
const AUDIT_QUERY: &str = "query[q]=&query[page]=1&query[size]=50";

fn anyone(_: Role) -> bool {
    true
}
fn owner_only(role: Role) -> bool {
    role == Role::Owner
}

/// Every server function that reads or changes something; the harmless inputs make an allowed call answer
/// without changing what the next rows rely on.
fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint { path: "/api/sessions/list", body: Body_::Form(SESSION_QUERY), allows: Role::sees_all_sessions },
        Endpoint { path: "/api/sessions/detail", body: Body_::Form(UNKNOWN_SESSION), allows: Role::sees_all_sessions },
        Endpoint { path: "/api/sessions/revoke", body: Body_::Form(UNKNOWN_SESSION), allows: Role::ends_any_session },
        Endpoint { path: "/api/sessions/reveal_payload", body: Body_::Form(UNKNOWN_SESSION), allows: Role::reads_payloads },
        Endpoint {
            path: "/api/sessions/update_ttl",
            body: Body_::Json(|| json!({ "session_id": "00000000000000000000000000000000", "change": { "kind": "unlimited" } })),
            allows: Role::ends_any_session,
        },
        Endpoint {
            path: "/api/sessions/export",
            body: Body_::Json(|| {
                json!({ "query": { "q": "", "status": "all", "app": "", "sort": "created", "dir": "desc", "page": 1, "size": 50 }, "format": "data_only" })
            }),
            allows: Role::reads_payloads,
        },
        Endpoint { path: "/api/my_sessions", body: Body_::Form(""), allows: anyone },
        Endpoint { path: "/api/my_sessions/sign_out", body: Body_::Form(UNKNOWN_SESSION), allows: anyone },
        Endpoint { path: "/api/users", body: Body_::Form(USER_QUERY), allows: app::team::manages_users },
        Endpoint {
            path: "/api/users/force_sign_out",
            body: Body_::Form("user_id=999999&reason=test&tell_user=false"),
            allows: app::team::manages_users,
        },
        Endpoint {
            path: "/api/users/set_disabled",
            body: Body_::Form("user_id=999999&disabled=true&reason=test&tell_user=false"),
            allows: app::team::manages_users,
        },
        Endpoint { path: "/api/users/change_role", body: Body_::Form("user_id=999999&role=member"), allows: owner_only },
        Endpoint {
            path: "/api/users/add",
            body: Body_::Form("email=not-an-email&name=x&role=member&password="),
            allows: app::team::manages_users,
        },
        Endpoint { path: "/api/settings", body: Body_::Form(""), allows: owner_only },
        Endpoint { path: "/api/settings/webhook", body: Body_::Form(""), allows: owner_only },
        Endpoint { path: "/api/settings/webhook/save", body: Body_::Form("url=ftp%3A%2F%2Fexample.com"), allows: owner_only },
        Endpoint { path: "/api/settings/webhook/test", body: Body_::Form(""), allows: owner_only },
        Endpoint { path: "/api/apps", body: Body_::Form(""), allows: app::team::manages_users },
        Endpoint { path: "/api/analytics", body: Body_::Form("query[range]=Week"), allows: Role::sees_all_sessions },
        Endpoint {
            path: "/api/apps/register",
            body: Body_::Form("form[slug]=Not+an+id&form[name]=x&form[max_payload_bytes]=10"),
            allows: app::team::manages_users,
        },
        Endpoint {
            path: "/api/apps/update",
            body: Body_::Form("form[slug]=nowhere&form[name]=x&form[max_payload_bytes]=10"),
            allows: app::team::manages_users,
        },
        Endpoint { path: "/api/apps/keys/new", body: Body_::Form("slug=nowhere"), allows: app::team::manages_users },
        Endpoint { path: "/api/apps/keys/revoke", body: Body_::Form("key_id=999999"), allows: app::team::manages_users },
        Endpoint { path: "/api/apps/tokens/new", body: Body_::Form("name="), allows: app::team::manages_users },
        Endpoint {
            path: "/api/apps/tokens/revoke",
            body: Body_::Form("token_id=999999"),
            allows: app::team::manages_users,
        },
        Endpoint { path: "/api/history", body: Body_::Form(HISTORY_QUERY), allows: Role::sees_all_sessions },
        Endpoint { path: "/api/audit", body: Body_::Form(AUDIT_QUERY), allows: app::team::manages_users },
        Endpoint { path: "/api/audit/verify", body: Body_::Form(""), allows: app::team::manages_users },
        Endpoint { path: "/api/audit/verify/progress", body: Body_::Form(""), allows: app::team::manages_users },
        Endpoint { path: "/api/alarms", body: Body_::Form("page=1"), allows: app::team::manages_users },
        Endpoint {
            path: "/api/alarms/acknowledge",
            body: Body_::Form("alarm_id=999999"),
            allows: app::team::manages_users,
        },
        Endpoint {
            path: "/api/settings/save",
            body: Body_::Form(
                "settings[idle_timeout]=one_hour&settings[absolute_lifetime_hours]=0&settings[allow_remember_me]=true\
                 &settings[remembered_days]=30&settings[max_sessions_per_user]=10&settings[when_limit_reached]=refuse",
            ),
            allows: owner_only,
        },
        // Last: these end other people's sessions when allowed (checked below with the owner alone).
        Endpoint { path: "/api/users/sign_out_team", body: Body_::Form(""), allows: app::team::manages_users },
        Endpoint { path: "/api/sessions/kill_all", body: Body_::Form(""), allows: Role::ends_any_session },
    ]
}

async fn call(app: &TestApp, endpoint: &Endpoint, cookie: Option<&str>) -> Reply {
    let (content_type, body) = match endpoint.body {
        Body_::Form(form) => ("application/x-www-form-urlencoded", form.to_string()),
        Body_::Json(make) => ("application/json", make().to_string()),
    };
    let mut request = Request::post(endpoint.path).header(header::CONTENT_TYPE, content_type);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    app.send(request.body(Body::from(body)).unwrap()).await
}

#[tokio::test]
async fn every_server_function_answers_each_role_as_the_route_table_and_rules_say() {
    let app = TestApp::start().await;
    for (email, role) in [
        ("admin@example.com", Role::Admin),
        ("gone@example.com", Role::Member),
        ("revoked@example.com", Role::Member),
    ] {
        let member = NewMember { email, name: "Someone", role, password: Some(Secret::from(PASSWORD)) };
        app.engine.add_user(member, Actor::Operator).await.unwrap();
    }
    let signed_in = [
        (Role::Owner, app.signed_in_cookie("owner@example.com").await),
        (Role::Admin, app.signed_in_cookie("admin@example.com").await),
        (Role::BillingManager, app.signed_in_cookie("billing@example.com").await),
        (Role::Member, app.signed_in_cookie("member@example.com").await),
    ];
    // A console session ended by an admin, and a user disabled after signing in: both are nobody now.
    let revoked = app.signed_in_cookie("revoked@example.com").await;
    let revoked_id = app.engine.user_by_email("revoked@example.com").await.unwrap().unwrap().id;
    app.engine.force_sign_out(revoked_id, Actor::Operator, "test", false).await.unwrap();
    let disabled = app.signed_in_cookie("gone@example.com").await;
    let gone_id = app.engine.user_by_email("gone@example.com").await.unwrap().unwrap().id;
    app.engine.disable_user(gone_id, Actor::Operator, "left", false).await.unwrap();

    let endpoints = endpoints();
    let (harmless, destructive) = endpoints.split_at(endpoints.len() - 2);
    let refusals_before = refusals(&app).await;
    let mut expected_refusals = 0;
    for endpoint in harmless {
        for (role, cookie) in &signed_in {
            let reply = call(&app, endpoint, Some(cookie)).await;
            if (endpoint.allows)(*role) {
                assert!(
                    ![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&reply.status),
                    "{} as {role:?}: allowed, got {} {}",
                    endpoint.path,
                    reply.status,
                    reply.body
                );
                assert!(
                    reply.status.as_u16() < 500,
                    "{} as {role:?}: {} {}",
                    endpoint.path,
                    reply.status,
                    reply.body
                );
            } else {
                assert_refused(&reply, StatusCode::FORBIDDEN, endpoint.path, &format!("{role:?}"));
                expected_refusals += 1;
            }
        }
        for (who, cookie) in [
            ("anonymous", None),
            ("a revoked session", Some(revoked.as_str())),
            ("a disabled user", Some(disabled.as_str())),
        ] {
            let reply = call(&app, endpoint, cookie).await;
            assert_refused(&reply, StatusCode::UNAUTHORIZED, endpoint.path, who);
        }
    }
    assert_eq!(
        refusals(&app).await - refusals_before,
        expected_refusals,
        "every signed-in refusal is audited"
    );

    for endpoint in destructive {
        for (role, cookie) in signed_in.iter().filter(|(role, _)| !(endpoint.allows)(*role)) {
            assert_refused(
                &call(&app, endpoint, Some(cookie)).await,
                StatusCode::FORBIDDEN,
                endpoint.path,
                &format!("{role:?}"),
            );
        }
        assert_refused(
            &call(&app, endpoint, None).await,
            StatusCode::UNAUTHORIZED,
            endpoint.path,
            "anonymous",
        );
    }
    for endpoint in destructive {
        let reply = call(&app, endpoint, Some(&signed_in[0].1)).await;
        assert_eq!(reply.status, StatusCode::OK, "{} as the owner: {}", endpoint.path, reply.body);
    }
}

fn assert_refused(reply: &Reply, status: StatusCode, path: &str, who: &str) {
    assert_eq!(reply.status, status, "{path} as {who}: {}", reply.body);
    // The whole body is the error: nothing the caller may not see rides along.
    let expected =
        if status == StatusCode::FORBIDDEN { ConsoleError::Forbidden } else { ConsoleError::NotSignedIn };
    assert_eq!(reply.error(), expected, "{path} as {who}");
}

async fn refusals(app: &TestApp) -> usize {
    let audit = app.db.storage.recent_audit(10_000).await.unwrap();
    audit.iter().filter(|event| event.action == "access.refused").count()
}

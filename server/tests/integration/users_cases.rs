//! Users, written once and run on SQLite and PostgreSQL: counts kept on each user as sessions come and go, the
//! list's search, sorts and pages, disabling and enabling through the admin API, and the last owner.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use app::model::Role;
use roster::engine::{Actor, EngineError, NewMember};
use roster::storage::{UserListQuery, UserSortColumn};

use crate::api_http::Api;
use crate::support::{sid, TestDb};

const MINUTE: i64 = 60_000;

fn emails(page: &Value) -> Vec<&str> {
    page["items"].as_array().unwrap().iter().map(|item| item["email"].as_str().unwrap()).collect()
}

fn item<'a>(page: &'a Value, email: &str) -> &'a Value {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["email"] == email)
        .unwrap_or_else(|| panic!("{email} in {page}"))
}

async fn user_id(api: &Api, email: &str) -> i64 {
    api.engine.user_by_email(email).await.unwrap().unwrap().id
}

async fn add(api: &Api, email: &str, name: &str, role: Role) -> i64 {
    let member = NewMember { email, name, role, password: None };
    api.engine.add_user(member, Actor::Operator).await.unwrap()
}

pub async fn user_counts_follow_every_session_change_and_pages_sort_and_search(db: &TestDb) {
    let api = Api::start(db).await;
    add(&api, "carol@example.com", "Carol Nobody", Role::Member).await;
    let (ada_first, _) = api.create_for("ada@example.com").await;
    api.clock.advance_ms(5 * MINUTE);
    api.create_for("ada@example.com").await;
    api.clock.advance_ms(5 * MINUTE);
    let (_, bob_token) = api.create_for("bob@example.com").await;
    api.clock.advance_ms(5 * MINUTE);

    let page = api.admin(Method::GET, "/api/admin/users").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(emails(&page.body), ["ada@example.com", "bob@example.com", "carol@example.com"]);
    assert_eq!(page.body["total"], 3);
    let ada = item(&page.body, "ada@example.com");
    assert_eq!((ada["activeSessions"].as_i64(), ada["totalSessions"].as_i64()), (Some(2), Some(2)));
    assert_eq!(ada["role"], "member");
    assert_eq!(ada["disabled"], false);
    let carol = item(&page.body, "carol@example.com");
    assert_eq!((carol["activeSessions"].as_i64(), carol["lastActiveAt"].clone()), (Some(0), Value::Null));

    // Ending a session lowers the active count, not the total; activity moves last active forward.
    api.admin(Method::DELETE, &format!("/api/admin/sessions/{ada_first}")).await;
    assert_eq!(api.validate(&bob_token).await.status, StatusCode::OK);
    api.engine.activity.flush(MINUTE).await.unwrap();
    let page = api.admin(Method::GET, "/api/admin/users").await;
    let ada = item(&page.body, "ada@example.com");
    assert_eq!((ada["activeSessions"].as_i64(), ada["totalSessions"].as_i64()), (Some(1), Some(2)));
    let bob = item(&page.body, "bob@example.com");
    assert_eq!(bob["lastActiveAt"], roster::clock::rfc3339(api.engine.now_ms()), "{bob}");

    // Sorted by each kept count, from the database.
    let sorted =
        |sort, descending, offset| UserListQuery { search: None, sort, descending, limit: 2, offset };
    let page = api.engine.list_users(&sorted(UserSortColumn::TotalSessions, true, 0)).await.unwrap();
    assert_eq!(
        page.rows.iter().map(|row| row.email.as_str()).collect::<Vec<_>>(),
        ["ada@example.com", "bob@example.com"]
    );
    let page = api.engine.list_users(&sorted(UserSortColumn::LastActive, true, 0)).await.unwrap();
    assert_eq!(page.rows[0].email, "bob@example.com", "the latest validation leads");
    let page = api.engine.list_users(&sorted(UserSortColumn::ActiveSessions, false, 2)).await.unwrap();
    assert_eq!((page.rows.len(), page.total), (1, 3), "the third of three, by fewest active sessions");
    let page = api.engine.list_users(&sorted(UserSortColumn::Name, false, 0)).await.unwrap();
    assert_eq!(page.rows[0].display_name, "ada", "a user registered by an app is named from the email");

    // Search: any case, by name or email, and metacharacters are text.
    let found = api.admin(Method::GET, "/api/admin/users?q=CAROL%20NOB").await;
    assert_eq!(emails(&found.body), ["carol@example.com"]);
    assert_eq!(emails(&api.admin(Method::GET, "/api/admin/users?q=bo").await.body), ["bob@example.com"]);
    let none = api.admin(Method::GET, "/api/admin/users?q=%25%27%22%3B--").await;
    assert_eq!((none.status, none.body["total"].as_i64()), (StatusCode::OK, Some(0)));
    let paged = api.admin(Method::GET, "/api/admin/users?limit=1&offset=1").await;
    assert_eq!((emails(&paged.body), paged.body["total"].as_i64()), (vec!["bob@example.com"], Some(3)));

    for (path, why) in [
        ("/api/admin/users?limit=0", "a zero limit"),
        ("/api/admin/users?limit=501", "a huge limit"),
        ("/api/admin/users?offset=-1", "a negative offset"),
        ("/api/admin/users?sort=password_hash", "an unknown parameter"),
    ] {
        let reply = api.admin(Method::GET, path).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::BAD_REQUEST, "invalid_request"),
            "{why}: {}",
            reply.body
        );
    }
    let long = format!("/api/admin/users?q={}", "a".repeat(201));
    assert_eq!(api.admin(Method::GET, &long).await.status, StatusCode::BAD_REQUEST);
    let anonymous = api.call(Method::GET, "/api/admin/users", None, None, &[]).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let app_key = api.call(Method::GET, "/api/admin/users", Some(crate::api_http::APP_KEY), None, &[]).await;
    assert_eq!(app_key.status, StatusCode::UNAUTHORIZED, "an app's key is not an admin token");
}

pub async fn disabling_ends_every_session_and_refuses_new_ones_until_enabled(db: &TestDb) {
    let api = Api::start(db).await;
    let (first, first_token) = api.create_for("leaver@example.com").await;
    let (_, second_token) = api.create_for("leaver@example.com").await;
    let (_, stayer_token) = api.create_for("stayer@example.com").await;
    let leaver = api.engine.user_by_email("leaver@example.com").await.unwrap().unwrap();
    let path = |verb: &str| format!("/api/admin/users/{}/{verb}", leaver.id);

    for (bad, why) in [
        (format!("{}?reason=%20%20", path("disable")), "a blank reason"),
        (format!("{}?reason={}", path("disable"), "x".repeat(501)), "a reason over 500 characters"),
        (format!("{}?reason=a%00b", path("disable")), "a control character"),
        ("/api/admin/users/abc/disable".to_string(), "a user id that is not a number"),
        ("/api/admin/users/-4/disable".to_string(), "a negative user id"),
    ] {
        let reply = api.admin(Method::POST, &bad).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{why}: {}", reply.body);
    }
    assert_eq!(api.validate(&first_token).await.status, StatusCode::OK, "nothing changed on a refusal");
    let missing = api.admin(Method::POST, "/api/admin/users/999999/disable").await;
    assert_eq!((missing.status, missing.code()), (StatusCode::NOT_FOUND, "not_found"));

    let disabled = api.admin(Method::POST, &format!("{}?reason=Left%20the%20company", path("disable"))).await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.body);
    assert_eq!(disabled.body["revoked"], 2);
    for token in [&first_token, &second_token] {
        assert_eq!(api.validate(token).await.status, StatusCode::UNAUTHORIZED, "the very next validation");
    }
    assert_eq!(api.validate(&stayer_token).await.status, StatusCode::OK, "another user is untouched");
    let refused = api.create(json!({ "userEmail": "leaver@example.com" })).await;
    assert_eq!((refused.status, refused.code()), (StatusCode::FORBIDDEN, "user_disabled"));
    let ended = api.storage.session_by_id(&sid(&first)).await.unwrap().unwrap();
    assert_eq!(ended.end_reason.as_deref(), Some("Left the company"));
    let audit = api.storage.recent_audit(10).await.unwrap();
    let event = audit.iter().find(|record| record.action == "user.disabled").expect("audited");
    assert_eq!(
        (event.target.clone(), event.reason.as_deref(), event.actor.as_str()),
        (Some(format!("user:{}", leaver.id)), Some("Left the company"), "admin_token:1:ci")
    );
    let listed = api.admin(Method::GET, "/api/admin/users?q=leaver").await;
    assert_eq!(
        (listed.body["items"][0]["disabled"].clone(), listed.body["items"][0]["activeSessions"].clone()),
        (json!(true), json!(0))
    );
    let again = api.admin(Method::POST, &path("disable")).await;
    assert_eq!(
        (again.status, again.body["revoked"].as_i64()),
        (StatusCode::OK, Some(0)),
        "disabling twice is harmless"
    );

    let enabled = api.admin(Method::POST, &path("enable")).await;
    assert_eq!(enabled.status, StatusCode::OK, "{}", enabled.body);
    assert!(api.storage.recent_audit(1).await.unwrap()[0].action == "user.enabled");
    let back = api.create(json!({ "userEmail": "leaver@example.com" })).await;
    assert_eq!(back.status, StatusCode::CREATED, "enabled again: {}", back.body);
    assert_eq!(
        api.admin(Method::POST, &format!("{}?reason=x", path("enable"))).await.status,
        StatusCode::BAD_REQUEST
    );
}

pub async fn the_last_owner_can_be_neither_demoted_nor_disabled(db: &TestDb) {
    let api = Api::start(db).await;
    let first = add(&api, "first@example.com", "First", Role::Owner).await;
    let last_owner = |result: Result<_, EngineError>| matches!(result, Err(EngineError::Refused(message)) if message.contains("last owner"));
    assert!(last_owner(api.engine.change_role(first, Role::Admin, Actor::Operator).await));
    assert!(last_owner(api.engine.disable_user(first, Actor::Operator, "test", false).await.map(|_| ())));
    let disabled = api.admin(Method::POST, &format!("/api/admin/users/{first}/disable")).await;
    assert_eq!((disabled.status, disabled.code()), (StatusCode::CONFLICT, "refused"));

    // Two owners demoting each other at once: one wins, and an owner remains.
    let second = add(&api, "second@example.com", "Second", Role::Owner).await;
    let (a, b) = tokio::join!(
        api.engine.change_role(first, Role::Member, Actor::Operator),
        api.engine.change_role(second, Role::Member, Actor::Operator),
    );
    assert_eq!(usize::from(a.is_ok()) + usize::from(b.is_ok()), 1, "{a:?} {b:?}");
    assert_eq!(api.storage.count_users_with_role("owner").await.unwrap(), 1);
    let unknown = api.engine.change_role(999_999, Role::Admin, Actor::Operator).await;
    assert!(matches!(unknown, Err(EngineError::UserNotFound)));
}

pub async fn an_ended_sessions_401_says_why_and_the_admins_reason_only_when_told(db: &TestDb) {
    let api = Api::start(db).await;
    let ended_why = |reply: &crate::api_http::Reply| {
        (
            reply.body["error"]["reason"].as_str().map(str::to_owned),
            reply.body["error"]["adminReason"].as_str().map(str::to_owned),
        )
    };
    let (_, told) = api.create_for("told@example.com").await;
    let (_, untold) = api.create_for("untold@example.com").await;
    let (_, disabled) = api.create_for("disabled@example.com").await;
    let (_, idle) = api.create_for("idle@example.com").await;

    let told_id = user_id(&api, "told@example.com").await;
    api.admin(
        Method::DELETE,
        &format!("/api/admin/sessions?userId={told_id}&reason=Security%20concern&tellUser=true"),
    )
    .await;
    let reply = api.validate(&told).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::UNAUTHORIZED, "session_revoked"));
    assert_eq!(ended_why(&reply), (Some("ended_by_admin".into()), Some("Security concern".into())));

    let untold_id = user_id(&api, "untold@example.com").await;
    api.admin(Method::DELETE, &format!("/api/admin/sessions?userId={untold_id}&reason=Internal%20matter"))
        .await;
    assert_eq!(
        ended_why(&api.validate(&untold).await),
        (Some("ended_by_admin".into()), None),
        "the reason stays with admins"
    );

    let disabled_id = user_id(&api, "disabled@example.com").await;
    api.admin(Method::POST, &format!("/api/admin/users/{disabled_id}/disable?reason=Left&tellUser=true"))
        .await;
    assert_eq!(
        ended_why(&api.validate(&disabled).await),
        (Some("user_disabled".into()), Some("Left".into()))
    );
    let bad_flag =
        api.admin(Method::POST, &format!("/api/admin/users/{disabled_id}/disable?tellUser=yes")).await;
    assert_eq!(bad_flag.status, StatusCode::BAD_REQUEST);

    api.clock.advance_ms(61 * MINUTE);
    let reply = api.validate(&idle).await;
    assert_eq!((reply.code(), ended_why(&reply)), ("session_expired", (Some("idle_timeout".into()), None)));
    assert_eq!(
        ended_why(&api.validate(&idle).await).0.as_deref(),
        Some("idle_timeout"),
        "and again, read back"
    );

    let forged = api.validate("rs_forged_token_that_roster_never_issued_000000000").await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    assert_eq!(ended_why(&forged), (None, None), "an unknown token is told nothing");
}

pub async fn every_admin_endpoint_answers_only_an_admin_token(db: &TestDb) {
    let api = Api::start(db).await;
    let (session, token) = api.create_for("kept@example.com").await;
    let user = user_id(&api, "kept@example.com").await;
    let endpoints = [
        (Method::GET, "/api/admin/sessions".to_string()),
        (Method::DELETE, format!("/api/admin/sessions/{session}")),
        (Method::DELETE, format!("/api/admin/sessions?userId={user}")),
        (Method::GET, "/api/admin/users".to_string()),
        (Method::POST, format!("/api/admin/users/{user}/disable")),
        (Method::POST, format!("/api/admin/users/{user}/enable")),
    ];
    for (method, path) in &endpoints {
        for (who, bearer) in [
            ("no token", None),
            ("an app's key", Some(crate::api_http::APP_KEY)),
            ("a forged token", Some("ra_forged_0000000000000000000000000")),
            ("a session token", Some(token.as_str())),
        ] {
            let reply = api.call(method.clone(), path, bearer, None, &[]).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {path} with {who}: {}", reply.body);
            assert!(reply.body.get("items").is_none(), "no data with a refusal");
        }
    }
    assert_eq!(api.validate(&token).await.status, StatusCode::OK, "nothing was ended by a refused call");
    for (method, path) in &endpoints {
        let reply = api.admin(method.clone(), path).await;
        assert!(
            reply.status.is_success(),
            "{method} {path} with the admin token: {} {}",
            reply.status,
            reply.body
        );
    }
}

pub async fn a_search_matching_very_many_users_is_capped_and_still_sorted(db: &TestDb) {
    let api = Api::start(db).await;
    let count = roster::storage::USER_SEARCH_COUNT_CAP as usize + 50;
    let users: Vec<(String, String, &'static str)> = (0..count)
        .map(|n| (format!("crowd{n:05}@example.com"), format!("Crowd Member {n}"), "member"))
        .collect();
    let mut load = api.storage.begin_bulk_load(0).await.unwrap();
    load.insert_users(&users, crate::support::START_MS).await.unwrap();
    load.finish().await.unwrap();
    let page = |search, sort, descending| UserListQuery { search, sort, descending, limit: 50, offset: 0 };

    let crowd = api.engine.list_users(&page(Some("crowd"), UserSortColumn::Email, true)).await.unwrap();
    assert_eq!(
        (crowd.total, crowd.total_is_exact),
        (roster::storage::USER_SEARCH_COUNT_CAP, false),
        "more than"
    );
    let emails: Vec<&str> = crowd.rows.iter().map(|row| row.email.as_str()).collect();
    assert_eq!(
        emails[0],
        format!("crowd{:05}@example.com", count - 1),
        "the last by email leads, descending"
    );
    assert!(emails.windows(2).all(|pair| pair[0] > pair[1]), "in order");
    let by_name = api.engine.list_users(&page(Some("member 1"), UserSortColumn::Name, false)).await.unwrap();
    assert!(by_name.rows.iter().all(|row| row.display_name.to_lowercase().contains("member 1")));

    let few = api.engine.list_users(&page(Some("crowd0001"), UserSortColumn::Email, false)).await.unwrap();
    assert_eq!((few.total, few.total_is_exact), (10, true), "crowd00010 … crowd00019: counted exactly");
    let api_page = api.admin(Method::GET, "/api/admin/users?q=crowd&limit=5").await;
    assert_eq!(
        (api_page.body["total"].as_i64(), api_page.body["totalIsExact"].as_bool()),
        (Some(10_000), Some(false))
    );
}

/// Every sort both ways, paged 50 at a time (a page past the middle is read from the other end): the pages
/// together hold every user once, in the sort's order with the email breaking ties.
pub async fn every_sort_pages_through_all_users_in_order(db: &TestDb) {
    let api = Api::start(db).await;
    let roles = ["member", "admin", "billing_manager", "member", "member"];
    let users: Vec<(String, String, &'static str)> = (0..130)
        .map(|n| (format!("user{:03}@example.com", (n * 37) % 130), format!("Name {}", n % 9), roles[n % 5]))
        .collect();
    let mut load = api.storage.begin_bulk_load(0).await.unwrap();
    load.insert_users(&users, crate::support::START_MS).await.unwrap();
    load.finish().await.unwrap();
    // Some users with sessions, at different times, so the counts and last activity differ.
    for n in 0..12 {
        api.create_for(&format!("user{:03}@example.com", n * 7)).await;
        api.clock.advance_ms(MINUTE);
    }
    let sorts = UserSortColumn::ALL;
    for sort in sorts {
        for descending in [false, true] {
            let mut listed = Vec::new();
            let mut total = 0;
            for offset in [0, 50, 100] {
                let query = UserListQuery { search: None, sort, descending, limit: 50, offset };
                let page = api.engine.list_users(&query).await.unwrap();
                total = page.total;
                listed.extend(page.rows);
            }
            assert_eq!(listed.len() as i64, total, "{sort:?} descending={descending}: every user once");
            let key = |row: &roster::storage::UserSummaryRow| {
                let column = match sort {
                    UserSortColumn::Email => String::new(),
                    UserSortColumn::Name => row.display_name.to_lowercase(),
                    UserSortColumn::Role => row.role.as_str().to_string(),
                    UserSortColumn::Status => row.disabled.to_string(),
                    UserSortColumn::ActiveSessions => format!("{:09}", row.active_sessions),
                    UserSortColumn::LastActive => format!("{:020}", row.last_active_at),
                    UserSortColumn::TotalSessions => format!("{:09}", row.total_sessions),
                };
                (column, row.email.to_lowercase())
            };
            let mut expected: Vec<_> = listed.iter().map(key).collect();
            expected.sort();
            if descending {
                expected.reverse();
            }
            assert_eq!(
                listed.iter().map(key).collect::<Vec<_>>(),
                expected,
                "{sort:?} descending={descending}"
            );
        }
    }
}

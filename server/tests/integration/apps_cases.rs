//! Registered apps, their keys and the admin tokens, as the Apps page and the operator's commands change them:
//! a new key works and is counted, a revoked one is refused on its next request, a lowered payload limit holds
//! for the next write only, and bad forms change nothing.

use axum::http::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde_json::json;

use app::apps::{AppForm, AppsOverview, CredentialUse, APP_ID_RULE};
use roster::engine::{Actor, EngineError};

use crate::api_http::Api;
use crate::support::TestDb;

const HOUR: i64 = 3_600_000;

fn admin() -> Actor {
    Actor::User { id: 1, ip: Some("198.51.100.7".into()) }
}

fn form(slug: &str, name: &str, max_payload_bytes: i64) -> AppForm {
    AppForm { slug: slug.into(), name: name.into(), max_payload_bytes }
}

fn key_of<'a>(overview: &'a AppsOverview, slug: &str) -> &'a CredentialUse {
    let app = overview.apps.iter().find(|app| app.slug == slug).expect("the app is listed");
    app.keys.first().expect("the app has a live key")
}

async fn actions(db: &TestDb) -> Vec<(String, Option<String>, Option<String>)> {
    let audit = db.storage.recent_audit(100).await.unwrap();
    audit.into_iter().map(|record| (record.action, record.target, record.reason)).collect()
}

pub async fn a_new_key_is_counted_as_it_is_used_and_refused_once_revoked(db: &TestDb) {
    let api = Api::start(db).await;
    let key = api.engine.register_app(&form("shop", "Shop", 2048), admin()).await.unwrap();
    let key = key.expose_secret().to_string();
    let create = |bearer: String| {
        let api = &api;
        async move {
            let body = json!({ "userEmail": "buyer@example.com" }).to_string();
            api.call(Method::POST, "/api/v1/sessions", Some(&bearer), Some(body), &[]).await
        }
    };
    let created = create(key.clone()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let token = created.body["token"].as_str().unwrap().to_string();
    for _ in 0..3 {
        let body = json!({ "token": token }).to_string();
        let reply = api.call(Method::POST, "/api/v1/sessions/validate", Some(&key), Some(body), &[]).await;
        assert_eq!(reply.status, StatusCode::OK);
    }

    // Counted at once (this node's unflushed counts), and the same after the flush: not twice.
    let overview = api.engine.apps_overview().await.unwrap();
    let used = key_of(&overview, "shop");
    assert_eq!((used.requests_24h, used.last_used_at_ms), (4, Some(api.engine.now_ms())));
    assert!(used.prefix.starts_with("rk_") && key.starts_with(&used.prefix));
    let shop = overview.apps.iter().find(|app| app.slug == "shop").unwrap();
    assert_eq!((shop.active_sessions, shop.max_payload_bytes, shop.name.as_str()), (1, 2048, "Shop"));
    api.engine.credential_use.flush(api.engine.now_ms()).await.unwrap();
    assert_eq!(key_of(&api.engine.apps_overview().await.unwrap(), "shop").requests_24h, 4, "flushed once");

    // The window slides by the hour: a day later the requests are out of it, the last use stays.
    api.clock.advance_ms(25 * HOUR);
    let used_before = api.engine.now_ms() - 25 * HOUR;
    let later = api.engine.apps_overview().await.unwrap();
    assert_eq!(
        (key_of(&later, "shop").requests_24h, key_of(&later, "shop").last_used_at_ms),
        (0, Some(used_before))
    );

    // Revoked: refused from the next request; a second revocation finds nothing.
    let key_id = key_of(&later, "shop").id;
    api.engine.revoke_app_key(key_id, admin()).await.unwrap();
    let refused = create(key.clone()).await;
    assert_eq!((refused.status, refused.code()), (StatusCode::UNAUTHORIZED, "unauthorized"));
    assert!(matches!(api.engine.revoke_app_key(key_id, admin()).await, Err(EngineError::NotFound(_))));
    let after = api.engine.apps_overview().await.unwrap();
    assert!(
        after.apps.iter().find(|app| app.slug == "shop").unwrap().keys.is_empty(),
        "revoked keys are not listed"
    );

    // A new key for the same app works; both changes are audited with the key's prefix, never the key.
    let fresh = api.engine.new_app_key("shop", admin()).await.unwrap();
    assert_eq!(create(fresh.expose_secret().to_string()).await.status, StatusCode::CREATED);
    let audit = actions(db).await;
    for action in ["app.created", "app_key.revoked", "app_key.created"] {
        let names_shop =
            |target: &Option<String>| target.as_deref().is_some_and(|target| target.contains("shop"));
        assert!(
            audit.iter().any(|(name, target, _)| name == action && names_shop(target)),
            "{action}: {audit:?}"
        );
    }
    let everything = format!("{audit:?}");
    assert!(
        !everything.contains(&key) && !everything.contains(fresh.expose_secret()),
        "no key in the audit log"
    );
}

pub async fn an_admin_token_is_counted_and_refused_once_revoked(db: &TestDb) {
    let api = Api::start(db).await;
    let token = api.engine.new_admin_token("  SIEM export ", admin()).await.unwrap();
    let token = token.expose_secret().to_string();
    let list = || api.call(Method::GET, "/api/admin/sessions", Some(&token), None, &[]);
    assert_eq!(list().await.status, StatusCode::OK);
    assert_eq!(list().await.status, StatusCode::OK);
    let overview = api.engine.apps_overview().await.unwrap();
    let listed =
        overview.admin_tokens.iter().find(|t| t.name.as_deref() == Some("SIEM export")).expect("listed");
    assert_eq!((listed.requests_24h, listed.last_used_at_ms), (2, Some(api.engine.now_ms())));
    let untouched = overview.admin_tokens.iter().find(|t| t.name.as_deref() == Some("ci")).unwrap();
    assert_eq!((untouched.requests_24h, untouched.last_used_at_ms), (0, None), "an unused token says Never");

    api.engine.revoke_admin_token(listed.id, admin()).await.unwrap();
    let refused = list().await;
    assert_eq!((refused.status, refused.code()), (StatusCode::UNAUTHORIZED, "unauthorized"));
    assert!(actions(db).await.iter().any(|(action, target, _)| action == "admin_token.revoked"
        && target.as_deref() == Some("admin_token:SIEM export")));
    for bad in ["", "   ", &"n".repeat(101)] {
        assert!(matches!(api.engine.new_admin_token(bad, admin()).await, Err(EngineError::InvalidInput(_))));
    }
}

pub async fn a_lowered_payload_limit_holds_for_the_next_write_only(db: &TestDb) {
    let api = Api::start(db).await;
    let key = api.engine.register_app(&form("notes", "Notes", 1000), admin()).await.unwrap();
    let key = key.expose_secret().to_string();
    let note = "n".repeat(600);
    let body = json!({ "userEmail": "writer@example.com", "payload": { "note": note } }).to_string();
    let created = api.call(Method::POST, "/api/v1/sessions", Some(&key), Some(body), &[]).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let token = created.body["token"].as_str().unwrap().to_string();

    api.engine.update_app(&form("notes", "Team notes", 100), admin()).await.unwrap();
    let payload = |method: Method, body: Option<String>| {
        let (api, key, token) = (&api, key.clone(), token.clone());
        async move {
            api.call(
                method,
                "/api/v1/sessions/current/payload",
                Some(&key),
                body,
                &[("x-session-token", &token)],
            )
            .await
        }
    };
    let stored = payload(Method::GET, None).await;
    assert_eq!(stored.body["payload"]["note"], json!(note), "the stored payload is untouched");
    let too_big = payload(Method::PUT, Some(json!({ "payload": { "note": note } }).to_string())).await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", too_big.body);
    let fits = payload(Method::PUT, Some(json!({ "payload": { "n": 1 } }).to_string())).await;
    assert_eq!(fits.status, StatusCode::OK, "{}", fits.body);

    let app =
        api.engine.apps_overview().await.unwrap().apps.into_iter().find(|app| app.slug == "notes").unwrap();
    assert_eq!((app.name.as_str(), app.max_payload_bytes), ("Team notes", 100));
    let audit = actions(db).await;
    let (_, _, reason) = audit.iter().find(|(action, ..)| action == "app.changed").expect("audited");
    assert_eq!(reason.as_deref(), Some("name \"Notes\" → \"Team notes\"; payload limit 1000 → 100 bytes"));
}

pub async fn bad_app_forms_and_unknown_apps_change_nothing(db: &TestDb) {
    let api = Api::start(db).await;
    let before = api.engine.apps_overview().await.unwrap();
    for bad in ["My Meals", "x", "1abc", "a;drop", "shop'--", "%", &"a".repeat(65)] {
        match api.engine.register_app(&form(bad, "Name", 100), admin()).await {
            Err(EngineError::InvalidInput(message)) => assert_eq!(message, APP_ID_RULE, "{bad}"),
            other => panic!("{bad}: {other:?}"),
        }
    }
    for (name, limit) in [("", 100), ("Name", 0), ("Name", -5), ("Name", 1024 * 1024 + 1)] {
        let refused = api.engine.register_app(&form("fine_id", name, limit), admin()).await;
        assert!(matches!(refused, Err(EngineError::InvalidInput(_))), "{name:?} {limit}");
    }
    let duplicate = api.engine.register_app(&form("my_meals", "Again", 100), admin()).await;
    assert!(matches!(duplicate, Err(EngineError::Storage(_))), "{duplicate:?}");
    let console = api.engine.update_app(&form("console", "Mine", 10), admin()).await;
    assert!(matches!(console, Err(EngineError::Refused(_))), "{console:?}");
    assert!(matches!(api.engine.new_app_key("console", admin()).await, Err(EngineError::Refused(_))));
    let unknown = api.engine.update_app(&form("nowhere", "N", 10), admin()).await;
    assert!(matches!(unknown, Err(EngineError::NotFound("app"))), "{unknown:?}");
    assert!(matches!(
        api.engine.update_app(&form("my_meals", " ", 10), admin()).await,
        Err(EngineError::InvalidInput(_))
    ));
    assert!(matches!(api.engine.revoke_app_key(987_654, admin()).await, Err(EngineError::NotFound(_))));
    assert_eq!(api.engine.apps_overview().await.unwrap(), AppsOverview { now_ms: before.now_ms, ..before });
}

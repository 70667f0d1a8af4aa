//! The alarm webhook, against a receiver on loopback: a new alarm is posted signed (the receiver checks the
//! signature itself), a failed post is retried, a repeat of an open alarm posts nothing, the secret is never
//! stored in the clear, and saving, refusing and removing a URL behave as the Settings page promises.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use tokio::sync::mpsc;

use roster::engine::{Actor, EngineError};

use crate::api_http::Api;
use crate::support::TestDb;

/// A request as the receiver saw it.
struct Received {
    signature: String,
    body: Vec<u8>,
}

/// Answers each post with the next status of `answers` (then 200), and hands the request to the test.
async fn receiver(answers: Vec<StatusCode>) -> (SocketAddr, mpsc::UnboundedReceiver<Received>) {
    let (sender, received) = mpsc::unbounded_channel();
    let answers = Arc::new(Mutex::new(answers.into_iter()));
    let app = axum::Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let sender = sender.clone();
            let answers = answers.clone();
            async move {
                let signature = headers
                    .get("roster-signature")
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                let _ = sender.send(Received { signature, body: body.to_vec() });
                answers.lock().unwrap().next().unwrap_or(StatusCode::OK)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (address, received)
}

async fn next(received: &mut mpsc::UnboundedReceiver<Received>) -> Received {
    tokio::time::timeout(Duration::from_secs(10), received.recv())
        .await
        .expect("the receiver was posted to within 10 s")
        .expect("the receiver is running")
}

/// What a receiver does: recompute HMAC-SHA256(secret, "<t>.<body>") and compare it with `v1`.
fn signature_is_valid(secret: &str, received: &Received) -> bool {
    let mut parts = received.signature.split(',');
    let (Some(t), Some(v1)) = (parts.next().and_then(|p| p.strip_prefix("t=")), parts.next()) else {
        return false;
    };
    let Some(v1) = v1.strip_prefix("v1=").and_then(|hex_text| hex::decode(hex_text).ok()) else {
        return false;
    };
    let mut mac = <Hmac<Sha256>>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(&received.body);
    mac.verify_slice(&v1).is_ok()
}

fn json_of(received: &Received) -> Value {
    serde_json::from_slice(&received.body).expect("a JSON body")
}

pub async fn a_new_alarm_is_posted_signed_and_retried_until_delivered(db: &TestDb) {
    let api = Api::start(db).await;
    let (address, mut received) = receiver(vec![StatusCode::INTERNAL_SERVER_ERROR]).await;
    let url = format!("http://{address}/hook");
    let secret = api.engine.save_alarm_webhook(&url, Actor::Operator).await.unwrap().expect("a secret, once");
    assert!(secret.starts_with("whsec_"));

    for n in 1..=4 {
        api.create(json!({ "userEmail": "hooked@example.com", "ip": format!("198.51.100.{n}") })).await;
    }
    let first = next(&mut received).await;
    let retry = next(&mut received).await;
    for post in [&first, &retry] {
        assert!(signature_is_valid(&secret, post), "signature {:?} must verify", post.signature);
        assert!(!signature_is_valid("whsec_someone-else", post), "and only with the right secret");
        let event = json_of(post);
        assert_eq!(
            (event["type"].as_str(), event["alarm"]["kind"].as_str()),
            (Some("alarm.raised"), Some("ip_spread"))
        );
        assert_eq!(event["alarm"]["user"], "hooked@example.com");
        assert_eq!(event["alarm"]["title"], "IP spread");
    }
    assert_eq!(json_of(&first)["id"], json_of(&retry)["id"], "a retry posts the same event");
    // The delivery is recorded after the answer: wait for it.
    let mut view = api.engine.alarm_webhook().await.unwrap();
    for _ in 0..100 {
        if view.last_delivery.as_ref().is_some_and(|delivery| delivery.delivered) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        view = api.engine.alarm_webhook().await.unwrap();
    }
    let delivery = view.last_delivery.expect("a delivery is shown");
    assert!(delivery.delivered, "{delivery:?}");
    assert_eq!(delivery.detail, "HTTP 200 OK");
    assert_eq!(view.url.as_deref(), Some(url.as_str()));

    // A fifth address repeats the open alarm: no new event. The test event that follows is the next post.
    api.create(json!({ "userEmail": "hooked@example.com", "ip": "198.51.100.5" })).await;
    let tested = api.engine.test_alarm_webhook().await.unwrap();
    assert!(tested.delivered, "{tested:?}");
    let test_post = next(&mut received).await;
    assert_eq!(json_of(&test_post)["type"], "webhook.test");
    assert!(signature_is_valid(&secret, &test_post));

    // The secret is sealed in the database; the audit record names the receiver's origin only.
    let pool = db.raw_pool().await;
    let (sealed,): (Vec<u8>,) =
        sqlx::query_as("SELECT secret_sealed FROM alarm_webhook").fetch_one(&pool).await.unwrap();
    assert!(!sealed.windows(secret.len()).any(|window| window == secret.as_bytes()));
    let audit = db.storage.recent_audit(50).await.unwrap();
    let changed = audit.iter().find(|record| record.action == "alarm_webhook.changed").expect("audited");
    assert_eq!(
        changed.reason.as_deref(),
        Some(format!("new alarms are posted to http://{address}").as_str())
    );
}

pub async fn bad_urls_are_refused_and_an_empty_one_removes_the_webhook(db: &TestDb) {
    let api = Api::start(db).await;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let url = format!("http://{closed}/hook");
    let first = api.engine.save_alarm_webhook(&url, Actor::Operator).await.unwrap().unwrap();
    let second = api.engine.save_alarm_webhook(&url, Actor::Operator).await.unwrap().unwrap();
    assert_ne!(first, second, "saving again gives a new secret");

    for bad in
        ["ftp://example.com/hook", "hooks.example.com", "https://user:pw@example.com/", "https://a b.com"]
    {
        let refused = api.engine.save_alarm_webhook(bad, Actor::Operator).await;
        assert!(matches!(refused, Err(EngineError::InvalidInput(_))), "{bad}: {refused:?}");
    }
    assert_eq!(
        api.engine.alarm_webhook().await.unwrap().url.as_deref(),
        Some(url.as_str()),
        "nothing changed"
    );

    // Nothing listens there: the test event says so, and so does the page afterwards.
    let tested = api.engine.test_alarm_webhook().await.unwrap();
    assert!(!tested.delivered);
    assert_eq!(tested.detail, "could not connect to the receiver");
    let view = api.engine.alarm_webhook().await.unwrap();
    assert_eq!(
        view.last_delivery.map(|delivery| delivery.detail).as_deref(),
        Some("could not connect to the receiver")
    );

    assert_eq!(api.engine.save_alarm_webhook("  ", Actor::Operator).await.unwrap(), None);
    assert_eq!(api.engine.alarm_webhook().await.unwrap(), Default::default());
    let refused = api.engine.test_alarm_webhook().await;
    assert!(matches!(refused, Err(EngineError::InvalidInput(_))), "{refused:?}");
    let audit = db.storage.recent_audit(50).await.unwrap();
    assert!(audit.iter().any(|record| record.action == "alarm_webhook.removed"));
}

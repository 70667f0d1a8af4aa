//! Payload keys kept in the database, sealed by the master key: the first start, an earlier version's key file
//! moved in, a wrong master key, lost or replaced keys, and a rotation on one node used by every node.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::json;

use roster::payload_keys::{FirstKeys, KeyError, MasterKey, PayloadKeys};

use crate::api_http::Api;
use crate::support::{TestDb, START_MS};

fn master(byte: u8) -> MasterKey {
    MasterKey::configured(&STANDARD.encode([byte; 32])).unwrap()
}

async fn load(db: &TestDb, byte: u8, first: FirstKeys<'_>) -> Result<PayloadKeys, KeyError> {
    PayloadKeys::load(&db.storage, master(byte), first, START_MS).await
}

async fn stored_keys(db: &TestDb) -> Vec<(i64, Vec<u8>)> {
    let raw = db.raw_pool().await;
    let rows =
        sqlx::query_as("SELECT id, wrapped FROM payload_keys ORDER BY id").fetch_all(&raw).await.unwrap();
    raw.close().await;
    rows
}

async fn audit_actions(db: &TestDb) -> Vec<String> {
    db.storage.recent_audit(50).await.unwrap().into_iter().map(|record| record.action).collect()
}

pub async fn the_first_start_stores_one_sealed_key_that_later_starts_read(db: &TestDb) {
    let keys = load(db, 1, FirstKeys::Fresh).await.unwrap();
    assert_eq!(keys.current_key_id(), 1);
    let stored = stored_keys(db).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].1.len(), 12 + 32 + 16, "nonce, sealed key, tag: never the key alone");
    let sealed = keys.seal("owner", b"{\"a\":1}");

    let again = load(db, 1, FirstKeys::Fresh).await.unwrap();
    assert_eq!(again.open("owner", sealed.key_id, &sealed.bytes).unwrap(), b"{\"a\":1}", "the same key");
    assert_eq!(stored_keys(db).await.len(), 1, "a later start adds no key");
    assert!(audit_actions(db).await.contains(&"payload_key.stored".to_string()));
}

pub async fn a_key_file_from_an_earlier_version_is_moved_into_the_database(db: &TestDb) {
    let (old, current) = ([5u8; 32], [6u8; 32]);
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("payload-keys.json");
    let file = json!({ "current": 2, "keys": { "1": STANDARD.encode(old), "2": STANDARD.encode(current) } });
    std::fs::write(&path, file.to_string()).unwrap();
    // A payload sealed by the earlier version with key 1.
    let earlier = PayloadKeys::from_configured(&STANDARD.encode(old)).unwrap();
    let sealed = earlier.seal("owner", b"{\"kept\":true}");

    let keys = load(db, 1, FirstKeys::KeyFile(&path)).await.unwrap();
    assert_eq!(keys.current_key_id(), 2, "the file's current key stays current");
    assert_eq!(keys.open("owner", 1, &sealed.bytes).unwrap(), b"{\"kept\":true}");
    let stored = stored_keys(db).await;
    assert_eq!(stored.iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![1, 2]);
    for (_, wrapped) in &stored {
        assert!(
            !wrapped.windows(32).any(|window| window == old || window == current),
            "sealed, not in the clear"
        );
    }

    std::fs::remove_file(&path).unwrap();
    let later = load(db, 1, FirstKeys::KeyFile(&path)).await.unwrap();
    assert_eq!(
        later.open("owner", 1, &sealed.bytes).unwrap(),
        b"{\"kept\":true}",
        "the file is no longer needed"
    );
}

pub async fn another_master_key_is_refused_with_what_to_do(db: &TestDb) {
    load(db, 1, FirstKeys::Fresh).await.unwrap();
    let refused = load(db, 2, FirstKeys::Fresh).await.unwrap_err();
    assert!(matches!(refused, KeyError::WrongMasterKey { .. }), "{refused}");
    assert!(refused.to_string().contains("ROSTER_MASTER_KEY"), "{refused}");
    assert_eq!(stored_keys(db).await.len(), 1, "nothing was added");
}

pub async fn payloads_whose_keys_are_gone_refuse_to_start_and_replaced_keys_are_refused(db: &TestDb) {
    // Sessions with payloads sealed by key 1 (tests' engines hold their key in memory), and no stored keys.
    let api = Api::start(db).await;
    let created = api.create(json!({ "userEmail": "p@example.com", "payload": { "cart": 1 } })).await;
    assert_eq!(created.status, axum::http::StatusCode::CREATED, "{}", created.body);
    let refused = load(db, 1, FirstKeys::Fresh).await.unwrap_err();
    assert!(matches!(refused, KeyError::KeysMissing { ref missing, .. } if missing == &[1]), "{refused}");
    assert!(stored_keys(db).await.is_empty(), "no new key hides the lost one");

    // The right key, given the way an earlier version was: moved in, and its fingerprint recorded.
    load(db, 1, FirstKeys::Configured(&STANDARD.encode([42u8; 32])))
        .await
        .expect("the key in use is moved in");
    let raw = db.raw_pool().await;
    sqlx::query("DELETE FROM payload_keys").execute(&raw).await.unwrap();
    raw.close().await;
    let replaced = load(db, 1, FirstKeys::Configured(&STANDARD.encode([43u8; 32]))).await.unwrap_err();
    assert!(
        matches!(replaced, KeyError::KeysReplaced { ref replaced, .. } if replaced == &[1]),
        "{replaced}"
    );
    assert!(stored_keys(db).await.is_empty(), "the wrong key is not stored");
}

pub async fn a_rotation_on_one_node_is_used_by_the_others_next_write(db: &TestDb) {
    let node_a = load(db, 1, FirstKeys::Fresh).await.unwrap();
    let node_b = load(db, 1, FirstKeys::Fresh).await.unwrap();
    assert_eq!(node_a.rotate(&db.storage, "operator", START_MS).await.unwrap(), 2);
    assert_eq!(node_b.current_key_id(), 1, "node B has not written since");
    node_b.follow_rotation(&db.storage).await.unwrap();
    let sealed = node_b.seal("owner", b"{}");
    assert_eq!(sealed.key_id, 2, "node B's next write uses the new key");
    assert_eq!(node_a.open("owner", 2, &sealed.bytes).unwrap(), b"{}");

    assert_eq!(node_b.rotate(&db.storage, "operator", START_MS).await.unwrap(), 3);
    let newest = node_b.seal("owner", b"{}");
    assert_eq!(node_a.open("owner", 3, &newest.bytes), Err(roster::payload_keys::CryptoError::UnknownKey(3)));
    node_a.reload(&db.storage).await.unwrap();
    assert_eq!(node_a.open("owner", 3, &newest.bytes).unwrap(), b"{}", "after reading the keys again");
    assert!(audit_actions(db).await.iter().filter(|action| *action == "payload_key.rotated").count() == 2);
}

//! Writers of one row and writers of many meeting on the same sessions: the sweep ending a batch while
//! validations end the same sessions one by one. Every write takes its locks in one order, so none fails.

use roster::engine::{CreateSession, EngineError, Lifetime, SessionOwner};
use roster::operator::register_app;

use crate::support::{manual_clock, new_session, test_engine, TestDb};

pub async fn the_sweep_and_validations_ending_the_same_sessions_never_fail(db: &TestDb) {
    let (clock, shared) = manual_clock();
    let engine = test_engine(db, shared);
    register_app(&engine, "racing", "Racing", 1024).await.unwrap();
    let app = db.storage.app_by_slug("racing").await.unwrap().unwrap();
    let mut tokens = Vec::new();
    for n in 0..150 {
        let created = engine
            .create_session(CreateSession {
                lifetime: Lifetime::Seconds(60),
                ..new_session(
                    app.id,
                    app.max_payload_bytes,
                    SessionOwner::Named {
                        email: Some(&format!("racer{n}@example.com")),
                        external_id: None,
                        name: None,
                    },
                )
            })
            .await
            .unwrap();
        tokens.push(roster::secrets::sha256(
            secrecy::ExposeSecret::expose_secret(&created.token.unwrap()).as_bytes(),
        ));
    }
    clock.advance_ms(61_000);
    let sweep =
        engine.expire_due_in_batches(10, std::time::Duration::from_secs(5), std::time::Duration::ZERO);
    // Validations take the sessions in the order the sweep does: each holds a row the sweep wants next.
    let validations = futures::future::join_all(tokens.iter().map(|hash| engine.validate(hash, app.id)));
    let (swept, validated) = tokio::join!(sweep, validations);
    let swept = swept.expect("the sweep never fails");
    for outcome in &validated {
        assert!(
            matches!(outcome, Err(EngineError::SessionEnded(ending)) if ending.how == "expired"),
            "{outcome:?}"
        );
    }
    assert!(swept <= 150);
    assert_eq!(engine.count_active_sessions().await.unwrap(), 0);
}

//! Console sign-in under attack: the per-email lock-out and the per-address throttle hold however many
//! attempts arrive at once.

use app::model::Role;
use roster::engine::{EngineError, SignInRefusal, FAILED_SIGN_INS_PER_ADDRESS_PER_MINUTE};
use roster::operator::{create_user, NewAccount};
use roster::policy::SIGN_IN_FAILURES_BEFORE_LOCK;
use roster::secrets::Secret;

use crate::support::{manual_clock, test_engine, TestDb};

const PASSWORD: &str = "correct horse battery staple";

async fn account(db: &TestDb, email: &str) {
    let account =
        NewAccount { email, name: None, role: Role::Member, password: Some(Secret::from(PASSWORD)) };
    create_user(&db.storage, account).await.expect("user created");
}

async fn audited(db: &TestDb, action: &str) -> usize {
    db.storage.recent_audit(10_000).await.unwrap().iter().filter(|record| record.action == action).count()
}

pub async fn parallel_wrong_passwords_get_at_most_the_limit_of_checks(db: &TestDb) {
    account(db, "target@example.com").await;
    let (_, clock) = manual_clock();
    let engine = test_engine(db, clock);
    let wrong = Secret::from("not the password at all");
    // Each from its own address, so only the account's lock-out stands in the way.
    let addresses: Vec<String> = (0..200).map(|n| format!("10.0.{}.{}", n / 250, n % 250 + 1)).collect();
    let attempts =
        addresses.iter().map(|ip| engine.check_console_password("target@example.com", &wrong, Some(ip)));
    let outcomes = futures::future::join_all(attempts).await;
    assert!(
        outcomes.iter().all(|outcome| matches!(outcome, Ok(Err(_)) | Err(EngineError::Busy(_)))),
        "every attempt refused, or answered busy when more checks wait than the server runs: {outcomes:?}"
    );
    // The failure that locks the account is recorded as the lock.
    let checked = audited(db, "sign_in.failed").await + audited(db, "sign_in.locked").await;
    assert!(
        checked <= SIGN_IN_FAILURES_BEFORE_LOCK as usize,
        "{checked} passwords were checked; the lock allows {SIGN_IN_FAILURES_BEFORE_LOCK}"
    );
    assert_eq!(
        audited(db, "sign_in.locked_out").await,
        0,
        "refusals without a check are not chained one by one"
    );
    engine.flush_anonymous_refusals(true).await.unwrap();
    let tallied = db.storage.recent_audit(10_000).await.unwrap();
    let tallied = tallied
        .iter()
        .filter(|record| record.action == "access.refused")
        .filter(|record| record.target.as_deref().is_some_and(|target| target.contains("sign_in.locked_out")))
        .count();
    assert!(
        tallied >= 200 - SIGN_IN_FAILURES_BEFORE_LOCK as usize,
        "each address's refused attempts are tallied for its minute: {tallied}"
    );
    let password = Secret::from(PASSWORD);
    let right = engine.check_console_password("target@example.com", &password, Some("10.9.9.9"));
    assert!(
        matches!(right.await, Ok(Err(SignInRefusal::LockedOut { .. }))),
        "the right password is refused while the lock holds"
    );
}

pub async fn one_address_trying_many_accounts_is_throttled(db: &TestDb) {
    account(db, "someone@example.com").await;
    let (_, clock) = manual_clock();
    let engine = test_engine(db, clock);
    let wrong = Secret::from("Winter2026!");
    for n in 0..FAILED_SIGN_INS_PER_ADDRESS_PER_MINUTE {
        let email = format!("person{n}@example.com");
        let outcome = engine.check_console_password(&email, &wrong, Some("203.0.113.50")).await.unwrap();
        assert_eq!(outcome.unwrap_err(), SignInRefusal::InvalidCredentials);
    }
    let next =
        engine.check_console_password("someone@example.com", &wrong, Some("203.0.113.50")).await.unwrap();
    assert!(matches!(next, Err(SignInRefusal::Throttled { .. })), "{next:?}");
    let elsewhere = engine
        .check_console_password("someone@example.com", &Secret::from(PASSWORD), Some("198.51.100.7"))
        .await;
    assert!(matches!(elsewhere, Ok(Ok(_))), "the account itself is not locked: its owner signs in elsewhere");
}

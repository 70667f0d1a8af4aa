//! What the operator commands do, apart from parsing and printing: plain arguments in, typed results out, so the
//! command line and the console's pages share them. `main.rs` turns each result into a message.

use std::io::Read;

use app::apps::AppForm;
use app::model::Role;

use crate::clock::{Clock, SystemClock};
use crate::engine::{Actor, AuditVerdict, Engine};
use crate::passwords::hash_password;
use crate::secrets::Secret;
use crate::storage::{AuditEvent, NewUser, Storage, StorageError};

#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("{0}")]
    Storage(#[from] StorageError),
    #[error("{0}")]
    Password(#[from] crate::passwords::PasswordError),
    #[error("could not read the password from standard input: {0}")]
    Stdin(std::io::Error),
    #[error("an owner already exists; add more users with `roster users create --role owner`")]
    OwnerExists,
    #[error("unknown role {0:?}: use owner, admin, billing_manager or member")]
    UnknownRole(String),
    #[error("{0:?} is not an email address")]
    BadEmail(String),
    #[error("the audit chain is broken at record {seq}: {problem}")]
    AuditChainBroken { seq: i64, problem: String },
    #[error("{0}")]
    Keys(#[from] crate::payload_keys::KeyError),
    #[error("{0}")]
    Engine(#[from] crate::engine::EngineError),
    #[error("no user has the email {0:?}")]
    NoSuchUser(String),
    #[error("{0}")]
    BadReason(String),
}

/// Reads one line: the trailing newline of `echo pw | roster …` is not part of the password.
pub fn read_password(mut input: impl Read) -> Result<Secret, OperatorError> {
    let mut text = String::new();
    input.read_to_string(&mut text).map_err(OperatorError::Stdin)?;
    let line = text.lines().next().unwrap_or("").to_string();
    Ok(Secret::from(line))
}

fn checked_email(email: &str) -> Result<&str, OperatorError> {
    crate::engine::usable_email(email).ok_or_else(|| OperatorError::BadEmail(email.trim().to_string()))
}

/// A user to add: an owner, admin, billing manager or member, with a console password or without one.
pub struct NewAccount<'a> {
    pub email: &'a str,
    /// Defaults to the part of the email before the @.
    pub name: Option<&'a str>,
    pub role: Role,
    pub password: Option<Secret>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedUser {
    pub id: i64,
    pub email: String,
    pub role: Role,
}

/// Parses a role as the command line and the API spell it.
pub fn parse_role(text: &str) -> Result<Role, OperatorError> {
    Role::parse(text).ok_or_else(|| OperatorError::UnknownRole(text.to_string()))
}

/// The first owner, refused once any owner exists: nobody claims a running console from the shell twice.
pub async fn create_first_owner(
    storage: &Storage,
    account: NewAccount<'_>,
) -> Result<CreatedUser, OperatorError> {
    if storage.count_users_with_role(Role::Owner.as_str()).await? > 0 {
        return Err(OperatorError::OwnerExists);
    }
    create_user(storage, NewAccount { role: Role::Owner, ..account }).await
}

pub async fn create_user(storage: &Storage, account: NewAccount<'_>) -> Result<CreatedUser, OperatorError> {
    let email = checked_email(account.email)?;
    let hash = account.password.as_ref().map(hash_password).transpose()?;
    let name = account.name.map_or_else(|| crate::engine::default_name(email).to_owned(), str::to_owned);
    let id = storage
        .create_user(NewUser {
            email,
            display_name: &name,
            role: account.role.as_str(),
            password_hash: hash.as_deref(),
            now_ms: SystemClock.now_ms(),
        })
        .await?;
    let event = operator_event(
        "user.created",
        format!("user:{id}"),
        Some(account.role.as_str()),
        SystemClock.now_ms(),
    );
    storage.record_audit(&event).await?;
    Ok(CreatedUser { id, email: email.to_owned(), role: account.role })
}

fn operator_event(action: &'static str, target: String, reason: Option<&str>, at_ms: i64) -> AuditEvent {
    AuditEvent {
        at_ms,
        actor: "operator".into(),
        action,
        target: Some(target),
        reason: reason.map(str::to_owned),
        ip: None,
    }
}

/// Disables a user from the shell: every session ends with `reason`, new ones are refused. Returns how many
/// sessions ended.
pub async fn disable_user(engine: &Engine, email: &str, reason: &str) -> Result<usize, OperatorError> {
    let reason = app::team::checked_reason(reason).map_err(OperatorError::BadReason)?;
    let user = engine.user_by_email(email).await?.ok_or_else(|| OperatorError::NoSuchUser(email.into()))?;
    Ok(engine.disable_user(user.id, Actor::Operator, reason, false).await?)
}

pub async fn enable_user(engine: &Engine, email: &str) -> Result<(), OperatorError> {
    let user = engine.user_by_email(email).await?.ok_or_else(|| OperatorError::NoSuchUser(email.into()))?;
    Ok(engine.enable_user(user.id, Actor::Operator).await?)
}

/// How many records the audit chain holds and how many signed checkpoints vouch for it, all verified.
pub async fn verify_audit(engine: &Engine) -> Result<(i64, i64), OperatorError> {
    match engine.verify_audit(&mut |_| {}).await? {
        AuditVerdict::Verified { records, checkpoints } => Ok((records, checkpoints)),
        AuditVerdict::Broken { seq, problem } => Err(OperatorError::AuditChainBroken { seq, problem }),
    }
}

/// Registers an app with a new API key (`roster apps create`, the same operation as the Apps page's
/// **Register app**); returns the key, which is not stored and cannot be shown again.
pub async fn register_app(
    engine: &Engine,
    id: &str,
    name: &str,
    max_payload_bytes: i64,
) -> Result<Secret, OperatorError> {
    let form = AppForm { slug: id.to_string(), name: name.to_string(), max_payload_bytes };
    Ok(engine.register_app(&form, Actor::Operator).await?)
}

/// Creates an admin API token; returns it, which is not stored and cannot be shown again.
pub async fn create_admin_token(engine: &Engine, name: &str) -> Result<Secret, OperatorError> {
    Ok(engine.new_admin_token(name, Actor::Operator).await?)
}

/// Adds a payload key that every node seals its next payload with; returns its id.
pub async fn rotate_keys(engine: &Engine) -> Result<i64, OperatorError> {
    Ok(engine.rotate_payload_key(crate::engine::Actor::Operator).await?)
}

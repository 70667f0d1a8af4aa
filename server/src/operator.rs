//! What the operator commands do, apart from parsing: each returns a message for the terminal or an error.

use std::io::Read;

use app::model::Role;

use crate::cli::{CreateOwnerOptions, CreateUserOptions};
use crate::clock::{Clock, SystemClock};
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
    AuditChainBroken { seq: i64, problem: &'static str },
    #[error("{0:?} is not an app id: use 2 to 64 lowercase letters, digits and underscores, starting with a letter")]
    BadAppId(String),
    #[error("--max-payload-bytes must be from 1 to 1048576")]
    BadPayloadLimit,
    #[error("a token name must have 1 to 100 characters")]
    BadTokenName,
    #[error("{0}")]
    Keys(#[from] crate::payload_keys::KeyError),
}

/// Reads one line: the trailing newline of `echo pw | roster …` is not part of the password.
pub fn read_password(mut input: impl Read) -> Result<Secret, OperatorError> {
    let mut text = String::new();
    input.read_to_string(&mut text).map_err(OperatorError::Stdin)?;
    let line = text.lines().next().unwrap_or("").to_string();
    Ok(Secret::new(line))
}

fn checked_email(email: &str) -> Result<&str, OperatorError> {
    let email = email.trim();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
        && !email.chars().any(char::is_whitespace);
    if valid {
        Ok(email)
    } else {
        Err(OperatorError::BadEmail(email.to_string()))
    }
}

fn default_name(email: &str) -> String {
    email.split('@').next().unwrap_or(email).to_string()
}

pub async fn create_owner(
    storage: &Storage,
    options: &CreateOwnerOptions,
    password: Secret,
) -> Result<String, OperatorError> {
    if storage.count_users_with_role(Role::Owner.as_str()).await? > 0 {
        return Err(OperatorError::OwnerExists);
    }
    let email = checked_email(&options.email)?;
    let hash = hash_password(&password)?;
    let name = options.name.clone().unwrap_or_else(|| default_name(email));
    storage
        .create_user(NewUser {
            email,
            display_name: &name,
            role: Role::Owner.as_str(),
            password_hash: Some(&hash),
            now_ms: SystemClock.now_ms(),
        })
        .await?;
    Ok(format!("Created owner {email}. Sign in at /login."))
}

pub async fn create_user(
    storage: &Storage,
    options: &CreateUserOptions,
    password: Option<Secret>,
) -> Result<String, OperatorError> {
    let role = Role::parse(&options.role).ok_or_else(|| OperatorError::UnknownRole(options.role.clone()))?;
    let email = checked_email(&options.email)?;
    let hash = password.as_ref().map(hash_password).transpose()?;
    let name = options.name.clone().unwrap_or_else(|| default_name(email));
    let id = storage
        .create_user(NewUser {
            email,
            display_name: &name,
            role: role.as_str(),
            password_hash: hash.as_deref(),
            now_ms: SystemClock.now_ms(),
        })
        .await?;
    Ok(format!("Created {} {email} (user id {id}).", role.label().to_lowercase()))
}

pub async fn verify_audit(storage: &Storage) -> Result<String, OperatorError> {
    match storage.verify_audit_chain().await? {
        Ok(count) => Ok(format!("The audit chain is intact: {count} records verified.")),
        Err(chain_break) => {
            Err(OperatorError::AuditChainBroken { seq: chain_break.seq, problem: chain_break.problem })
        }
    }
}

/// App ids are slugs: they appear in URLs, exports and the console.
fn checked_app_id(id: &str) -> Result<&str, OperatorError> {
    let valid = (2..=64).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && id.as_bytes()[0].is_ascii_lowercase();
    if valid {
        Ok(id)
    } else {
        Err(OperatorError::BadAppId(id.to_string()))
    }
}

/// A new bearer credential: the secret (shown once), its SHA-256 (stored) and a short prefix (shown later
/// to tell credentials apart).
struct Credential {
    secret: crate::secrets::Secret,
    hash: Vec<u8>,
    prefix: String,
}

fn new_credential(kind: &str) -> Credential {
    let secret = crate::secrets::new_token(kind);
    let hash = crate::secrets::sha256(secret.expose().as_bytes());
    let prefix = secret.expose().chars().take(10).collect();
    Credential { secret, hash, prefix }
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

/// Registers an app with a new API key; returns the key, which is not stored and cannot be shown again.
pub async fn register_app(
    storage: &Storage,
    id: &str,
    name: &str,
    max_payload_bytes: i64,
    reason: Option<&str>,
) -> Result<crate::secrets::Secret, OperatorError> {
    let id = checked_app_id(id)?;
    if !(1..=1024 * 1024).contains(&max_payload_bytes) {
        return Err(OperatorError::BadPayloadLimit);
    }
    let key = new_credential("rk_");
    let now_ms = SystemClock.now_ms();
    let audit = operator_event("app.created", format!("app:{id}"), reason, now_ms);
    storage.create_app(id, name.trim(), max_payload_bytes, &key.hash, &key.prefix, now_ms, &audit).await?;
    Ok(key.secret)
}

pub async fn create_app(
    storage: &Storage,
    options: &crate::cli::CreateAppOptions,
) -> Result<String, OperatorError> {
    let key = register_app(storage, &options.id, &options.name, options.max_payload_bytes, None).await?;
    Ok(format!(
        "Registered app {}. Its API key, shown only now:\n\n  {}\n\nSend it as `Authorization: Bearer <key>` to /api/v1.",
        options.id,
        key.expose()
    ))
}

pub async fn create_admin_token(storage: &Storage, name: &str) -> Result<String, OperatorError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(OperatorError::BadTokenName);
    }
    let token = new_credential("ra_");
    let now_ms = SystemClock.now_ms();
    let audit = operator_event("admin_token.created", format!("admin_token:{name}"), None, now_ms);
    storage.create_admin_token(name, &token.hash, &token.prefix, now_ms, &audit).await?;
    Ok(format!(
        "Admin token {name:?}, shown only now:\n\n  {}\n\nSend it as `Authorization: Bearer <token>` to /api/admin.",
        token.secret.expose()
    ))
}

pub fn rotate_keys(keys: &crate::payload_keys::PayloadKeys) -> Result<String, OperatorError> {
    let id = keys.rotate()?;
    Ok(format!(
        "Payload key {id} is now current; older keys keep decrypting. Restart the other nodes, or they load it \
         when they first meet it."
    ))
}

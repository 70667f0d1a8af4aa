//! What the operator commands do, apart from parsing: each returns a message for the terminal or an error.

use std::io::Read;

use app::model::Role;

use crate::cli::{CreateOwnerOptions, CreateUserOptions};
use crate::clock::{Clock, SystemClock};
use crate::passwords::hash_password;
use crate::secrets::Secret;
use crate::storage::{NewUser, Storage, StorageError};

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

pub async fn create_app(
    storage: &Storage,
    options: &crate::cli::CreateAppOptions,
) -> Result<String, OperatorError> {
    let id = checked_app_id(&options.id)?;
    if !(1..=1024 * 1024).contains(&options.max_payload_bytes) {
        return Err(OperatorError::BadPayloadLimit);
    }
    let key = crate::secrets::new_token("rk_");
    let prefix: String = key.expose().chars().take(10).collect();
    let now_ms = SystemClock.now_ms();
    let audit = crate::storage::AuditEvent {
        at_ms: now_ms,
        actor: "operator".into(),
        action: "app.created",
        target: Some(format!("app:{id}")),
        reason: None,
        ip: None,
    };
    let hash = crate::secrets::sha256(key.expose().as_bytes());
    storage
        .create_app(id, options.name.trim(), options.max_payload_bytes, &hash, &prefix, now_ms, &audit)
        .await?;
    Ok(format!(
        "Registered app {id}. Its API key, shown only now:\n\n  {}\n\nSend it as `Authorization: Bearer <key>` to /api/v1.",
        key.expose()
    ))
}

pub async fn create_admin_token(storage: &Storage, name: &str) -> Result<String, OperatorError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(OperatorError::BadTokenName);
    }
    let token = crate::secrets::new_token("ra_");
    let prefix: String = token.expose().chars().take(10).collect();
    let now_ms = SystemClock.now_ms();
    let audit = crate::storage::AuditEvent {
        at_ms: now_ms,
        actor: "operator".into(),
        action: "admin_token.created",
        target: Some(format!("admin_token:{name}")),
        reason: None,
        ip: None,
    };
    let hash = crate::secrets::sha256(token.expose().as_bytes());
    storage.create_admin_token(name, &hash, &prefix, now_ms, &audit).await?;
    Ok(format!(
        "Admin token {name:?}, shown only now:\n\n  {}\n\nSend it as `Authorization: Bearer <token>` to /api/admin.",
        token.expose()
    ))
}

pub fn rotate_keys(keys: &crate::payload_keys::PayloadKeys) -> Result<String, OperatorError> {
    let id = keys.rotate()?;
    Ok(format!(
        "Payload key {id} is now current; older keys keep decrypting. Restart the other nodes, or they load it \
         when they first meet it."
    ))
}

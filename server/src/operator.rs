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
}

/// Reads one line: the trailing newline of `echo pw | roster …` is not part of the password.
pub fn read_password(mut input: impl Read) -> Result<Secret, OperatorError> {
    let mut text = String::new();
    input
        .read_to_string(&mut text)
        .map_err(OperatorError::Stdin)?;
    let line = text.lines().next().unwrap_or("").to_string();
    Ok(Secret::new(line))
}

fn checked_email(email: &str) -> Result<&str, OperatorError> {
    let email = email.trim();
    let valid = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
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
    let role = Role::parse(&options.role)
        .ok_or_else(|| OperatorError::UnknownRole(options.role.clone()))?;
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
    Ok(format!(
        "Created {} {email} (user id {id}).",
        role.label().to_lowercase()
    ))
}

pub async fn verify_audit(storage: &Storage) -> Result<String, OperatorError> {
    match storage.verify_audit_chain().await? {
        Ok(count) => Ok(format!(
            "The audit chain is intact: {count} records verified."
        )),
        Err(chain_break) => Err(OperatorError::AuditChainBroken {
            seq: chain_break.seq,
            problem: chain_break.problem,
        }),
    }
}

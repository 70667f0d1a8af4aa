//! Whose session is being created, resolved inside the transaction that creates it: a user an app names for the
//! first time is registered only if the session is, and a user disabled meanwhile is refused.

use sqlx::{Any, AssertSqlSafe, Transaction};

use super::users::{normalize_email, UserRow, USER_COLUMNS};
use super::StorageError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionOwner<'a> {
    Guest,
    /// A user Roster knows by id (the console's own sign-ins).
    User(i64),
    /// A user an app names by its own external id and/or email: found (the app's external id first), or
    /// registered as a member without a console password on first sight, which needs the email.
    Named {
        email: Option<&'a str>,
        external_id: Option<&'a str>,
        name: Option<&'a str>,
    },
}

async fn user_by_email(
    tx: &mut Transaction<'static, Any>,
    email: &str,
) -> Result<Option<UserRow>, StorageError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email_normalized = $1");
    Ok(sqlx::query_as(AssertSqlSafe(sql)).bind(normalize_email(email)).fetch_optional(&mut **tx).await?)
}

/// The user this app knows by this id: another app's ids never match.
async fn user_by_external_id(
    tx: &mut Transaction<'static, Any>,
    app_id: i64,
    external_id: &str,
) -> Result<Option<UserRow>, StorageError> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users WHERE id =
         (SELECT user_id FROM user_external_ids WHERE app_id = $1 AND external_id = $2)"
    );
    Ok(sqlx::query_as(AssertSqlSafe(sql)).bind(app_id).bind(external_id).fetch_optional(&mut **tx).await?)
}

/// Binds the app's id for a user it names by email too. A user already bound to another id in this app is a
/// conflict the app must hear about: quietly keeping either id would let the other one stop working later.
async fn bind_external_id(
    tx: &mut Transaction<'static, Any>,
    app_id: i64,
    external_id: &str,
    user_id: i64,
    now_ms: i64,
) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO user_external_ids (app_id, external_id, user_id, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(app_id)
    .bind(external_id)
    .bind(user_id)
    .bind(now_ms)
    .execute(&mut **tx)
    .await
    .map_err(|error| {
        StorageError::from_insert(error, "another external id in this app for the user with this email")
    })?;
    Ok(())
}

/// Who owns a new session, once resolved.
pub(super) struct ResolvedOwner {
    pub user_id: Option<i64>,
    /// The user was registered by this session's creation.
    pub registered: bool,
}

impl ResolvedOwner {
    fn existing(user_id: Option<i64>) -> ResolvedOwner {
        ResolvedOwner { user_id, registered: false }
    }
}

/// The owner's user id (None for a guest), registering a named user or binding the app's id for them as needed.
pub(super) async fn resolve_in(
    tx: &mut Transaction<'static, Any>,
    owner: SessionOwner<'_>,
    app_id: i64,
    now_ms: i64,
) -> Result<ResolvedOwner, StorageError> {
    let (email, external_id, name) = match owner {
        SessionOwner::Guest => return Ok(ResolvedOwner::existing(None)),
        SessionOwner::User(id) => return Ok(ResolvedOwner::existing(Some(id))),
        SessionOwner::Named { email, external_id, name } => (email, external_id, name),
    };
    let mut found = match external_id {
        Some(external) => user_by_external_id(tx, app_id, external).await?,
        None => None,
    };
    let found_by_external_id = found.is_some();
    if found.is_none() {
        if let Some(email) = email {
            found = user_by_email(tx, email).await?;
        }
    }
    match found {
        Some(user) if user.disabled != 0 => Err(StorageError::UserDisabled),
        Some(user) => {
            if let (Some(external), false) = (external_id, found_by_external_id) {
                bind_external_id(tx, app_id, external, user.id, now_ms).await?;
            }
            Ok(ResolvedOwner::existing(Some(user.id)))
        }
        None => {
            let email = email.ok_or(StorageError::UnknownUser)?;
            let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or(email));
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO users (email, email_normalized, display_name, role, created_at, updated_at)
                 VALUES ($1, $2, $3, 'member', $4, $4) RETURNING id",
            )
            .bind(email.trim())
            .bind(normalize_email(email))
            .bind(name)
            .bind(now_ms)
            .fetch_one(&mut **tx)
            .await
            .map_err(|error| StorageError::from_insert(error, "a user with this email"))?;
            if let Some(external) = external_id {
                bind_external_id(tx, app_id, external, id, now_ms).await?;
            }
            Ok(ResolvedOwner { user_id: Some(id), registered: true })
        }
    }
}

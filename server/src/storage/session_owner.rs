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
    /// A user an app names by external id and/or email: found (external id first), or registered as a member
    /// without a console password on first sight, which needs the email.
    Named {
        email: Option<&'a str>,
        external_id: Option<&'a str>,
        name: Option<&'a str>,
    },
}

async fn user_where(
    tx: &mut Transaction<'static, Any>,
    column: &str,
    value: &str,
) -> Result<Option<UserRow>, StorageError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE {column} = $1");
    Ok(sqlx::query_as(AssertSqlSafe(sql)).bind(value).fetch_optional(&mut **tx).await?)
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

/// The owner's user id (None for a guest), registering or completing a named user as needed.
pub(super) async fn resolve_in(
    tx: &mut Transaction<'static, Any>,
    owner: SessionOwner<'_>,
    now_ms: i64,
) -> Result<ResolvedOwner, StorageError> {
    let (email, external_id, name) = match owner {
        SessionOwner::Guest => return Ok(ResolvedOwner::existing(None)),
        SessionOwner::User(id) => return Ok(ResolvedOwner::existing(Some(id))),
        SessionOwner::Named { email, external_id, name } => (email, external_id, name),
    };
    let mut found = match external_id {
        Some(external) => user_where(tx, "external_id", external).await?,
        None => None,
    };
    if found.is_none() {
        if let Some(email) = email {
            found = user_where(tx, "email_normalized", &normalize_email(email)).await?;
        }
    }
    match found {
        Some(user) if user.disabled != 0 => Err(StorageError::UserDisabled),
        Some(user) => {
            if let (Some(external), None) = (external_id, &user.external_id) {
                sqlx::query(
                    "UPDATE users SET external_id = $1, updated_at = $2 WHERE id = $3 AND external_id IS NULL",
                )
                .bind(external)
                .bind(now_ms)
                .bind(user.id)
                .execute(&mut **tx)
                .await
                .map_err(|error| StorageError::from_insert(error, "a user with this external id"))?;
            }
            Ok(ResolvedOwner::existing(Some(user.id)))
        }
        None => {
            let email = email.ok_or(StorageError::UnknownUser)?;
            let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or(email));
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO users (email, email_normalized, display_name, role, external_id, created_at, updated_at)
                 VALUES ($1, $2, $3, 'member', $4, $5, $5) RETURNING id",
            )
            .bind(email.trim())
            .bind(normalize_email(email))
            .bind(name)
            .bind(external_id)
            .bind(now_ms)
            .fetch_one(&mut **tx)
            .await
            .map_err(|error| StorageError::from_insert(error, "a user with this email or external id"))?;
            Ok(ResolvedOwner { user_id: Some(id), registered: true })
        }
    }
}

//! Users and the sign-in failure counters.

use app::model::Role;
use sqlx::{AssertSqlSafe, FromRow};

use super::{Storage, StorageError};

/// A user as stored. Its password hash never prints: `Debug` shows it redacted.
#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub disabled: i64,
    #[sqlx(try_from = "Option<String>")]
    pub password_hash: StoredPasswordHash,
}

/// A console password's argon2 hash as the database holds it; None for a user without console access.
#[derive(Debug, Clone, Default)]
pub struct StoredPasswordHash(pub Option<crate::secrets::Secret>);

impl From<Option<String>> for StoredPasswordHash {
    fn from(hash: Option<String>) -> StoredPasswordHash {
        StoredPasswordHash(hash.map(crate::secrets::Secret::from))
    }
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub password_hash: Option<&'a str>,
    pub now_ms: i64,
}

#[derive(Debug, Clone, Copy, Default, FromRow)]
struct SignInFailures {
    failures: i64,
    locked_until: Option<i64>,
}

/// What counting a sign-in attempt decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInAttempt {
    /// Check the password: this is failure number `failures` if it is wrong; `locks_at` is set when this
    /// attempt reached the limit (a wrong password is then answered with the lock).
    Allowed { failures: i64, locks_at: Option<i64> },
    /// Locked until then: no password is checked.
    Locked { until_ms: i64 },
}

/// Spliced into queries as a constant, never with caller input (hence `AssertSqlSafe`).
pub(super) const USER_COLUMNS: &str = "id, email, display_name, role, disabled, password_hash";

/// Emails compare case-insensitively (DESIGN.md); the typed form is kept for display.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Storage {
    pub async fn create_user(&self, user: NewUser<'_>) -> Result<i64, StorageError> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO users (email, email_normalized, display_name, role, password_hash, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(user.email.trim())
        .bind(normalize_email(user.email))
        .bind(user.display_name)
        .bind(user.role)
        .bind(user.password_hash)
        .bind(user.now_ms)
        .fetch_one(&self.pool)
        .await
        .map_err(|error| StorageError::from_insert(error, "a user with this email"))?;
        Ok(id)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, StorageError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email_normalized = $1");
        Ok(sqlx::query_as(AssertSqlSafe(sql)).bind(normalize_email(email)).fetch_optional(&self.pool).await?)
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<UserRow>, StorageError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        Ok(sqlx::query_as(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?)
    }

    pub async fn count_users_with_role(&self, role: &str) -> Result<i64, StorageError> {
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE role = $1")
            .bind(role)
            .fetch_one(&self.pool)
            .await?;
        Ok(count)
    }

    /// Counts a sign-in attempt before its password is checked, in one statement, so attempts racing each other
    /// cannot all slip under the limit. The attempt that reaches `limit` sets the lock (until `lock_until_ms`);
    /// attempts counted past it are refused without a password check. A lock that has run out starts the count
    /// again. A correct password then clears the count (`clear_sign_in_failures`).
    pub async fn claim_sign_in_attempt(
        &self,
        email: &str,
        limit: i64,
        now_ms: i64,
        lock_until_ms: i64,
    ) -> Result<SignInAttempt, StorageError> {
        // A lock that holds only ends early through a right password, which it keeps from being checked, so a
        // read that sees it is final: attempts during a lock-out cost no write.
        let locked: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT locked_until FROM sign_in_failures WHERE email_normalized = $1")
                .bind(normalize_email(email))
                .fetch_optional(&self.pool)
                .await?;
        match locked {
            Some((Some(until_ms),)) if until_ms > now_ms => return Ok(SignInAttempt::Locked { until_ms }),
            _ => {}
        }
        let counted: SignInFailures = sqlx::query_as(
            "INSERT INTO sign_in_failures (email_normalized, failures, locked_until)
             VALUES ($1, 1, CASE WHEN 1 >= $2 THEN $4 END)
             ON CONFLICT (email_normalized) DO UPDATE SET
               failures = CASE WHEN sign_in_failures.locked_until <= $3 THEN 1
                               ELSE sign_in_failures.failures + 1 END,
               locked_until = CASE
                 WHEN sign_in_failures.locked_until <= $3 THEN CASE WHEN 1 >= $2 THEN $4 END
                 WHEN sign_in_failures.locked_until IS NOT NULL THEN sign_in_failures.locked_until
                 WHEN sign_in_failures.failures + 1 >= $2 THEN $4
               END
             RETURNING failures, locked_until",
        )
        .bind(normalize_email(email))
        .bind(limit)
        .bind(now_ms)
        .bind(lock_until_ms)
        .fetch_one(&self.pool)
        .await?;
        Ok(match counted.locked_until {
            Some(until_ms) if counted.failures > limit => SignInAttempt::Locked { until_ms },
            locks_at => SignInAttempt::Allowed { failures: counted.failures, locks_at },
        })
    }

    pub async fn clear_sign_in_failures(&self, email: &str) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM sign_in_failures WHERE email_normalized = $1")
            .bind(normalize_email(email))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_row_never_prints_its_password_hash() {
        let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
        let row = UserRow {
            id: 1,
            email: "ada@example.com".into(),
            display_name: "Ada".into(),
            role: Role::Owner,
            disabled: 0,
            password_hash: StoredPasswordHash::from(Some(hash.to_string())),
        };
        let printed = format!("{row:?}");
        assert!(!printed.contains("argon2id"), "{printed}");
        assert!(printed.contains("ada@example.com"), "the rest still prints: {printed}");
    }
}

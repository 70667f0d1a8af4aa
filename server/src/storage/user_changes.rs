//! Changes to a user that the workspace's rules guard: disabling (which ends every session of the user in the
//! same transaction) and enabling, and changing a role. The last enabled owner is checked inside the writing
//! transaction, so two owners demoting each other at once cannot leave the workspace without one.

use app::model::Role;

use super::{AuditEvent, SessionEnd, Storage, StorageError, UserSessions};

/// What a guarded change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserChange {
    /// Done; the ids of the sessions it ended (disabling), each with its own audit record.
    Done {
        ended: Vec<String>,
    },
    NoSuchUser,
    /// Refused: the user is the last enabled owner.
    LastOwner,
    /// Nothing to do: the user already was in that state (no audit record is written).
    Unchanged,
}

/// Disabling a user: how their sessions end, and the audit record of each ended session.
pub struct Disabling<'a> {
    pub end: SessionEnd<'a>,
    pub session_audit: AuditEvent,
}

impl Storage {
    /// Disables (ending every active session of the user) or enables a user, with `audit` in the same
    /// transaction.
    pub async fn set_user_disabled(
        &self,
        user_id: i64,
        disabling: Option<&Disabling<'_>>,
        audit: &AuditEvent,
    ) -> Result<UserChange, StorageError> {
        let mut tx = self.begin_write().await?;
        let current: Option<(String, i64)> = sqlx::query_as("SELECT role, disabled FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((role, disabled)) = current else {
            return Ok(UserChange::NoSuchUser);
        };
        if (disabled != 0) == disabling.is_some() {
            return Ok(UserChange::Unchanged);
        }
        if disabling.is_some()
            && role == Role::Owner.as_str()
            && self.other_owners(&mut tx, user_id).await? == 0
        {
            return Ok(UserChange::LastOwner);
        }
        sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(disabling.is_some()))
            .bind(audit.at_ms)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let ended = match disabling {
            Some(disabling) => {
                let scope = UserSessions::all_of(user_id);
                self.end_user_sessions_in(&mut tx, &scope, &disabling.end, &disabling.session_audit).await?
            }
            None => Vec::new(),
        };
        self.append_audit(&mut tx, audit).await?;
        self.commit_and_forget(tx).await?;
        Ok(UserChange::Done { ended })
    }

    /// Gives a user another role, with `audit` in the same transaction.
    pub async fn set_user_role(
        &self,
        user_id: i64,
        role: Role,
        audit: &AuditEvent,
    ) -> Result<UserChange, StorageError> {
        let mut tx = self.begin_write().await?;
        let current: Option<(String,)> = sqlx::query_as("SELECT role FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((current,)) = current else {
            return Ok(UserChange::NoSuchUser);
        };
        if current == role.as_str() {
            return Ok(UserChange::Unchanged);
        }
        if current == Role::Owner.as_str() && self.other_owners(&mut tx, user_id).await? == 0 {
            return Ok(UserChange::LastOwner);
        }
        sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
            .bind(role.as_str())
            .bind(audit.at_ms)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        self.append_audit(&mut tx, audit).await?;
        self.commit_and_forget(tx).await?;
        Ok(UserChange::Done { ended: Vec::new() })
    }

    /// Enabled owners other than `user_id`, read under the write lock.
    async fn other_owners(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        user_id: i64,
    ) -> Result<i64, StorageError> {
        let (count,): (i64,) = sqlx::query_as(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM users WHERE role = 'owner' AND disabled = 0 AND id <> $1",
        )
        .bind(user_id)
        .fetch_one(&mut **tx)
        .await?;
        Ok(count)
    }
}

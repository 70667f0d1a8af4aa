//! Saving the workspace's settings (all at once, audited), and bringing active sessions' limits in line with
//! them, a batch at a time.

use super::deadline::deadline_sql;
use super::sql_builder::Sql;
use super::{AuditEvent, Storage, StorageError};

/// The limits a saved policy gives sessions that follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyLimits {
    /// None: no idle timeout.
    pub idle_timeout_secs: Option<i64>,
    pub lifetime_secs: i64,
    pub remembered_lifetime_secs: i64,
}

impl Storage {
    /// Writes every setting and the audit record in one transaction: all of them, or none.
    pub async fn put_settings(
        &self,
        settings: &[(&str, i64)],
        audit: &AuditEvent,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        for (name, value) in settings {
            sqlx::query(
                "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = $2",
            )
            .bind(*name)
            .bind(*value)
            .execute(&mut *tx)
            .await?;
        }
        self.append_audit(&mut tx, audit).await?;
        self.commit_and_forget(tx).await
    }

    /// Gives up to `batch` active, expiring sessions after the id `after` (in id order) the new idle timeout, and
    /// the new lifetime to those whose expiry followed the old one (an app's shorter `ttlSeconds` or an admin's
    /// payload TTL stays); their deadlines follow. Returns the last id it reached, None when none was left.
    pub async fn apply_policy_batch(
        &self,
        after: &str,
        batch: i64,
        old: PolicyLimits,
        new: PolicyLimits,
    ) -> Result<Option<String>, StorageError> {
        let mut tx = self.begin_write().await?;
        let ids: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM sessions WHERE id > $1 AND status = 'active' AND expires_at IS NOT NULL
             ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(batch)
        .fetch_all(&mut *tx)
        .await?;
        let Some((last,)) = ids.last().cloned() else {
            tx.commit().await?;
            return Ok(None);
        };
        let mut limits = Sql::default();
        limits.push("UPDATE sessions SET idle_timeout_secs = ");
        match new.idle_timeout_secs {
            Some(secs) => limits.int(secs),
            None => limits.push("NULL"),
        };
        limits
            .push(", expires_at = CASE WHEN remember_me = 1 AND expires_at = created_at + ")
            .int(old.remembered_lifetime_secs * 1000)
            .push(" THEN created_at + ")
            .int(new.remembered_lifetime_secs * 1000)
            .push(" WHEN remember_me = 0 AND expires_at = created_at + ")
            .int(old.lifetime_secs * 1000)
            .push(" THEN created_at + ")
            .int(new.lifetime_secs * 1000)
            .push(" ELSE expires_at END WHERE ");
        push_ids(&mut limits, &ids);
        limits.query().execute(&mut *tx).await?;
        // A second statement: the deadline reads the limits the first one wrote.
        let mut deadlines = Sql::default();
        deadlines.push(&format!(
            "UPDATE sessions SET deadline_at = {} WHERE ",
            deadline_sql("expires_at", "last_active_at")
        ));
        push_ids(&mut deadlines, &ids);
        deadlines.query().execute(&mut *tx).await?;
        self.commit_and_forget(tx).await?;
        Ok(Some(last))
    }
}

/// `id IN ($1, $2, …)`, each id bound.
fn push_ids(sql: &mut Sql, ids: &[(String,)]) {
    sql.push("id IN (");
    for (n, (id,)) in ids.iter().enumerate() {
        if n > 0 {
            sql.push(", ");
        }
        sql.text(id);
    }
    sql.push(")");
}

//! What Analytics reads: counts kept by triggers (`analytics_counts`, `session_counts`) and the hourly rollup of
//! active sessions (`active_hours`), never the sessions themselves on a request. The rollup is written every
//! minute, and filled in once from the sessions' own start and end times when it has nothing for the window.

use sqlx::{Any, AssertSqlSafe, Transaction};

use super::{DbKind, Storage, StorageError};

/// The payload band of a session's row in SQL, as the triggers of migration 0017 compute it.
const PAYLOAD_BAND_SQL: &str = "CASE WHEN s.payload_bytes * 100 <= a.max_payload_bytes * 25 THEN '0-25'
     WHEN s.payload_bytes * 100 <= a.max_payload_bytes * 50 THEN '25-50'
     WHEN s.payload_bytes * 100 <= a.max_payload_bytes * 75 THEN '50-75'
     WHEN s.payload_bytes * 100 <= a.max_payload_bytes * 90 THEN '75-90'
     WHEN s.payload_bytes <= a.max_payload_bytes THEN '90-100'
     ELSE 'over' END";

/// One kept count: active sessions of one app with one country, client (`browser|os`) or payload band.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnalyticsCount {
    pub app_id: i64,
    pub dimension: String,
    pub value: String,
    pub n: i64,
}

/// When one session was active: from its start to its end (None: still active).
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct SessionSpan {
    pub app_id: i64,
    pub created_at: i64,
    pub ended_at: Option<i64>,
}

impl Storage {
    /// Every kept count above zero, of one app or of all.
    pub async fn analytics_counts(&self, app_id: Option<i64>) -> Result<Vec<AnalyticsCount>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT app_id, dimension, value, n FROM analytics_counts
             WHERE n > 0 AND (CAST($1 AS BIGINT) IS NULL OR app_id = $1)",
        )
        .bind(app_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The hourly rollup from `from_hour` on, summed over the apps (or of one app): (hour, active).
    pub async fn active_hours(
        &self,
        from_hour: i64,
        app_id: Option<i64>,
    ) -> Result<Vec<(i64, i64)>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT hour, CAST(SUM(active) AS BIGINT) FROM active_hours
             WHERE hour >= $1 AND (CAST($2 AS BIGINT) IS NULL OR app_id = $2) GROUP BY hour ORDER BY hour",
        )
        .bind(from_hour)
        .bind(app_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records this hour's active sessions per app, keeping the most seen in the hour.
    pub async fn record_active_hour(&self, hour: i64) -> Result<(), StorageError> {
        let keep_most = match self.kind {
            DbKind::Sqlite => "max(active_hours.active, excluded.active)",
            DbKind::Postgres => "GREATEST(active_hours.active, excluded.active)",
        };
        let sql = format!(
            "INSERT INTO active_hours (hour, app_id, active)
             SELECT $1, app_id, n FROM session_counts WHERE status = 'active' AND n > 0
             ON CONFLICT (hour, app_id) DO UPDATE SET active = {keep_most}"
        );
        sqlx::query(AssertSqlSafe(sql)).bind(hour).execute(&self.pool).await?;
        Ok(())
    }

    /// Whether the rollup holds any hour from `from_hour` on.
    pub async fn has_active_hours_since(&self, from_hour: i64) -> Result<bool, StorageError> {
        let found: Option<(i64,)> = sqlx::query_as("SELECT hour FROM active_hours WHERE hour >= $1 LIMIT 1")
            .bind(from_hour)
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }

    /// Every session active at some time since `since_ms`: what the rollup is filled in from, once.
    pub async fn session_spans_since(&self, since_ms: i64) -> Result<Vec<SessionSpan>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT app_id, created_at, ended_at FROM sessions WHERE ended_at IS NULL OR ended_at >= $1",
        )
        .bind(since_ms)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Adds hours the rollup does not have yet: (hour, app id, active).
    pub async fn fill_active_hours(&self, rows: &[(i64, i64, i64)]) -> Result<(), StorageError> {
        let mut tx = self.pool.begin().await?;
        for (hour, app_id, active) in rows {
            sqlx::query(
                "INSERT INTO active_hours (hour, app_id, active) VALUES ($1, $2, $3)
                 ON CONFLICT (hour, app_id) DO NOTHING",
            )
            .bind(hour)
            .bind(app_id)
            .bind(active)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Counts an app's active sessions by payload band again, after its limit changed (the bands are shares of
    /// the limit). One pass over that app's active sessions, in the transaction that changes the limit.
    pub(super) async fn recount_payload_bands(
        &self,
        tx: &mut Transaction<'static, Any>,
        app_id: i64,
    ) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM analytics_counts WHERE app_id = $1 AND dimension = 'fill'")
            .bind(app_id)
            .execute(&mut **tx)
            .await?;
        let sql = format!(
            "INSERT INTO analytics_counts (app_id, dimension, value, n)
             SELECT s.app_id, 'fill', {PAYLOAD_BAND_SQL}, COUNT(*) FROM sessions s JOIN apps a ON a.id = s.app_id
             WHERE s.app_id = $1 AND s.status = 'active' GROUP BY s.app_id, {PAYLOAD_BAND_SQL}"
        );
        sqlx::query(AssertSqlSafe(sql)).bind(app_id).execute(&mut **tx).await?;
        Ok(())
    }
}

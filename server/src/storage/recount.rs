//! Every count the sessions table's triggers keep (session_counts, history_counts, analytics_counts and the
//! users' session counts), counted again from the rows: a bulk load recounts once instead of firing the
//! triggers per row. The statements are written once for both databases and follow the migrations that first
//! filled each count; a test holds them to what the triggers keep.

use sqlx::AnyConnection;

use super::{DbKind, Storage, StorageError};

const RECOUNT: &[&str] = &[
    "DELETE FROM session_counts",
    "INSERT INTO session_counts (app_id, status, n) SELECT app_id, status, COUNT(*) FROM sessions
     GROUP BY app_id, status",
    "DELETE FROM history_counts",
    "INSERT INTO history_counts (ended_how, n) SELECT ended_how, COUNT(*) FROM sessions
     WHERE ended_how IS NOT NULL GROUP BY ended_how",
    "DELETE FROM analytics_counts",
    "INSERT INTO analytics_counts (app_id, dimension, value, n)
     SELECT app_id, 'country', COALESCE(country, ''), COUNT(*) FROM sessions WHERE status = 'active'
     GROUP BY app_id, COALESCE(country, '')",
    "INSERT INTO analytics_counts (app_id, dimension, value, n)
     SELECT app_id, 'client', COALESCE(browser, '') || '|' || COALESCE(os, ''), COUNT(*) FROM sessions
     WHERE status = 'active' GROUP BY app_id, COALESCE(browser, '') || '|' || COALESCE(os, '')",
    "INSERT INTO analytics_counts (app_id, dimension, value, n)
     SELECT band.app_id, 'fill', band.band, COUNT(*) FROM (
         SELECT s.app_id,
             CASE WHEN s.payload_bytes * 100 <= a.max_payload_bytes * 25 THEN '0-25'
                  WHEN s.payload_bytes * 100 <= a.max_payload_bytes * 50 THEN '25-50'
                  WHEN s.payload_bytes * 100 <= a.max_payload_bytes * 75 THEN '50-75'
                  WHEN s.payload_bytes * 100 <= a.max_payload_bytes * 90 THEN '75-90'
                  WHEN s.payload_bytes <= a.max_payload_bytes THEN '90-100'
                  ELSE 'over' END AS band
         FROM sessions s JOIN apps a ON a.id = s.app_id WHERE s.status = 'active'
     ) band GROUP BY band.app_id, band.band",
    // Each user's counts from one pass over the sessions by user (three lookups per user took four times as
    // long at 100,000 users). A user's last activity only moves forward, as the triggers keep it: sessions
    // purged later do not take it back.
    "UPDATE users SET active_sessions = 0, total_sessions = 0 WHERE active_sessions <> 0 OR total_sessions <> 0",
    "UPDATE users SET
         active_sessions = counted.active,
         total_sessions = counted.total,
         last_active_at = CASE WHEN counted.last_active > users.last_active_at THEN counted.last_active
                               ELSE users.last_active_at END
     FROM (SELECT user_id, SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END) AS active, COUNT(*) AS total,
                  MAX(last_active_at) AS last_active
           FROM sessions WHERE user_id IS NOT NULL GROUP BY user_id) counted
     WHERE counted.user_id = users.id",
];

/// The sort ranks' counts (migration sort_ranks): the finest level from the sessions, then the coarser ones from
/// it. The user prefix's code is a function on PostgreSQL and spelled out on SQLite, as in its triggers.
fn rank_recount(kind: DbKind) -> [&'static str; 3] {
    let finest = match kind {
        DbKind::Postgres => {
            "INSERT INTO session_rank_counts (sort, level, bucket, status, app_id, n)
             SELECT l.sort, l.level,
                    session_rank_base(l.sort, s.created_at, s.expires_at, s.last_active_at, s.user_sort) >> l.shift,
                    s.status, s.app_id, COUNT(*)
             FROM session_rank_levels l CROSS JOIN sessions s WHERE l.level = 2
             GROUP BY 1, 2, 3, 4, 5"
        }
        DbKind::Sqlite => {
            "INSERT INTO session_rank_counts (sort, level, bucket, status, app_id, n)
             SELECT l.sort, l.level,
                    (CASE l.sort WHEN 1 THEN s.created_at WHEN 2 THEN COALESCE(s.expires_at, 9223372036854775807)
                     WHEN 3 THEN s.last_active_at
                     ELSE (COALESCE(unicode(substr(s.user_sort, 1, 1)), 0) << 42)
                          | (COALESCE(unicode(substr(s.user_sort, 2, 1)), 0) << 21)
                          | COALESCE(unicode(substr(s.user_sort, 3, 1)), 0) END) >> l.shift,
                    s.status, s.app_id, COUNT(*)
             FROM session_rank_levels l CROSS JOIN sessions s WHERE l.level = 2
             GROUP BY 1, 2, 3, 4, 5"
        }
    };
    [
        "DELETE FROM session_rank_counts",
        finest,
        "INSERT INTO session_rank_counts (sort, level, bucket, status, app_id, n)
         SELECT c.sort, coarse.level, c.bucket >> (coarse.shift - fine.shift), c.status, c.app_id, SUM(c.n)
         FROM session_rank_counts c
         JOIN session_rank_levels fine ON fine.sort = c.sort AND fine.level = c.level
         JOIN session_rank_levels coarse ON coarse.sort = c.sort AND coarse.level < c.level
         WHERE c.level = 2
         GROUP BY 1, 2, 3, 4, 5",
    ]
}

pub(super) async fn recount_in(connection: &mut AnyConnection, kind: DbKind) -> Result<(), StorageError> {
    for statement in RECOUNT.iter().copied().chain(rank_recount(kind)) {
        sqlx::query(statement).execute(&mut *connection).await?;
    }
    Ok(())
}

impl Storage {
    /// Recounts in one write transaction.
    pub async fn recount(&self) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        recount_in(&mut tx, self.kind).await?;
        self.commit_and_forget(tx).await
    }
}

//! Work that must run on one node at a time (the expiry sweep, Analytics' hourly rollup): on PostgreSQL the
//! node holding a session-level advisory lock does it. The lock belongs to one connection kept outside the
//! pool, so when that node stops (or its connection drops) PostgreSQL releases it and another node takes over
//! at its next tick. SQLite has one node, which always leads.

use sqlx::{AnyConnection, Connection};
use tokio::sync::Mutex;

use super::{DbKind, Storage};

/// The advisory lock's key: "Roster" in ASCII, unlikely to meet another application's key on a shared server.
const LEADER_LOCK: i64 = 0x526f_7374_6572;

pub struct Leadership {
    storage: Storage,
    /// The connection holding the lock, while this node leads.
    held: Mutex<Option<AnyConnection>>,
}

impl std::fmt::Debug for Leadership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Leadership").finish_non_exhaustive()
    }
}

impl Storage {
    pub fn leadership(&self) -> Leadership {
        Leadership { storage: self.clone(), held: Mutex::new(None) }
    }
}

impl Leadership {
    /// Whether this node does the once-only work now: it keeps the lock it holds (checking that its
    /// connection is alive), or takes it when no other node holds it. A database that cannot answer means no.
    pub async fn leads(&self) -> bool {
        if self.storage.kind == DbKind::Sqlite {
            return true;
        }
        let mut held = self.held.lock().await;
        if let Some(connection) = held.as_mut() {
            if connection.ping().await.is_ok() {
                return true;
            }
            // The connection is gone, and the lock with it: another node may lead now.
            *held = None;
        }
        let Ok(pooled) = self.storage.pool.acquire().await else {
            return false;
        };
        let mut connection = pooled.detach();
        let taken: Result<bool, _> = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(LEADER_LOCK)
            .fetch_one(&mut connection)
            .await;
        if matches!(taken, Ok(true)) {
            *held = Some(connection);
            true
        } else {
            let _ = connection.close().await;
            false
        }
    }

    /// Lets another node lead (a stopping server).
    pub async fn step_down(&self) {
        if let Some(connection) = self.held.lock().await.take() {
            let _ = connection.close().await;
        }
    }
}

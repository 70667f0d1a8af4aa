//! What operators' probes and scrapers ask of the engine: whether the database answers, and how its
//! connection pool is used.

use super::{Engine, EngineError};
use crate::storage::PoolUse;

impl Engine {
    pub async fn database_answers(&self) -> Result<(), EngineError> {
        Ok(self.storage.ping().await?)
    }

    pub fn database_pool_use(&self) -> PoolUse {
        self.storage.pool_use()
    }
}

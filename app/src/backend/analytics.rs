use async_trait::async_trait;

use crate::analytics::{Analytics, AnalyticsQuery};
use crate::error::ConsoleError;

/// The Analytics page: counts and rollups, for owners, admins and billing managers.
#[async_trait]
pub trait AnalyticsBackend: Send + Sync + 'static {
    async fn analytics(&self, query: AnalyticsQuery) -> Result<Analytics, ConsoleError>;
}

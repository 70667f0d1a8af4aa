//! The Analytics page, from the engine's kept counts and hourly rollup.

use async_trait::async_trait;

use app::analytics::{Analytics, AnalyticsQuery};
use app::backend::AnalyticsBackend;
use app::ConsoleError;

use super::Console;

#[async_trait]
impl AnalyticsBackend for Console {
    async fn analytics(&self, query: AnalyticsQuery) -> Result<Analytics, ConsoleError> {
        Ok(self.engine.analytics(query).await?)
    }
}

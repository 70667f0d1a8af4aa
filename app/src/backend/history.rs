use async_trait::async_trait;

use crate::error::ConsoleError;
use crate::history::{HistoryPage, HistoryQuery};

/// Session history: ended sessions, for everyone who sees all sessions (the server function checked).
#[async_trait]
pub trait HistoryBackend: Send + Sync + 'static {
    async fn history_page(&self, query: &HistoryQuery) -> Result<HistoryPage, ConsoleError>;
}

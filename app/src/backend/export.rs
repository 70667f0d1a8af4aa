use async_trait::async_trait;

use super::ClientInfo;
use crate::error::ConsoleError;
use crate::model::CurrentUser;
use crate::session_detail::ExportFormat;
use crate::session_query::SessionQuery;

/// The JSON file of the page the Sessions console shows.
#[async_trait]
pub trait ExportBackend: Send + Sync + 'static {
    /// The export file of the page `query` shows, audited with the sessions whose payloads it decrypted.
    async fn export_page(
        &self,
        user: &CurrentUser,
        query: &SessionQuery,
        format: ExportFormat,
        client: &ClientInfo,
    ) -> Result<String, ConsoleError>;
}

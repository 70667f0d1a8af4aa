use async_trait::async_trait;

use crate::audit_log::{AuditLogPage, AuditLogQuery, ChainCheck};
use crate::error::ConsoleError;

/// The audit log page, for owners and admins (the server functions checked).
#[async_trait]
pub trait AuditLogBackend: Send + Sync + 'static {
    async fn audit_page(&self, query: &AuditLogQuery) -> Result<AuditLogPage, ConsoleError>;

    /// Starts checking the whole chain (and the signed checkpoints) in the background, unless a check is
    /// running; answers where it stands.
    async fn start_chain_check(&self) -> Result<ChainCheck, ConsoleError>;

    /// Where the latest check stands.
    async fn chain_check(&self) -> Result<ChainCheck, ConsoleError>;
}

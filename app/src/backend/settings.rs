use async_trait::async_trait;

use super::ClientInfo;
use crate::error::ConsoleError;
use crate::model::CurrentUser;
use crate::settings::WorkspaceSettings;

/// The Settings page: the workspace's session policy, read and saved by its owners.
#[async_trait]
pub trait SettingsBackend: Send + Sync + 'static {
    async fn settings(&self) -> Result<WorkspaceSettings, ConsoleError>;

    /// Checks every value (saving nothing when one is out of range), saves them audited, and applies them to
    /// active sessions within a minute.
    async fn save_settings(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        settings: &WorkspaceSettings,
    ) -> Result<(), ConsoleError>;
}

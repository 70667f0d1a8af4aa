//! The Settings page: the workspace's session policy, through the engine's policy cache.

use async_trait::async_trait;

use app::backend::{ClientInfo, SettingsBackend};
use app::model::CurrentUser;
use app::settings::WorkspaceSettings;
use app::ConsoleError;

use super::{console_actor, Console};

#[async_trait]
impl SettingsBackend for Console {
    async fn settings(&self) -> Result<WorkspaceSettings, ConsoleError> {
        Ok(self.engine.workspace_settings().await?)
    }

    async fn save_settings(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        settings: &WorkspaceSettings,
    ) -> Result<(), ConsoleError> {
        let actor = console_actor(caller, client.ip.as_deref());
        // The applier runs on after the answer: existing sessions follow within the minute.
        self.engine.save_settings(settings, actor).await?;
        Ok(())
    }
}

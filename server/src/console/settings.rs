//! The Settings page: the workspace's session policy, through the engine's policy cache, and the alarm webhook.

use async_trait::async_trait;

use app::alarm_webhook::{AlarmWebhookView, SavedWebhook, WebhookDelivery};
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

    async fn alarm_webhook(&self) -> Result<AlarmWebhookView, ConsoleError> {
        Ok(self.engine.alarm_webhook().await?)
    }

    async fn save_alarm_webhook(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        url: &str,
    ) -> Result<SavedWebhook, ConsoleError> {
        let actor = console_actor(caller, client.ip.as_deref());
        Ok(SavedWebhook { signing_secret: self.engine.save_alarm_webhook(url, actor).await? })
    }

    async fn test_alarm_webhook(&self) -> Result<WebhookDelivery, ConsoleError> {
        Ok(self.engine.test_alarm_webhook().await?)
    }
}

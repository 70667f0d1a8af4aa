use async_trait::async_trait;

use super::ClientInfo;
use crate::alarm_webhook::{AlarmWebhookView, SavedWebhook, WebhookDelivery};
use crate::error::ConsoleError;
use crate::model::CurrentUser;
use crate::settings::WorkspaceSettings;

/// The Settings page: the workspace's session policy and the alarm webhook, read and saved by its owners.
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

    async fn alarm_webhook(&self) -> Result<AlarmWebhookView, ConsoleError>;

    /// Saves `url` with a new signing secret (answered once), or removes the webhook when `url` is empty.
    async fn save_alarm_webhook(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        url: &str,
    ) -> Result<SavedWebhook, ConsoleError>;

    /// Posts one signed test event now, without retrying.
    async fn test_alarm_webhook(&self) -> Result<WebhookDelivery, ConsoleError>;
}

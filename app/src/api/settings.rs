//! The Settings page's server functions: owners only.

use leptos::prelude::*;

use crate::error::ConsoleError;
use crate::settings::WorkspaceSettings;

#[server(endpoint = "settings", output = crate::api::codec::JsonReply)]
pub async fn load_settings() -> Result<WorkspaceSettings, ConsoleError> {
    use crate::backend::{capability, Call, SettingsBackend};

    let call = Call::current().await?;
    call.require("load_settings", |role| role == crate::model::Role::Owner).await?;
    capability::<dyn SettingsBackend>()?.settings().await
}

/// **Save**: every field checked (the ranges named; nothing saved on any error), audited with before and after.
#[server(endpoint = "settings/save", output = crate::api::codec::JsonReply)]
pub async fn save_settings(settings: WorkspaceSettings) -> Result<(), ConsoleError> {
    use crate::backend::{capability, Call, SettingsBackend};

    let call = Call::current().await?;
    let caller = call.require("save_settings", |role| role == crate::model::Role::Owner).await?;
    capability::<dyn SettingsBackend>()?.save_settings(&caller, &call.client, &settings).await
}

/// The alarm webhook's URL and last delivery (never its secret).
#[server(endpoint = "settings/webhook", output = crate::api::codec::JsonReply)]
pub async fn load_alarm_webhook() -> Result<crate::alarm_webhook::AlarmWebhookView, ConsoleError> {
    use crate::backend::{capability, Call, SettingsBackend};

    let call = Call::current().await?;
    call.require("load_alarm_webhook", |role| role == crate::model::Role::Owner).await?;
    capability::<dyn SettingsBackend>()?.alarm_webhook().await
}

/// **Set webhook**: a URL gets a new signing secret, answered this once; an empty URL removes the webhook.
/// Audited either way.
#[server(endpoint = "settings/webhook/save", output = crate::api::codec::JsonReply)]
pub async fn save_alarm_webhook(url: String) -> Result<crate::alarm_webhook::SavedWebhook, ConsoleError> {
    use crate::backend::{capability, Call, SettingsBackend};

    let call = Call::current().await?;
    let caller = call.require("save_alarm_webhook", |role| role == crate::model::Role::Owner).await?;
    capability::<dyn SettingsBackend>()?.save_alarm_webhook(&caller, &call.client, &url).await
}

/// **Send test event**: one signed `webhook.test` event, posted now and not retried; answers how it went.
#[server(endpoint = "settings/webhook/test", output = crate::api::codec::JsonReply)]
pub async fn test_alarm_webhook() -> Result<crate::alarm_webhook::WebhookDelivery, ConsoleError> {
    use crate::backend::{capability, Call, SettingsBackend};

    let call = Call::current().await?;
    call.require("test_alarm_webhook", |role| role == crate::model::Role::Owner).await?;
    capability::<dyn SettingsBackend>()?.test_alarm_webhook().await
}

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

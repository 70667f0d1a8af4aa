//! The Apps page's server functions: owners and admins (the route table's rule for `/apps`).

use leptos::prelude::*;

use crate::apps::{AppForm, AppsOverview, IssuedKey};
use crate::error::ConsoleError;

#[server(endpoint = "apps", output = crate::api::codec::JsonReply)]
pub async fn load_apps() -> Result<AppsOverview, ConsoleError> {
    use crate::backend::{capability, AppsBackend, Call};

    let call = Call::current().await?;
    call.require("load_apps", |role| crate::routes::APPS.allowed(role)).await?;
    capability::<dyn AppsBackend>()?.apps().await
}

/// **Register**: the app and its first API key, answered this once. Audited.
#[server(endpoint = "apps/register", output = crate::api::codec::JsonReply)]
pub async fn register_app(form: AppForm) -> Result<IssuedKey, ConsoleError> {
    use crate::backend::{capability, AppsBackend, Call};

    let call = Call::current().await?;
    let caller = call.require("register_app", |role| crate::routes::APPS.allowed(role)).await?;
    capability::<dyn AppsBackend>()?.register_app(&caller, &call.client, &form).await
}

/// **Save changes** of an app's name and payload limit. Audited with before and after.
#[server(endpoint = "apps/update", output = crate::api::codec::JsonReply)]
pub async fn update_app(form: AppForm) -> Result<(), ConsoleError> {
    use crate::backend::{capability, AppsBackend, Call};

    let call = Call::current().await?;
    let caller = call.require("update_app", |role| crate::routes::APPS.allowed(role)).await?;
    capability::<dyn AppsBackend>()?.update_app(&caller, &call.client, &form).await
}

/// **New key**: another API key for the app, answered this once. Audited.
#[server(endpoint = "apps/keys/new", output = crate::api::codec::JsonReply)]
pub async fn new_app_key(slug: String) -> Result<IssuedKey, ConsoleError> {
    use crate::backend::{capability, AppsBackend, Call};

    let call = Call::current().await?;
    let caller = call.require("new_app_key", |role| crate::routes::APPS.allowed(role)).await?;
    capability::<dyn AppsBackend>()?.new_app_key(&caller, &call.client, &slug).await
}

/// **Revoke key**: refused from its next request. Audited.
#[server(endpoint = "apps/keys/revoke", output = crate::api::codec::JsonReply)]
pub async fn revoke_app_key(key_id: i64) -> Result<(), ConsoleError> {
    use crate::backend::{capability, AppsBackend, Call};

    let call = Call::current().await?;
    let caller = call.require("revoke_app_key", |role| crate::routes::APPS.allowed(role)).await?;
    capability::<dyn AppsBackend>()?.revoke_app_key(&caller, &call.client, key_id).await
}

/// **New token**: an admin API token, answered this once. Audited.
#[server(endpoint = "apps/tokens/new", output = crate::api::codec::JsonReply)]
pub async fn new_admin_token(name: String) -> Result<String, ConsoleError> {
    use crate::backend::{capability, AppsBackend, Call};

    let call = Call::current().await?;
    let caller = call.require("new_admin_token", |role| crate::routes::APPS.allowed(role)).await?;
    capability::<dyn AppsBackend>()?.new_admin_token(&caller, &call.client, &name).await
}

/// **Revoke token**: refused from its next request, on every node. Audited.
#[server(endpoint = "apps/tokens/revoke", output = crate::api::codec::JsonReply)]
pub async fn revoke_admin_token(token_id: i64) -> Result<(), ConsoleError> {
    use crate::backend::{capability, AppsBackend, Call};

    let call = Call::current().await?;
    let caller = call.require("revoke_admin_token", |role| crate::routes::APPS.allowed(role)).await?;
    capability::<dyn AppsBackend>()?.revoke_admin_token(&caller, &call.client, token_id).await
}

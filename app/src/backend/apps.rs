use async_trait::async_trait;

use super::ClientInfo;
use crate::apps::{AppForm, AppsOverview, IssuedKey};
use crate::error::ConsoleError;
use crate::model::CurrentUser;

/// The Apps page: registered apps, their API keys and the admin tokens, for owners and admins. New secrets are
/// answered once and never stored in the clear.
#[async_trait]
pub trait AppsBackend: Send + Sync + 'static {
    async fn apps(&self) -> Result<AppsOverview, ConsoleError>;

    /// Registers an app; answers its first API key.
    async fn register_app(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        form: &AppForm,
    ) -> Result<IssuedKey, ConsoleError>;

    /// Renames an app and sets its payload limit (the slug names the app and does not change).
    async fn update_app(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        form: &AppForm,
    ) -> Result<(), ConsoleError>;

    async fn new_app_key(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        slug: &str,
    ) -> Result<IssuedKey, ConsoleError>;

    async fn revoke_app_key(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        key_id: i64,
    ) -> Result<(), ConsoleError>;

    async fn new_admin_token(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        name: &str,
    ) -> Result<String, ConsoleError>;

    async fn revoke_admin_token(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        token_id: i64,
    ) -> Result<(), ConsoleError>;
}

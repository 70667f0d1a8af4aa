//! The Apps page: registered apps, their keys and the admin tokens, through the engine's app operations (the
//! same the operator's commands use).

use async_trait::async_trait;
use secrecy::ExposeSecret;

use app::apps::{AppForm, AppsOverview, IssuedKey};
use app::backend::{AppsBackend, ClientInfo};
use app::model::CurrentUser;
use app::ConsoleError;

use super::{console_actor, Console};

#[async_trait]
impl AppsBackend for Console {
    async fn apps(&self) -> Result<AppsOverview, ConsoleError> {
        Ok(self.engine.apps_overview().await?)
    }

    async fn register_app(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        form: &AppForm,
    ) -> Result<IssuedKey, ConsoleError> {
        let key = self.engine.register_app(form, console_actor(caller, client.ip.as_deref())).await?;
        Ok(IssuedKey { slug: form.slug.trim().to_string(), key: key.expose_secret().to_string() })
    }

    async fn update_app(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        form: &AppForm,
    ) -> Result<(), ConsoleError> {
        Ok(self.engine.update_app(form, console_actor(caller, client.ip.as_deref())).await?)
    }

    async fn new_app_key(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        slug: &str,
    ) -> Result<IssuedKey, ConsoleError> {
        let key = self.engine.new_app_key(slug, console_actor(caller, client.ip.as_deref())).await?;
        Ok(IssuedKey { slug: slug.to_string(), key: key.expose_secret().to_string() })
    }

    async fn revoke_app_key(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        key_id: i64,
    ) -> Result<(), ConsoleError> {
        Ok(self.engine.revoke_app_key(key_id, console_actor(caller, client.ip.as_deref())).await?)
    }

    async fn new_admin_token(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        name: &str,
    ) -> Result<String, ConsoleError> {
        let token = self.engine.new_admin_token(name, console_actor(caller, client.ip.as_deref())).await?;
        Ok(token.expose_secret().to_string())
    }

    async fn revoke_admin_token(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        token_id: i64,
    ) -> Result<(), ConsoleError> {
        Ok(self.engine.revoke_admin_token(token_id, console_actor(caller, client.ip.as_deref())).await?)
    }
}

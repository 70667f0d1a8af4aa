//! What handlers and the console read, through the engine (the one owner of storage): sessions, users, apps,
//! tokens and the audit log.

use app::model::SessionId;
use app::own_session::WARNING_WINDOW_MS;
use std::sync::Arc;

use super::{Engine, EngineError};
use crate::secrets::sha256;
use crate::storage::{
    AdminTokenRow, AppRow, AuditEvent, AuditPage, AuditQuery, AuditRecord, CredentialKind, HistoryListPage,
    HistoryQuery, KeyedApp, ListPage, ListQuery, OwnSessionRow, SessionRow, UserRow,
};

impl Engine {
    pub async fn session_by_id(&self, id: &SessionId) -> Result<Option<SessionRow>, EngineError> {
        Ok(self.storage.session_by_id(id).await?)
    }

    /// The session a token hash names, in any state (the console store's sign-out).
    pub async fn session_by_token_hash(&self, token_hash: &[u8]) -> Result<Option<SessionRow>, EngineError> {
        Ok(self.storage.session_by_token_hash(token_hash, None).await?)
    }

    /// One page of sessions, counted and sorted in the database.
    pub async fn list_sessions(&self, query: &ListQuery<'_>) -> Result<ListPage, EngineError> {
        Ok(self.storage.list_page(query).await?)
    }

    /// One page of ended sessions, newest end first unless asked otherwise.
    pub async fn list_history(&self, query: &HistoryQuery<'_>) -> Result<HistoryListPage, EngineError> {
        Ok(self.storage.list_history(query).await?)
    }

    pub async fn count_active_sessions(&self) -> Result<i64, EngineError> {
        Ok(self.storage.count_active_sessions().await?)
    }

    /// The user's unexpired active sessions in one app (None: every app), newest first.
    pub async fn active_sessions_of_user(
        &self,
        user_id: i64,
        app_id: Option<i64>,
    ) -> Result<Vec<SessionRow>, EngineError> {
        Ok(self.storage.active_sessions_of_user(user_id, app_id, self.now_ms()).await?)
    }

    /// "My sessions": the user's active sessions in every app with what their warning signs need.
    pub async fn own_sessions(&self, user_id: i64) -> Result<Vec<OwnSessionRow>, EngineError> {
        Ok(self.storage.own_sessions(user_id, self.now_ms(), WARNING_WINDOW_MS).await?)
    }

    /// "Example Telecom (AS64500)" for an address, when a network database is configured and knows it.
    pub fn network_of(&self, ip: Option<&str>) -> Option<String> {
        self.network.as_ref()?.network(ip?.parse().ok()?)
    }

    pub async fn app_slugs(&self) -> Result<Vec<String>, EngineError> {
        Ok(self.storage.app_slugs().await?)
    }

    pub async fn app_by_slug(&self, slug: &str) -> Result<Option<AppRow>, EngineError> {
        Ok(self.storage.app_by_slug(slug).await?)
    }

    /// The app a live API key belongs to (cached until an app or key changes); the request is counted
    /// against the key.
    pub async fn app_by_key(&self, key: &str) -> Result<Option<Arc<KeyedApp>>, EngineError> {
        let now_ms = self.now_ms();
        let found = self.cache.app(&self.storage, &sha256(key.as_bytes()), now_ms).await?;
        if let Some(keyed) = &found {
            self.credential_use.record(CredentialKind::AppKey, keyed.key_id, now_ms);
        }
        Ok(found)
    }

    /// The holder of a live admin token (read from the database each time: a revocation holds at once on
    /// every node); the request is counted against the token.
    pub async fn admin_token(&self, token: &str) -> Result<Option<AdminTokenRow>, EngineError> {
        let found = self.storage.admin_token_by_hash(&sha256(token.as_bytes())).await?;
        if let Some(holder) = &found {
            self.credential_use.record(CredentialKind::AdminToken, holder.id, self.now_ms());
        }
        Ok(found)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, EngineError> {
        Ok(self.storage.user_by_email(email).await?)
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<UserRow>, EngineError> {
        Ok(self.storage.user_by_id(id).await?)
    }

    pub async fn record_audit(&self, event: &AuditEvent) -> Result<(), EngineError> {
        self.storage.record_audit(event).await?;
        Ok(())
    }

    /// One page of the audit log, newest first.
    pub async fn list_audit(&self, query: &AuditQuery<'_>) -> Result<AuditPage, EngineError> {
        Ok(self.storage.list_audit(query).await?)
    }

    /// Records after `after`, in chain order.
    pub async fn audit_after(&self, after: i64, limit: i64) -> Result<Vec<AuditRecord>, EngineError> {
        Ok(self.storage.audit_after(after, limit).await?)
    }

    /// The emails of the users with these ids.
    pub async fn user_emails(&self, ids: &[i64]) -> Result<Vec<(i64, String)>, EngineError> {
        Ok(self.storage.user_emails(ids).await?)
    }

    pub async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditRecord>, EngineError> {
        Ok(self.storage.recent_audit(limit).await?)
    }

    /// Marks a console session active now, at most once per the policy's interval, moving its idle deadline.
    pub async fn touch_session(&self, token_hash: &[u8], last_active_at: i64) -> Result<(), EngineError> {
        let policy = self.policy().await?;
        let now_ms = self.now_ms();
        let interval_ms = policy.touch_interval_secs * 1000;
        if now_ms - last_active_at >= interval_ms {
            self.storage.touch_session(token_hash, now_ms, interval_ms).await?;
        }
        Ok(())
    }
}

//! Registered apps, their API keys and the admin tokens: registering, renaming and limiting apps, issuing and
//! revoking credentials, and how each credential is used. The console's Apps page and the operator's commands
//! (`roster apps create`, `roster admin-tokens create`) call the same operations.

use secrecy::ExposeSecret;
use std::collections::HashMap;

use app::apps::{
    app_id_problem, name_problem, payload_limit_problem, AppForm, AppsOverview, CredentialUse, RegisteredApp,
    CONSOLE_APP,
};

use super::credential_use::{hour_of, WINDOW_HOURS};
use super::end::Actor;
use super::{Engine, EngineError};
use crate::secrets::Secret;
use crate::storage::{AppRow, CredentialKind, CredentialRow, NewApp};

/// A new bearer credential: the secret (shown once), its SHA-256 (stored) and a short prefix (shown later to
/// tell credentials apart).
struct Credential {
    secret: Secret,
    hash: Vec<u8>,
    prefix: String,
}

fn new_credential(kind: &str) -> Credential {
    let secret = crate::secrets::new_token(kind);
    let hash = crate::secrets::sha256(secret.expose_secret().as_bytes());
    let prefix = secret.expose_secret().chars().take(10).collect();
    Credential { secret, hash, prefix }
}

fn checked<T>(value: T, problem: Option<String>) -> Result<T, EngineError> {
    match problem {
        Some(message) => Err(EngineError::InvalidInput(message)),
        None => Ok(value),
    }
}

impl Engine {
    /// Every app with its active sessions and live keys, and the admin tokens, each with its last use and
    /// requests in the last 24 hours (this node's unflushed counts included).
    pub async fn apps_overview(&self) -> Result<AppsOverview, EngineError> {
        let now_ms = self.now_ms();
        let from_hour = hour_of(now_ms) - (WINDOW_HOURS - 1);
        let (keys, tokens) = self.storage.live_credentials().await?;
        let mut counted: HashMap<(CredentialKind, i64), (i64, i64)> = HashMap::new();
        for (kind, id, requests) in self.storage.credential_requests_since(from_hour).await? {
            let kind = if kind == CredentialKind::AdminToken.as_str() {
                CredentialKind::AdminToken
            } else {
                CredentialKind::AppKey
            };
            counted.insert((kind, id), (requests, i64::MIN));
        }
        for (credential, (requests, last)) in self.credential_use.unflushed(from_hour) {
            let entry = counted.entry(credential).or_insert((0, i64::MIN));
            entry.0 += requests;
            entry.1 = entry.1.max(last);
        }
        let used = |kind: CredentialKind, row: CredentialRow| {
            let (requests_24h, unflushed_last) =
                counted.get(&(kind, row.id)).copied().unwrap_or((0, i64::MIN));
            CredentialUse {
                id: row.id,
                name: row.name,
                prefix: row.prefix,
                created_at_ms: row.created_at,
                last_used_at_ms: row.last_used_at.max(Some(unflushed_last).filter(|at| *at != i64::MIN)),
                requests_24h,
            }
        };
        let mut keys_by_app: HashMap<String, Vec<CredentialUse>> = HashMap::new();
        for key in keys {
            let slug = key.app_slug.clone().unwrap_or_default();
            keys_by_app.entry(slug).or_default().push(used(CredentialKind::AppKey, key));
        }
        let apps = self
            .storage
            .list_apps()
            .await?
            .into_iter()
            .map(|app| RegisteredApp {
                keys: keys_by_app.remove(&app.slug).unwrap_or_default(),
                slug: app.slug,
                name: app.name,
                max_payload_bytes: app.max_payload_bytes,
                active_sessions: app.active_sessions,
                created_at_ms: app.created_at,
            })
            .collect();
        let admin_tokens = tokens.into_iter().map(|token| used(CredentialKind::AdminToken, token)).collect();
        Ok(AppsOverview { apps, admin_tokens, now_ms })
    }

    /// Registers an app with its first API key; returns the key, which is not stored and cannot be shown again.
    pub async fn register_app(&self, form: &AppForm, actor: Actor) -> Result<Secret, EngineError> {
        let form = checked(form, form.problem())?;
        let slug = form.slug.trim();
        let key = new_credential("rk_");
        let now_ms = self.now_ms();
        let audit = actor.audit(
            "app.created",
            Some(format!("app:{slug}")),
            Some(format!("payload limit {} bytes", form.max_payload_bytes)),
            now_ms,
        );
        let app = NewApp {
            slug,
            name: form.name.trim(),
            max_payload_bytes: form.max_payload_bytes,
            key_hash: &key.hash,
            key_prefix: &key.prefix,
            now_ms,
        };
        self.storage.create_app(&app, &audit).await?;
        Ok(key.secret)
    }

    /// An app the console may change: registered, and not the console's own.
    async fn changeable_app(&self, slug: &str) -> Result<AppRow, EngineError> {
        if slug == CONSOLE_APP {
            return Err(EngineError::Refused(
                "The console's own app holds console sign-ins; it has no API keys and is not changed here."
                    .into(),
            ));
        }
        self.storage.app_by_slug(slug).await?.ok_or(EngineError::NotFound("app"))
    }

    /// Renames an app and sets its payload limit. Stored payloads stay as they are; the next write is held
    /// to the new limit.
    pub async fn update_app(&self, form: &AppForm, actor: Actor) -> Result<(), EngineError> {
        let form = checked(form, name_problem(&form.name, "A name"))?;
        let form = checked(form, payload_limit_problem(form.max_payload_bytes))?;
        let before = self.changeable_app(form.slug.trim()).await?;
        let name = form.name.trim();
        let mut changes = Vec::new();
        if before.name != name {
            changes.push(format!("name {:?} → {name:?}", before.name));
        }
        if before.max_payload_bytes != form.max_payload_bytes {
            changes.push(format!(
                "payload limit {} → {} bytes",
                before.max_payload_bytes, form.max_payload_bytes
            ));
        }
        if changes.is_empty() {
            return Ok(());
        }
        let audit = actor.audit(
            "app.changed",
            Some(format!("app:{}", before.slug)),
            Some(changes.join("; ")),
            self.now_ms(),
        );
        if !self.storage.update_app(&before.slug, name, form.max_payload_bytes, &audit).await? {
            return Err(EngineError::NotFound("app"));
        }
        Ok(())
    }

    /// **New key**: another API key for an app (to rotate: issue, deploy, then revoke the old one).
    pub async fn new_app_key(&self, slug: &str, actor: Actor) -> Result<Secret, EngineError> {
        let slug = checked(slug, app_id_problem(slug))?;
        let app = self.changeable_app(slug).await?;
        let key = new_credential("rk_");
        let now_ms = self.now_ms();
        let audit = actor.audit(
            "app_key.created",
            Some(format!("app_key:{}:{}", app.slug, key.prefix)),
            None,
            now_ms,
        );
        self.storage.add_app_key(app.id, &key.hash, &key.prefix, now_ms, &audit).await?;
        Ok(key.secret)
    }

    /// **Revoke key**: refused from its next request (the cached app is forgotten at the commit).
    pub async fn revoke_app_key(&self, key_id: i64, actor: Actor) -> Result<(), EngineError> {
        let key = self.storage.live_credential(CredentialKind::AppKey, key_id).await?;
        let key = key.ok_or(EngineError::NotFound("API key"))?;
        let target = format!("app_key:{}:{}", key.app_slug.unwrap_or_default(), key.prefix);
        self.revoke(
            CredentialKind::AppKey,
            key_id,
            actor.audit("app_key.revoked", Some(target), None, self.now_ms()),
        )
        .await
    }

    /// Creates an admin API token; returns it, which is not stored and cannot be shown again.
    pub async fn new_admin_token(&self, name: &str, actor: Actor) -> Result<Secret, EngineError> {
        let name = checked(name.trim(), name_problem(name, "A token name"))?;
        let token = new_credential("ra_");
        let now_ms = self.now_ms();
        let audit = actor.audit("admin_token.created", Some(format!("admin_token:{name}")), None, now_ms);
        self.storage.create_admin_token(name, &token.hash, &token.prefix, now_ms, &audit).await?;
        Ok(token.secret)
    }

    /// **Revoke token**: admin tokens are read from the database on every request, so it holds at once.
    pub async fn revoke_admin_token(&self, token_id: i64, actor: Actor) -> Result<(), EngineError> {
        let token = self.storage.live_credential(CredentialKind::AdminToken, token_id).await?;
        let token = token.ok_or(EngineError::NotFound("admin token"))?;
        let target = format!("admin_token:{}", token.name.unwrap_or_default());
        let audit = actor.audit("admin_token.revoked", Some(target), None, self.now_ms());
        self.revoke(CredentialKind::AdminToken, token_id, audit).await
    }

    async fn revoke(
        &self,
        kind: CredentialKind,
        id: i64,
        audit: crate::storage::AuditEvent,
    ) -> Result<(), EngineError> {
        let what = if kind == CredentialKind::AppKey { "API key" } else { "admin token" };
        if !self.storage.revoke_credential(kind, id, self.now_ms(), &audit).await? {
            return Err(EngineError::NotFound(what));
        }
        Ok(())
    }
}

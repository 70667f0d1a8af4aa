//! The workspace's session policy: read for the Settings page, saved (checked, audited with before and after),
//! and then applied to the sessions already active, in batches after the save returns.

use std::time::Duration;

use app::settings::WorkspaceSettings;
use serde_json::json;

use super::end::Actor;
use super::{Audience, Engine, EngineError, Event};
use crate::policy::SessionPolicy;
use crate::storage::PolicyLimits;

/// Sessions changed per transaction when a new policy reaches active sessions: short enough that validations
/// waiting for the write lock wait for one batch at most.
const APPLY_BATCH: i64 = 2_000;
const PAUSE_BETWEEN_BATCHES: Duration = Duration::from_millis(20);

fn limits(policy: &SessionPolicy) -> PolicyLimits {
    PolicyLimits {
        idle_timeout_secs: policy.idle_timeout(),
        lifetime_secs: policy.lifetime_secs(false),
        remembered_lifetime_secs: policy.lifetime_secs(true),
    }
}

impl Engine {
    pub async fn workspace_settings(&self) -> Result<WorkspaceSettings, EngineError> {
        Ok(self.policy().await?.settings())
    }

    /// Checks every value (nothing is saved when one is out of range), saves them with one `settings.changed`
    /// audit record, and starts applying them to active sessions. Returns the applier, for those who wait.
    pub async fn save_settings(
        &self,
        settings: &WorkspaceSettings,
        actor: Actor,
    ) -> Result<tokio::task::JoinHandle<()>, EngineError> {
        let problems = settings.problems();
        if !problems.is_empty() {
            return Err(EngineError::invalid(problems.join(" ")));
        }
        let before = self.policy().await?;
        let change = json!({ "before": before.settings(), "after": settings }).to_string();
        let audit = actor.audit("settings.changed", Some("settings".into()), Some(change), self.now_ms());
        self.storage.put_settings(&SessionPolicy::stored(settings), &audit).await?;
        let after = self.policy().await?;
        let engine = self.clone();
        Ok(tokio::spawn(async move {
            if let Err(error) = engine.apply_policy(limits(&before), limits(&after)).await {
                tracing::error!("applying the new session policy to active sessions stopped: {error}");
            }
        }))
    }

    /// Brings every active session's idle timeout and (where it followed the old policy) expiry in line with the
    /// new policy, a batch at a time; the sweep then ends any whose new deadline has passed.
    async fn apply_policy(&self, old: PolicyLimits, new: PolicyLimits) -> Result<(), EngineError> {
        if old == new {
            return Ok(());
        }
        let mut after = String::new();
        while let Some(last) = self.storage.apply_policy_batch(&after, APPLY_BATCH, old, new).await? {
            after = last;
            tokio::time::sleep(PAUSE_BETWEEN_BATCHES).await;
        }
        self.events.publish(Event::sessions(Audience::Everyone));
        Ok(())
    }
}

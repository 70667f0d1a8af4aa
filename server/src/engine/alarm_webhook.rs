//! The alarm webhook from the engine's side: the owner's setting (a URL and a signing secret sealed with the
//! payload key, audited), the event each new alarm posts in the background with retries, and a test event.

use app::alarm_webhook::{url_problem, AlarmWebhookView, WebhookDelivery};
use serde_json::json;

use super::end::Actor;
use super::{Engine, EngineError};
use crate::alarm_webhook::{new_secret, Attempt};
use crate::clock::rfc3339;
use crate::storage::{AlarmWebhookRow, NewAlarm, NewAlarmWebhook, RaisedAlarm};

/// What the secret is sealed to: a ciphertext copied onto a session's payload does not open there.
const SECRET_OWNER: &str = "alarm-webhook";

/// The webhook as a delivery reads it: the URL, the opened secret, and which setting they belong to.
struct Target {
    url: String,
    secret: String,
    changed_at: i64,
}

impl Engine {
    pub async fn alarm_webhook(&self) -> Result<AlarmWebhookView, EngineError> {
        Ok(match self.storage.alarm_webhook().await? {
            None => AlarmWebhookView::default(),
            Some(row) => AlarmWebhookView {
                last_delivery: row.last_attempt_at.map(|at_ms| WebhookDelivery {
                    at_ms,
                    delivered: row.last_delivered == Some(1),
                    detail: row.last_detail.clone().unwrap_or_default(),
                }),
                url: Some(row.url),
            },
        })
    }

    /// Saves `url` with a new signing secret, which it answers (the only time it is ever shown), or removes the
    /// webhook when `url` is empty. The audit record names the receiver's origin, not its whole URL, which may
    /// carry a token of the receiver's own.
    pub async fn save_alarm_webhook(&self, url: &str, actor: Actor) -> Result<Option<String>, EngineError> {
        let url = url.trim();
        if let Some(problem) = url_problem(url) {
            return Err(EngineError::invalid(problem));
        }
        let now_ms = self.now_ms();
        if url.is_empty() {
            let audit = actor.audit("alarm_webhook.removed", Some("settings".into()), None, now_ms);
            self.storage.put_alarm_webhook(None, &audit).await?;
            return Ok(None);
        }
        let parsed = reqwest::Url::parse(url).map_err(|error| {
            EngineError::invalid(format!("The webhook URL is not a valid address: {error}."))
        })?;
        let secret = new_secret();
        self.keys.follow_rotation(&self.storage).await?;
        let sealed = self.keys.seal(SECRET_OWNER, secret.as_bytes());
        let webhook =
            NewAlarmWebhook { url, secret_sealed: &sealed.bytes, secret_key_id: sealed.key_id, now_ms };
        let reason = format!("new alarms are posted to {}", parsed.origin().ascii_serialization());
        let audit = actor.audit("alarm_webhook.changed", Some("settings".into()), Some(reason), now_ms);
        self.storage.put_alarm_webhook(Some(&webhook), &audit).await?;
        Ok(Some(secret))
    }

    /// Posts one signed `webhook.test` event now, without retries, and records how it went.
    pub async fn test_alarm_webhook(&self) -> Result<WebhookDelivery, EngineError> {
        let row = self.storage.alarm_webhook().await?;
        let Some(row) = row else {
            return Err(EngineError::invalid("Save a webhook URL first."));
        };
        let target = self.target(row).await?;
        let at_ms = self.now_ms();
        let body =
            json!({ "id": format!("test-{at_ms}"), "type": "webhook.test", "createdAt": rfc3339(at_ms) });
        let attempt = self.attempt(&target, &body.to_string()).await;
        self.storage
            .record_webhook_attempt(target.changed_at, at_ms, attempt.delivered, &attempt.detail)
            .await?;
        Ok(WebhookDelivery { at_ms, delivered: attempt.delivered, detail: attempt.detail })
    }

    /// Posts a newly raised alarm's event in the background (a repeat of an open alarm posts nothing).
    pub(super) fn announce_alarm(&self, raised: RaisedAlarm, alarm: &NewAlarm<'_>) {
        if raised.times != 1 {
            return;
        }
        let Some(permit) = self.webhooks.start_delivery() else {
            tracing::warn!(
                "alarm {} was not posted to the webhook: too many deliveries are under way",
                raised.id
            );
            return;
        };
        let body = alarm_event(raised.id, alarm).to_string();
        let engine = self.clone();
        tokio::spawn(async move {
            engine.deliver(raised.id, &body).await;
            drop(permit);
        });
    }

    /// Attempts until the receiver answers 2xx or the retry schedule runs out. The webhook is read before each
    /// attempt: a removed webhook stops the retries; a changed one gets them, signed with its own secret.
    async fn deliver(&self, alarm_id: i64, body: &str) {
        let attempts = self.webhooks.retry_delays().len() + 1;
        let mut waits = self.webhooks.retry_delays().to_vec().into_iter();
        for number in 1..=attempts {
            let target = match self.storage.alarm_webhook().await {
                Ok(Some(row)) => self.target(row).await,
                Ok(None) => return,
                Err(error) => Err(error.into()),
            };
            let target = match target {
                Ok(target) => target,
                Err(error) => {
                    tracing::error!("alarm {alarm_id} was not posted to the webhook: {error}");
                    return;
                }
            };
            let attempt = self.attempt(&target, body).await;
            let detail = if attempt.delivered || attempts == 1 {
                attempt.detail.clone()
            } else {
                format!("{} (attempt {number} of {attempts})", attempt.detail)
            };
            let recorded = self.storage.record_webhook_attempt(
                target.changed_at,
                self.now_ms(),
                attempt.delivered,
                &detail,
            );
            if let Err(error) = recorded.await {
                tracing::warn!("the webhook's last delivery could not be recorded: {error}");
            }
            if attempt.delivered {
                return;
            }
            tracing::warn!("posting alarm {alarm_id} to the webhook failed: {detail}");
            match waits.next() {
                Some(wait) => tokio::time::sleep(wait).await,
                None => tracing::error!(
                    "alarm {alarm_id} was not delivered to the webhook after {attempts} attempts"
                ),
            }
        }
    }

    async fn attempt(&self, target: &Target, body: &str) -> Attempt {
        let at_secs = self.now_ms().div_euclid(1000);
        self.webhooks.post(&target.url, &target.secret, body.as_bytes(), at_secs).await
    }

    async fn target(&self, row: AlarmWebhookRow) -> Result<Target, EngineError> {
        let secret = self.open_sealed(SECRET_OWNER, row.secret_key_id, &row.secret_sealed).await?;
        let secret =
            String::from_utf8(secret).map_err(|_| crate::payload_keys::CryptoError::Undecryptable)?;
        Ok(Target { url: row.url, secret, changed_at: row.changed_at })
    }
}

/// The JSON a new alarm posts: camelCase like the API, the alarm as the Alarms page shows it.
fn alarm_event(id: i64, alarm: &NewAlarm<'_>) -> serde_json::Value {
    let kind = alarm.kind;
    json!({
        "id": format!("alarm-{id}"),
        "type": "alarm.raised",
        "createdAt": rfc3339(alarm.now_ms),
        "alarm": {
            "id": id,
            "kind": kind.as_str(),
            "title": kind.label(),
            "user": alarm.subject,
            "detail": alarm.detail,
            "firstSeenAt": rfc3339(alarm.now_ms),
        },
    })
}

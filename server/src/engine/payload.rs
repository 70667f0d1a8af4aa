//! Payloads: JSON objects, sealed per write, opened only for their own session.

use app::model::SessionId;
use serde_json::{Map, Value};

use super::{Audience, Engine, EngineError, Event};
use crate::storage::{AuditEvent, SessionRow, StoredPayload};

/// A sealed payload and what the console may show about it.
pub struct SealedPayload {
    bytes: Vec<u8>,
    key_id: i64,
    plaintext_bytes: i64,
    attribute_count: i64,
}

impl SealedPayload {
    pub fn stored(&self) -> StoredPayload<'_> {
        StoredPayload {
            ciphertext: &self.bytes,
            key_id: self.key_id,
            plaintext_bytes: self.plaintext_bytes,
            attribute_count: self.attribute_count,
        }
    }
}

impl Engine {
    /// Seals with the newest payload key, wherever it was made.
    pub async fn seal_payload(
        &self,
        session_id: &SessionId,
        payload: &Map<String, Value>,
        limit: i64,
    ) -> Result<SealedPayload, EngineError> {
        let plaintext =
            serde_json::to_vec(payload).map_err(|error| EngineError::invalid(error.to_string()))?;
        if plaintext.len() as i64 > limit {
            return Err(EngineError::PayloadTooLarge { size: plaintext.len(), limit });
        }
        self.keys.follow_rotation(&self.storage).await?;
        let sealed = self.keys.seal(session_id.as_str(), &plaintext);
        Ok(SealedPayload {
            bytes: sealed.bytes,
            key_id: sealed.key_id,
            plaintext_bytes: plaintext.len() as i64,
            attribute_count: payload.len() as i64,
        })
    }

    /// The decrypted payload of an active session; an empty object when it has none.
    pub async fn open_payload(&self, session: &SessionRow) -> Result<Map<String, Value>, EngineError> {
        let Some((ciphertext, key_id)) = self.storage.payload_ciphertext(&session.id).await? else {
            return Ok(Map::new());
        };
        let plaintext = self.open_sealed(session.id.as_str(), key_id, &ciphertext).await?;
        match serde_json::from_slice(&plaintext) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(EngineError::Crypto(crate::payload_keys::CryptoError::Undecryptable)),
        }
    }

    /// Opens what was sealed for `owner`, reading the keys again once when the key is newer than this node's
    /// ring (another node rotated).
    pub(super) async fn open_sealed(
        &self,
        owner: &str,
        key_id: i64,
        sealed: &[u8],
    ) -> Result<Vec<u8>, EngineError> {
        match self.keys.open(owner, key_id, sealed) {
            Err(crate::payload_keys::CryptoError::UnknownKey(_)) => {
                self.keys.reload(&self.storage).await?;
                Ok(self.keys.open(owner, key_id, sealed)?)
            }
            opened => Ok(opened?),
        }
    }

    /// Adds a payload key every node seals its next payload with; old keys keep decrypting. Audited.
    pub async fn rotate_payload_key(&self, actor: super::Actor) -> Result<i64, EngineError> {
        Ok(self.keys.rotate(&self.storage, &actor.audit_name(), self.now_ms()).await?)
    }

    pub async fn replace_payload(
        &self,
        session: &SessionRow,
        payload: &Map<String, Value>,
        limit: i64,
        actor: String,
    ) -> Result<(i64, i64), EngineError> {
        let sealed = self.seal_payload(&session.id, payload, limit).await?;
        let audit = AuditEvent {
            at_ms: self.now_ms(),
            actor,
            action: "session.payload_replaced",
            target: Some(format!("session:{}", session.id)),
            reason: None,
            ip: None,
        };
        let stored = (!payload.is_empty()).then(|| sealed.stored());
        if !self.storage.replace_payload(&session.id, stored, self.now_ms(), &audit).await? {
            return Err(EngineError::SessionEnded(super::SessionEnding::new("ended", None)));
        }
        self.events.publish(Event::sessions(Audience::owners([session.user_id])));
        if payload.is_empty() {
            return Ok((0, 0));
        }
        Ok((sealed.plaintext_bytes, sealed.attribute_count))
    }

    /// Sets an active session's absolute expiry (`None`: none) and moves its deadline, audited. False when
    /// the session is not active.
    pub async fn set_session_expiry(
        &self,
        session_id: &SessionId,
        expires_at_ms: Option<i64>,
        audit: &AuditEvent,
    ) -> Result<bool, EngineError> {
        let changed =
            self.storage.set_session_expiry(session_id, expires_at_ms, self.now_ms(), audit).await?;
        if let Some(changed) = changed {
            self.events.publish(Event::sessions(Audience::owners([changed.user_id])));
        }
        Ok(changed.is_some())
    }
}

//! The tower-sessions store for the console's own sign-ins, kept in Roster's sessions table as app `console`.
//! The cookie carries the tower-sessions id, which is the session's secret token: the table keeps only its
//! SHA-256 and a separate public id, so the ids the console shows can never be replayed as a cookie.

use async_trait::async_trait;
use time::OffsetDateTime;
use tokio::sync::OnceCell;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error as StoreError, Result as StoreResult};
use tower_sessions::SessionStore;

use app::backend::session_keys;
use app::model::SessionStatus;

use crate::engine::{Actor, CreateSession, Engine, EngineError, Lifetime, SessionOwner};
use crate::storage::{SessionRow, CONSOLE_APP};

#[derive(Debug, Clone)]
pub struct ConsoleSessionStore {
    engine: Engine,
    console_app_id: std::sync::Arc<OnceCell<i64>>,
}

/// The reason kept when a browser signs itself out (the header's Sign out): nothing to explain to it later.
pub const OWN_SIGN_OUT: &str = "signed out";

pub fn token_hash(id: &Id) -> Vec<u8> {
    crate::secrets::sha256(&id.0.to_le_bytes())
}

fn backend_error(error: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(error.to_string())
}

fn text(record: &Record, key: &str) -> Option<String> {
    record.data.get(key).and_then(|value| value.as_str()).map(str::to_owned)
}

impl ConsoleSessionStore {
    pub fn new(engine: Engine) -> Self {
        ConsoleSessionStore { engine, console_app_id: Default::default() }
    }

    async fn console_app_id(&self) -> StoreResult<i64> {
        self.console_app_id
            .get_or_try_init(|| async {
                match self.engine.app_by_slug(CONSOLE_APP).await {
                    Ok(Some(app)) => Ok(app.id),
                    Ok(None) => Err(backend_error("the console app is missing from the database")),
                    Err(error) => Err(backend_error(error)),
                }
            })
            .await
            .copied()
    }

    fn record_from_row(id: Id, row: &SessionRow) -> Record {
        let mut record = Record {
            id,
            data: Default::default(),
            expiry_date: row
                .expires_at
                .and_then(|ms| OffsetDateTime::from_unix_timestamp(ms / 1000).ok())
                .unwrap_or(OffsetDateTime::now_utc() + time::Duration::days(30)),
        };
        let mut put = |key: &str, value: serde_json::Value| {
            record.data.insert(key.to_string(), value);
        };
        put(session_keys::USER_ID, row.user_id.into());
        put(session_keys::REMEMBER_ME, (row.remember_me != 0).into());
        put(session_keys::IP, row.ip.clone().into());
        put(session_keys::USER_AGENT, row.user_agent.clone().into());
        record
    }
}

#[async_trait]
impl SessionStore for ConsoleSessionStore {
    async fn create(&self, record: &mut Record) -> StoreResult<()> {
        let user_id = record
            .data
            .get(session_keys::USER_ID)
            .and_then(|value| value.as_i64())
            .ok_or_else(|| backend_error("a console session needs a signed-in user"))?;
        let remember_me =
            record.data.get(session_keys::REMEMBER_ME).and_then(|value| value.as_bool()).unwrap_or(false);
        let request = CreateSession {
            app_id: self.console_app_id().await?,
            max_payload_bytes: 0,
            owner: SessionOwner::User(user_id),
            ip: text(record, session_keys::IP).and_then(|ip| ip.parse().ok()),
            user_agent: text(record, session_keys::USER_AGENT),
            lifetime: Lifetime::Policy,
            remember_me,
            payload: None,
            actor: format!("user:{user_id}"),
            token_hash: Some(token_hash(&record.id)),
            enforce_session_limit: false,
        };
        self.engine.create_session(request).await.map(|_| ()).map_err(backend_error)
    }

    /// Nothing to write: the data is fixed at sign-in, and last-active is kept by `load`.
    async fn save(&self, _record: &Record) -> StoreResult<()> {
        Ok(())
    }

    async fn load(&self, id: &Id) -> StoreResult<Option<Record>> {
        let hash = token_hash(id);
        let row = match self.engine.live_session(&hash, Some(self.console_app_id().await?)).await {
            Ok(row) => row,
            Err(EngineError::SessionNotFound | EngineError::SessionEnded(_)) => return Ok(None),
            Err(error) => return Err(backend_error(error)),
        };
        self.engine.touch_session(&hash, row.last_active_at).await.map_err(backend_error)?;
        Ok(Some(Self::record_from_row(*id, &row)))
    }

    /// Called on sign-out and when the id is cycled: the holder ended the session.
    async fn delete(&self, id: &Id) -> StoreResult<()> {
        let found = self.engine.session_by_token_hash(&token_hash(id)).await.map_err(backend_error)?;
        if let Some(row) = found {
            self.engine
                .end_session(
                    &row.id,
                    Actor::Holder { user_id: row.user_id },
                    SessionStatus::Revoked,
                    OWN_SIGN_OUT,
                )
                .await
                .map_err(backend_error)?;
        }
        Ok(())
    }
}

//! What the server functions need from the backend, declared here and implemented by the `server` crate with its
//! storage, crypto and audit modules. Only compiled with `ssr`: nothing in this file reaches the browser.

use std::sync::Arc;

use async_trait::async_trait;
use tower_sessions::Session;

use crate::error::ConsoleError;
use crate::model::{CurrentUser, OwnSessionView, Role, SessionPage};
use crate::session_detail::{ExportFormat, RevealedPayload, SessionDetail, TtlChange};
use crate::session_query::SessionQuery;

/// Keys of the console session's data, shared by the server functions that write them and the session store
/// that persists them into Roster's own sessions table.
pub mod session_keys {
    pub const USER_ID: &str = "user_id";
    pub const REMEMBER_ME: &str = "remember_me";
    pub const IP: &str = "ip";
    pub const USER_AGENT: &str = "user_agent";
}

/// Who is calling, as far as the network tells.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[async_trait]
pub trait ConsoleBackend: Send + Sync + 'static {
    /// Checks a console password under the lock-out policy and audits the outcome.
    async fn sign_in(
        &self,
        email: &str,
        password: &str,
        client: &ClientInfo,
    ) -> Result<CurrentUser, ConsoleError>;

    /// The user behind a console session; `None` once the user is deleted or disabled.
    async fn user(&self, user_id: i64) -> Result<Option<CurrentUser>, ConsoleError>;

    /// Records a refused call (DESIGN.md: refusals are audited).
    async fn record_refusal(
        &self,
        user: Option<&CurrentUser>,
        action: &str,
        client: &ClientInfo,
    ) -> Result<(), ConsoleError>;

    /// The user's own sessions; `current` is the console session making this request.
    async fn own_sessions(
        &self,
        user: &CurrentUser,
        current: Option<tower_sessions::session::Id>,
    ) -> Result<Vec<OwnSessionView>, ConsoleError>;

    /// One page of every user's sessions; `current` is the console session making this request.
    async fn list_sessions(
        &self,
        user: &CurrentUser,
        query: &SessionQuery,
        current: Option<tower_sessions::session::Id>,
    ) -> Result<SessionPage, ConsoleError>;

    /// Revokes one session, audited. Ending one that had already ended is not an error.
    async fn revoke_session(
        &self,
        user: &CurrentUser,
        session_id: &str,
        client: &ClientInfo,
    ) -> Result<(), ConsoleError>;

    /// Revokes every active session except `current`, audited; returns how many ended.
    async fn kill_all_sessions(
        &self,
        user: &CurrentUser,
        current: Option<tower_sessions::session::Id>,
        client: &ClientInfo,
    ) -> Result<u64, ConsoleError>;

    /// One session in full, without its payload.
    async fn session_detail(
        &self,
        user: &CurrentUser,
        session_id: &str,
    ) -> Result<SessionDetail, ConsoleError>;

    /// Decrypts a session's payload, after writing the audit event that says who read it.
    async fn reveal_payload(
        &self,
        user: &CurrentUser,
        session_id: &str,
        client: &ClientInfo,
    ) -> Result<RevealedPayload, ConsoleError>;

    /// Sets an active session's expiry within the policy, audited; returns the new expiry.
    async fn update_ttl(
        &self,
        user: &CurrentUser,
        session_id: &str,
        change: &TtlChange,
        client: &ClientInfo,
    ) -> Result<Option<i64>, ConsoleError>;

    /// The export file of the page `query` shows, audited with the sessions whose payloads it decrypted.
    async fn export_page(
        &self,
        user: &CurrentUser,
        query: &SessionQuery,
        format: ExportFormat,
        client: &ClientInfo,
    ) -> Result<String, ConsoleError>;
}

pub type Backend = Arc<dyn ConsoleBackend>;

/// Everything a server function handles: the backend, the console session and the caller.
pub struct Call {
    pub backend: Backend,
    /// Absent only where the session layer does not run (the not-found fallback): such a call is anonymous.
    pub session: Option<Session>,
    pub client: ClientInfo,
}

impl Call {
    pub async fn current() -> Result<Call, ConsoleError> {
        let backend = leptos::prelude::use_context::<Backend>()
            .ok_or_else(|| wiring_error("the console backend was not provided to this request"))?;
        let session = leptos_axum::extract::<Session>().await.ok();
        let headers: axum::http::HeaderMap = leptos_axum::extract().await.unwrap_or_default();
        let peer = leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .await
            .ok()
            .map(|info| info.0.ip().to_string());
        let user_agent = headers
            .get(axum::http::header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .map(|text| text.chars().take(512).collect());
        Ok(Call { backend, session, client: ClientInfo { ip: peer, user_agent } })
    }

    /// The signed-in user, if any. A session whose user is gone or disabled is ended here.
    pub async fn user(&self) -> Result<Option<CurrentUser>, ConsoleError> {
        let Some(session) = &self.session else {
            return Ok(None);
        };
        let user_id: Option<i64> = session
            .get(session_keys::USER_ID)
            .await
            .map_err(|_| wiring_error("the console session could not be read"))?;
        let Some(user_id) = user_id else {
            return Ok(None);
        };
        match self.backend.user(user_id).await? {
            Some(user) => Ok(Some(user)),
            None => {
                let _ = session.flush().await;
                Ok(None)
            }
        }
    }

    /// The signed-in user when their role is allowed; otherwise a refusal, audited.
    pub async fn require(
        &self,
        action: &str,
        allowed: impl Fn(Role) -> bool,
    ) -> Result<CurrentUser, ConsoleError> {
        match self.user().await? {
            Some(user) if allowed(user.role) => Ok(user),
            Some(user) => {
                self.backend.record_refusal(Some(&user), action, &self.client).await?;
                Err(ConsoleError::Forbidden)
            }
            None => {
                self.backend.record_refusal(None, action, &self.client).await?;
                Err(ConsoleError::NotSignedIn)
            }
        }
    }

    /// The console session, for the calls that change it.
    pub fn session(&self) -> Result<&Session, ConsoleError> {
        self.session.as_ref().ok_or_else(|| wiring_error("the session layer is missing on this route"))
    }
}

/// A wiring bug, not the caller's fault: logged with a reference the UI shows.
fn wiring_error(cause: &str) -> ConsoleError {
    tracing::error!(reference = "wiring", "console wiring error: {cause}");
    ConsoleError::Internal { reference: "wiring".into() }
}

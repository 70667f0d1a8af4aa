//! What the server functions need from the backend, declared here and implemented by the `server` crate with its
//! storage, crypto and audit modules. Only compiled with `ssr`: nothing in this file reaches the browser.

use std::sync::Arc;

use tower_sessions::Session;

use crate::error::ConsoleError;
use crate::model::{CurrentUser, Role};

mod alarms;
mod analytics;
mod apps;
mod audit_log;
mod export;
mod history;
mod my_sessions;
mod session_detail;
mod sessions;
mod settings;
mod sign_in;
mod users;

pub use alarms::AlarmsBackend;
pub use analytics::AnalyticsBackend;
pub use apps::AppsBackend;
pub use audit_log::AuditLogBackend;
pub use export::ExportBackend;
pub use history::HistoryBackend;
pub use my_sessions::MySessionsBackend;
pub use session_detail::SessionDetailBackend;
pub use sessions::SessionsBackend;
pub use settings::SettingsBackend;
pub use sign_in::SignInBackend;
pub use users::{Disabling, NewUserForm, UsersBackend};

/// Keys of the console session's data, shared by the server functions that write them and the session store
/// that persists them into Roster's own sessions table.
pub mod session_keys {
    pub const USER_ID: &str = "user_id";
    pub const REMEMBER_ME: &str = "remember_me";
    pub const IP: &str = "ip";
    pub const USER_AGENT: &str = "user_agent";
    /// The cookie's name: with the `__Host-` prefix when cookies are Secure.
    pub const COOKIE: &str = "roster_session";
    pub const SECURE_COOKIE: &str = "__Host-roster_session";
}

/// Who is calling, as far as the network tells.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl ClientInfo {
    /// The peer's address and the user agent (at most 512 characters) of a request.
    pub fn of(headers: &axum::http::HeaderMap, peer: Option<std::net::SocketAddr>) -> ClientInfo {
        let user_agent = headers
            .get(axum::http::header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .map(|text| text.chars().take(512).collect());
        ClientInfo { ip: peer.map(|address| address.ip().to_string()), user_agent }
    }
}

/// What the server provides to every request: each capability trait as `Arc<dyn Trait>` in the Leptos
/// context. A page's server functions ask for the capability they need with [`capability`]; a new resource is a
/// new trait here and an implementation in the server, not a line in a shared list of forwards.
pub fn capability<T: ?Sized + Send + Sync + 'static>() -> Result<Arc<T>, ConsoleError> {
    leptos::prelude::use_context::<Arc<T>>().ok_or_else(|| {
        wiring_error(&format!(
            "the console backend {} was not provided to this request",
            std::any::type_name::<T>()
        ))
    })
}

/// Everything a server function handles: the backend, the console session and the caller.
pub struct Call {
    pub sign_in: Arc<dyn SignInBackend>,
    /// Absent only where the session layer does not run (the not-found fallback): such a call is anonymous.
    pub session: Option<Session>,
    pub client: ClientInfo,
}

impl Call {
    pub async fn current() -> Result<Call, ConsoleError> {
        let sign_in = capability::<dyn SignInBackend>()?;
        let session = leptos_axum::extract::<Session>().await.ok();
        let headers: axum::http::HeaderMap = leptos_axum::extract().await.unwrap_or_default();
        let peer = leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .await
            .ok()
            .map(|info| info.0);
        Ok(Call { sign_in, session, client: ClientInfo::of(&headers, peer) })
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
        match self.sign_in.user(user_id).await? {
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
                self.sign_in.record_refusal(Some(&user), action, &self.client).await?;
                Err(ConsoleError::Forbidden)
            }
            None => {
                self.sign_in.record_refusal(None, action, &self.client).await?;
                Err(ConsoleError::NotSignedIn)
            }
        }
    }

    /// The id of the console session making this call, if it has one.
    pub fn session_id(&self) -> Option<tower_sessions::session::Id> {
        self.session.as_ref().and_then(|session| session.id())
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

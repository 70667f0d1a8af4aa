//! The console's server side: one file per resource, each implementing the capability trait that `app`
//! declares for it (`app::backend`), with engine operations. `provider` hands every capability to each request.

mod alarms;
mod analytics;
mod apps;
mod audit_log;
mod errors;
mod export;
mod history;
mod labels;
mod my_sessions;
mod session_detail;
mod sessions;
mod settings;
mod sign_in;
mod store;
mod users;

use std::sync::Arc;

use app::backend::{
    AlarmsBackend, AnalyticsBackend, AppsBackend, AuditLogBackend, ExportBackend, HistoryBackend,
    MySessionsBackend, SessionDetailBackend, SessionsBackend, SettingsBackend, SignInBackend, UsersBackend,
};
use leptos::prelude::provide_context;

use crate::engine::{Actor, Engine};
use app::model::CurrentUser;

pub use errors::internal;
pub use sessions::page as sessions_page;
pub use store::{token_hash, ConsoleSessionStore};

/// What every console capability works with; cheap to clone.
#[derive(Clone)]
pub struct Console {
    engine: Engine,
    chain_check: audit_log::ChainCheckState,
}

impl Console {
    pub fn new(engine: Engine) -> Console {
        Console { engine, chain_check: Arc::new(std::sync::Mutex::new(app::audit_log::ChainCheck::NotRun)) }
    }

    /// Provides each capability to the request being rendered or served; called per request by the router.
    pub fn provider(self) -> impl Fn() + Clone + Send + Sync + 'static {
        let console = Arc::new(self);
        move || {
            provide_context::<Arc<dyn SignInBackend>>(console.clone());
            provide_context::<Arc<dyn SessionsBackend>>(console.clone());
            provide_context::<Arc<dyn SessionDetailBackend>>(console.clone());
            provide_context::<Arc<dyn ExportBackend>>(console.clone());
            provide_context::<Arc<dyn HistoryBackend>>(console.clone());
            provide_context::<Arc<dyn AuditLogBackend>>(console.clone());
            provide_context::<Arc<dyn AlarmsBackend>>(console.clone());
            provide_context::<Arc<dyn AppsBackend>>(console.clone());
            provide_context::<Arc<dyn AnalyticsBackend>>(console.clone());
            provide_context::<Arc<dyn MySessionsBackend>>(console.clone());
            provide_context::<Arc<dyn UsersBackend>>(console.clone());
            provide_context::<Arc<dyn SettingsBackend>>(console.clone());
        }
    }
}

/// A console user acting from the address they called from.
fn console_actor(user: &CurrentUser, ip: Option<&str>) -> Actor {
    Actor::User { id: user.id, ip: ip.map(str::to_string) }
}

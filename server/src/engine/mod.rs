//! The session engine: what creating, validating, changing and ending sessions means, whoever asks (the
//! REST API, the console, the operator). Handlers translate requests into these calls and errors into replies.

mod activity;
mod alarm_webhook;
mod alarms;
mod analytics;
mod apps;
mod audit;
mod cache;
mod create;
mod credential_use;
mod end;
mod event_relay;
pub use event_relay::ShellEvents;
mod events;
mod health;
mod payload;
mod rate_limits;
mod reads;
mod refusals;
mod settings;
mod sign_in;
mod sweep;
mod throttle;
mod users;

pub use audit::AuditVerdict;
mod validate;

use std::sync::Arc;

pub use activity::ActivityRecorder;
pub use cache::ValidationCache;
pub use create::{CreateSession, Created, Lifetime, SessionOwner};
pub use credential_use::CredentialUseRecorder;
pub use end::Actor;
pub use events::{Audience, Event, EventBus};
pub use rate_limits::{Rate, RateExceeded, RateLimits, RateSettings};
pub use rate_limits::{ADMIN_CALLS_PER_SECOND, APP_CALLS_PER_SECOND};
pub use refusals::AnonymousRefusals;
pub use sign_in::SignInRefusal;
pub use sweep::spawn_expiry_sweep;
pub use throttle::{SignInThrottle, FAILED_SIGN_INS_PER_ADDRESS_PER_MINUTE};
pub use users::{default_name, usable_email, NewMember};

use crate::alarm_webhook::WebhookSender;
use crate::audit_checkpoints::{AuditCheckpoints, CheckpointError};
use crate::clock::SharedClock;
use crate::geo::{GeoDatabase, NetworkDatabase};
use crate::passwords::PasswordChecks;
use crate::payload_keys::{CryptoError, KeyError, PayloadKeys};
use crate::policy::SessionPolicy;
use crate::storage::{Leadership, SessionRow, Storage, StorageError};
use app::end_cause::EndCause;
use app::model::SessionStatus;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{0}")]
    InvalidInput(String),
    #[error("no such session")]
    SessionNotFound,
    #[error("the session has {}", .0.how)]
    SessionEnded(SessionEnding),
    #[error("the payload is {size} bytes; this app allows at most {limit}")]
    PayloadTooLarge { size: usize, limit: i64 },
    #[error("the user already has {0} active sessions, the most allowed; end one first")]
    TooManySessions(i64),
    #[error("this user is disabled in Roster")]
    UserDisabled,
    #[error("no such user")]
    UserNotFound,
    /// An app, key or token that does not exist (or no longer: a revoked key is gone from every list).
    #[error("no such {0}")]
    NotFound(&'static str),
    /// A workspace rule refuses the change (the message says which, for people to read).
    #[error("{0}")]
    Refused(String),
    /// Roster is at capacity for this kind of work: nothing was changed, and a retry soon usually succeeds.
    #[error("busy: {0}")]
    Busy(String),
    #[error("{0}")]
    Storage(#[from] StorageError),
    #[error("{0}")]
    Crypto(#[from] CryptoError),
    #[error("{0}")]
    Keys(#[from] KeyError),
    #[error("{0}")]
    Checkpoint(#[from] CheckpointError),
}

/// What the holder of an ended session is told: how it ended in words, why as a code, and the admin's reason when
/// the admin chose to tell them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionEnding {
    pub how: &'static str,
    pub cause: Option<EndCause>,
    pub shared_reason: Option<String>,
}

impl SessionEnding {
    pub fn new(how: &'static str, cause: Option<EndCause>) -> SessionEnding {
        SessionEnding { how, cause, shared_reason: None }
    }

    /// The ending recorded on a session row that is no longer active.
    pub fn of(session: &SessionRow) -> SessionEnding {
        let how = if session.status == SessionStatus::Expired { "expired" } else { "been revoked" };
        SessionEnding {
            how,
            cause: session.end_cause.as_deref().and_then(EndCause::parse),
            shared_reason: if session.end_reason_shared != 0 { session.end_reason.clone() } else { None },
        }
    }
}

impl EngineError {
    pub fn is_busy(&self) -> bool {
        matches!(self, EngineError::Busy(_)) || matches!(self, EngineError::Storage(error) if error.is_busy())
    }

    pub fn invalid(message: impl Into<String>) -> EngineError {
        EngineError::InvalidInput(message.into())
    }
}

/// Shared by every request. Cloning it (axum clones the state for every handler and extractor) is one
/// reference count, however many parts the engine has.
#[derive(Clone, Debug)]
pub struct Engine(Arc<EngineParts>);

/// What the engine holds; reached through `Engine` (`engine.events`, `engine.keys`).
#[derive(Debug)]
pub struct EngineParts {
    storage: Storage,
    pub keys: PayloadKeys,
    pub geo: Option<Arc<GeoDatabase>>,
    /// Who runs an address's network (ISP or AS), shown in My sessions' Details; looked up when shown.
    pub network: Option<Arc<NetworkDatabase>>,
    pub clock: SharedClock,
    pub activity: ActivityRecorder,
    /// Requests per API key and admin token, for the Apps page.
    pub credential_use: CredentialUseRecorder,
    pub cache: ValidationCache,
    pub events: EventBus,
    pub sign_in_throttle: SignInThrottle,
    /// Requests per second per app key and admin token, on this node.
    pub rate_limits: RateLimits,
    pub password_checks: PasswordChecks,
    pub anonymous_refusals: AnonymousRefusals,
    /// The signed checkpoints of the audit chain in the data folder (a server has them; tests may not).
    pub checkpoints: Option<Arc<AuditCheckpoints>>,
    /// Posts new alarms to the owner's webhook.
    pub webhooks: WebhookSender,
    /// Whether this node runs the work that must run once (the expiry sweep, the hourly rollup).
    pub leadership: Arc<Leadership>,
}

impl std::ops::Deref for Engine {
    type Target = EngineParts;

    fn deref(&self) -> &EngineParts {
        &self.0
    }
}

impl std::ops::DerefMut for Engine {
    /// Setting an engine up (its geo databases, throttle, checkpoints) is done before it is first cloned; a part
    /// changed on a shared engine would be seen by some requests and not others.
    fn deref_mut(&mut self) -> &mut EngineParts {
        Arc::get_mut(&mut self.0).expect("an engine is set up before it is shared")
    }
}

impl Engine {
    pub fn new(
        storage: Storage,
        keys: PayloadKeys,
        geo: Option<Arc<GeoDatabase>>,
        clock: SharedClock,
    ) -> Engine {
        let events = EventBus::default();
        let activity = ActivityRecorder::new(storage.clone(), events.clone());
        let cache = ValidationCache::for_storage(&storage);
        let credential_use = CredentialUseRecorder::new(storage.clone());
        let leadership = Arc::new(storage.leadership());
        Engine(Arc::new(EngineParts {
            storage,
            keys,
            geo,
            network: None,
            clock,
            activity,
            credential_use,
            cache,
            events,
            sign_in_throttle: SignInThrottle::default(),
            rate_limits: RateLimits::default(),
            password_checks: PasswordChecks::default(),
            anonymous_refusals: AnonymousRefusals::default(),
            checkpoints: None,
            webhooks: WebhookSender::default(),
            leadership,
        }))
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    pub async fn policy(&self) -> Result<SessionPolicy, EngineError> {
        Ok(self.cache.policy(&self.storage, self.now_ms()).await?)
    }
}

//! `GET /api/events`: the console's one live stream (server-sent events). A signed-in browser keeps it open
//! and hears, by topic, what changed; it then fetches only that. Users who see every session hear of every
//! session event; a member only of events about their own sessions. The stream ends with the console session.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::Stream;
use tokio::sync::broadcast::error::RecvError;
use tower_sessions::Session;

use app::backend::{Call, ClientInfo};
use app::live::Topic;
use app::model::CurrentUser;
use app::ConsoleError;

use crate::console::{token_hash, Console};
use crate::engine::{Engine, EngineError, Event};

/// How often an idle stream checks that its console session is still alive.
const SESSION_CHECK_EVERY: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub struct EventsState {
    pub engine: Engine,
    pub console: Console,
}

pub async fn stream(
    State(state): State<EventsState>,
    session: Session,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
) -> Response {
    let peer = extensions.get::<ConnectInfo<std::net::SocketAddr>>().map(|ConnectInfo(address)| *address);
    let call = Call {
        sign_in: Arc::new(state.console.clone()),
        session: Some(session),
        client: ClientInfo::of(&headers, peer),
    };
    // Any signed-in role may listen; a refusal is audited as for every server function.
    let user = match call.require("events", |_| true).await {
        Ok(user) => user,
        Err(error) => return refuse(error),
    };
    let Some(session_id) = call.session_id() else {
        return refuse(ConsoleError::NotSignedIn);
    };
    let watcher = Watcher {
        engine: state.engine.clone(),
        user,
        console_token_hash: token_hash(&session_id),
        receiver: state.engine.events.subscribe(),
        said_signed_out: false,
    };
    Sse::new(watcher.into_stream()).keep_alive(KeepAlive::default()).into_response()
}

fn refuse(error: ConsoleError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_string(&error).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// One browser's subscription.
struct Watcher {
    engine: Engine,
    user: CurrentUser,
    console_token_hash: Vec<u8>,
    receiver: tokio::sync::broadcast::Receiver<Event>,
    /// Told the browser its session ended: the stream ends next.
    said_signed_out: bool,
}

impl Watcher {
    fn hears(&self, event: &Event) -> bool {
        self.user.role.sees_all_sessions() || event.audience.includes(self.user.id)
    }

    /// False only once the console session has ended (or is gone); a database that cannot answer now does not
    /// send anyone to the sign-in page.
    async fn still_signed_in(&self) -> bool {
        !matches!(
            self.engine.live_session(&self.console_token_hash, None).await,
            Err(EngineError::SessionNotFound | EngineError::SessionEnded(_) | EngineError::UserDisabled)
        )
    }

    /// The next event this browser should hear, or None once the stream should end. A browser whose console
    /// session ended hears `signed_out` last, so its pages leave for the sign-in page at once.
    async fn next(&mut self) -> Option<Topic> {
        if self.said_signed_out {
            return None;
        }
        let topic = self.next_while_signed_in().await;
        self.said_signed_out = topic == Some(Topic::SignedOut);
        topic
    }

    async fn next_while_signed_in(&mut self) -> Option<Topic> {
        let mut check = tokio::time::interval(SESSION_CHECK_EVERY);
        check.tick().await;
        loop {
            tokio::select! {
                received = self.receiver.recv() => match received {
                    Ok(event) if self.hears(&event) => {
                        // Only an event about this user's own sessions can have ended their console session;
                        // the rest are forwarded without a lookup (the periodic check covers the remainder).
                        if event.audience.includes(self.user.id) && !self.still_signed_in().await {
                            return Some(Topic::SignedOut);
                        }
                        return Some(event.topic);
                    }
                    Ok(_) => {}
                    // Fell behind: whatever it missed, the browser fetches everything again.
                    Err(RecvError::Lagged(_)) => return Some(Topic::Resync),
                    Err(RecvError::Closed) => return None,
                },
                () = self.engine.events.closed() => return None,
                _ = check.tick() => {
                    if !self.still_signed_in().await {
                        return Some(Topic::SignedOut);
                    }
                }
            }
        }
    }

    /// Alarms are news only to those who may open the Alarms page.
    fn sees_alarms(&self) -> bool {
        app::routes::ALARMS.allowed(self.user.role)
    }

    /// An alarms event's data: the number of open alarms, for the navigation's **Alarms (N)**.
    async fn open_alarms(&self) -> String {
        match self.engine.count_alarms().await {
            Ok((open, _)) => open.to_string(),
            // Not a number: the browser shows no count rather than a wrong one.
            Err(error) => {
                tracing::warn!("could not count open alarms for the event stream: {error}");
                "unknown".into()
            }
        }
    }

    /// The next event and its data. Those who may open Alarms hear the open count first, as the stream opens.
    async fn next_event(&mut self, first: bool) -> Option<(Topic, String)> {
        if first && self.sees_alarms() {
            return Some((Topic::Alarms, self.open_alarms().await));
        }
        loop {
            let topic = self.next().await?;
            match topic {
                Topic::Alarms if !self.sees_alarms() => continue,
                Topic::Alarms => return Some((topic, self.open_alarms().await)),
                // A browser dispatches no event whose data is empty.
                _ => return Some((topic, topic.as_str().to_string())),
            }
        }
    }

    fn into_stream(self) -> impl Stream<Item = Result<SseEvent, Infallible>> {
        futures::stream::unfold((self, true), |(mut watcher, first)| async move {
            let (topic, data) = watcher.next_event(first).await?;
            Some((Ok(SseEvent::default().event(topic.as_str()).data(data)), (watcher, false)))
        })
    }
}

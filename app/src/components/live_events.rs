//! The live event stream as the pages see it: a counter per topic that a page's data depends on, and whether
//! the stream is up. One `EventSource` per signed-in browser tab feeds them (`live_connection`, a WASM chunk of
//! its own, mounted by the header once the page is interactive); a page only reads the counters it shows.

use leptos::prelude::*;

use crate::live::Topic;
use crate::time_zone::ViewerZone;

/// Where the stream stands. While it is `Down`, the connection marks everything stale every 10 seconds and
/// the header says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamState {
    Connecting,
    Open,
    Down,
}

#[derive(Clone, Copy)]
pub struct LiveEvents {
    /// Bumped when sessions were created, ended or changed (and on a resync).
    pub sessions: RwSignal<u64>,
    /// Bumped when users were added or changed (role, disabled) (and on a resync).
    pub users: RwSignal<u64>,
    /// Bumped when alarms were raised or acknowledged (and on a resync).
    pub alarms: RwSignal<u64>,
    /// Open alarms, as the stream last said (only to those who may open Alarms); None until it has.
    pub open_alarms: RwSignal<Option<i64>>,
    pub state: RwSignal<StreamState>,
    /// The viewer's time zone, learnt once the page is hydrated. It rides here, not in a context of its own:
    /// each context type costs the WASM its own lookup code.
    pub zone: ViewerZone,
}

impl LiveEvents {
    /// Marks `topic`'s data stale; a resync marks every topic stale.
    pub fn touch(&self, topic: Topic) {
        match topic {
            Topic::Sessions => self.sessions.update(|n| *n += 1),
            Topic::Users => self.users.update(|n| *n += 1),
            Topic::Alarms => self.alarms.update(|n| *n += 1),
            Topic::Resync => {
                self.sessions.update(|n| *n += 1);
                self.users.update(|n| *n += 1);
                self.alarms.update(|n| *n += 1);
            }
            // Handled by the connection itself, which leaves for the sign-in page.
            Topic::SignedOut => {}
        }
    }
}

pub fn provide_live_events() {
    provide_context(LiveEvents {
        sessions: RwSignal::new(0),
        users: RwSignal::new(0),
        alarms: RwSignal::new(0),
        open_alarms: RwSignal::new(None),
        state: RwSignal::new(StreamState::Connecting),
        zone: ViewerZone::default(),
    });
}

pub fn use_live_events() -> LiveEvents {
    expect_context::<LiveEvents>()
}

/// Opens the stream and feeds `LiveEvents` until the owner is cleaned up (sign-out, or the tab closes). While
/// the stream is down it marks every topic stale every 10 seconds, and says so on screen. All of this is a
/// chunk of its own: the page is interactive before any of it loads.
#[lazy]
pub fn live_connection() -> AnyView {
    let live = use_live_events();
    #[cfg(feature = "hydrate")]
    {
        connect::open(live);
        connect::poll_while_down(live);
    }
    let name = move || match live.state.get() {
        StreamState::Connecting => "connecting",
        StreamState::Open => "open",
        StreamState::Down => "down",
    };
    // `data-stream` lets the end-to-end tests wait for the stream, as `data-hydrated` for hydration.
    view! {
        <span class="stream-note" aria-live="polite" data-stream=name>
            {move || (live.state.get() == StreamState::Down).then_some("Live updates paused: reconnecting. Pages refresh every 10 seconds meanwhile.")}
        </span>
    }
    .into_any()
}

#[cfg(feature = "hydrate")]
mod connect {
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{EventSource, MessageEvent};

    use super::{LiveEvents, StreamState};
    use crate::live::{Topic, EVENTS_PATH};

    /// While the stream is down, every topic is marked stale this often; a hidden tab waits until shown.
    const POLL_WHILE_DOWN_MS: u32 = 10_000;

    pub fn poll_while_down(live: LiveEvents) {
        let timer = gloo_timers::callback::Interval::new(POLL_WHILE_DOWN_MS, move || {
            if live.state.get_untracked() == StreamState::Down && !document().hidden() {
                live.touch(Topic::Resync);
            }
        });
        let timer = StoredValue::new_local(Some(timer));
        on_cleanup(move || timer.update_value(|timer| drop(timer.take())));
    }

    /// Events closer together than this are one refetch: a burst of sign-ins costs a page a few fetches.
    const COALESCE_MS: u32 = 200;

    pub fn open(live: LiveEvents) {
        let Ok(source) = EventSource::new(EVENTS_PATH) else {
            live.state.set(StreamState::Down);
            return;
        };
        let pending = StoredValue::new_local(Vec::<(Topic, gloo_timers::callback::Timeout)>::new());
        let mut topic_listeners = Vec::new();
        for topic in Topic::ALL {
            let on_event = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
                if topic == Topic::Alarms {
                    // The number of open alarms rides on the event: the navigation's count needs no fetch.
                    let count = event.data().as_string().and_then(|text| text.parse().ok());
                    live.open_alarms.set(count);
                }
                if topic == Topic::SignedOut {
                    // A full load: nothing of the signed-in pages' state outlives the session. Not when this tab
                    // signed out itself and is already on the sign-in page: a second load would cut short
                    // whatever the user (or a test) opened next.
                    let location = window().location();
                    if location.pathname().ok().as_deref() != Some("/login") {
                        let _ = location.set_href("/login");
                    }
                    return;
                }
                if pending.with_value(|waiting| waiting.iter().any(|(t, _)| *t == topic)) {
                    return;
                }
                let timer = gloo_timers::callback::Timeout::new(COALESCE_MS, move || {
                    pending.update_value(|waiting| waiting.retain(|(t, _)| *t != topic));
                    live.touch(topic);
                });
                pending.update_value(|waiting| waiting.push((topic, timer)));
            });
            let _ =
                source.add_event_listener_with_callback(topic.as_str(), on_event.as_ref().unchecked_ref());
            topic_listeners.push(on_event);
        }
        // What changed before the stream opened (since the page was rendered, or during a gap) was never
        // heard: fetch everything once it is open.
        let on_open = Closure::<dyn Fn()>::new(move || {
            live.touch(Topic::Resync);
            live.state.set(StreamState::Open);
        });
        let on_error = Closure::<dyn Fn()>::new(move || live.state.set(StreamState::Down));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let listeners = [on_open, on_error];
        let connection = StoredValue::new_local(Some((source, topic_listeners, listeners)));
        on_cleanup(move || {
            if let Some((source, ..)) = connection.try_update_value(Option::take).flatten() {
                source.close();
            }
        });
    }
}

/// How often a page of counts refetches at most while sessions change.
const REFRESH_AT_MOST_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// A counter that follows the stream's session changes, but moves at most once per `REFRESH_AT_MOST_EVERY`: for
/// pages of counts (Apps, Analytics), where a busy workspace should cost one refetch per period, not one per
/// session, and a list redrawn under the pointer several times a second would swallow clicks.
pub fn throttled_session_changes() -> RwSignal<u64> {
    let live = use_live_events();
    let tick = RwSignal::new(0_u64);
    let waiting = StoredValue::new(false);
    Effect::new(move |previous: Option<u64>| {
        let seen = live.sessions.get();
        if previous.is_some() && !waiting.get_value() {
            waiting.set_value(true);
            set_timeout(
                move || {
                    waiting.set_value(false);
                    tick.update(|n| *n += 1);
                },
                REFRESH_AT_MOST_EVERY,
            );
        }
        seen
    });
    tick
}

//! The live event bus: every write that changes what a console page shows publishes a small event here, after
//! its transaction commits. The console's event stream (`GET /api/events`) forwards each event to the browsers
//! allowed to hear it, which then fetch again only what the event's topic touches.
//!
//! The bus is in-process. Events from other nodes enter through [`EventBus::deliver`], the same door local
//! events use, so a relay between nodes (PostgreSQL LISTEN/NOTIFY) adds a publisher and a listener without
//! changing anyone who publishes or subscribes.

use std::sync::{Arc, OnceLock};

use app::live::Topic;
use tokio::sync::{broadcast, mpsc, watch};

/// How many events a slow subscriber may fall behind before it is told to fetch everything again.
const BACKLOG: usize = 1_024;

/// Who may hear of an event. Users who see every session hear of every session event; the others only of
/// events about their own sessions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Everyone signed in (an event touching every user, such as Kill All).
    Everyone,
    /// Those who see every session, and these users about their own sessions.
    Users(Vec<i64>),
}

impl Audience {
    /// The owners of the sessions an event is about; a guest session has none.
    pub fn owners(user_ids: impl IntoIterator<Item = Option<i64>>) -> Audience {
        let mut ids: Vec<i64> = user_ids.into_iter().flatten().collect();
        ids.sort_unstable();
        ids.dedup();
        Audience::Users(ids)
    }

    pub fn includes(&self, user_id: i64) -> bool {
        match self {
            Audience::Everyone => true,
            Audience::Users(ids) => ids.binary_search(&user_id).is_ok(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub topic: Topic,
    pub audience: Audience,
}

impl Event {
    pub fn sessions(audience: Audience) -> Event {
        Event { topic: Topic::Sessions, audience }
    }

    /// A user was added or changed: heard by those who see every user, and by the user.
    pub fn users(user_id: i64) -> Event {
        Event { topic: Topic::Users, audience: Audience::Users(vec![user_id]) }
    }
}

/// Cheap to clone; every clone publishes to and subscribes from the same bus.
#[derive(Clone, Debug)]
pub struct EventBus {
    sender: broadcast::Sender<Event>,
    /// Set once the server stops: open streams end, so a graceful shutdown does not wait for them forever.
    closing: watch::Sender<bool>,
    /// Where published events also go to reach the other nodes, once a relay runs (see `event_relay`).
    relay: Arc<OnceLock<mpsc::UnboundedSender<Event>>>,
}

impl Default for EventBus {
    fn default() -> Self {
        EventBus {
            sender: broadcast::channel(BACKLOG).0,
            closing: watch::channel(false).0,
            relay: Arc::default(),
        }
    }
}

impl EventBus {
    /// Announces a committed change, here and (through the relay) on the other nodes. Nobody listening is
    /// not an error.
    pub fn publish(&self, event: Event) {
        if let Some(relay) = self.relay.get() {
            let _ = relay.send(event.clone());
        }
        self.deliver(event);
    }

    /// From now on every published event is also handed to `relay`. False when a relay is already set.
    pub fn relay_to(&self, relay: mpsc::UnboundedSender<Event>) -> bool {
        self.relay.set(relay).is_ok()
    }

    /// Hands an event to this node's subscribers: local events, and (through a relay) other nodes' events.
    pub fn deliver(&self, event: Event) {
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }

    /// Ends every subscriber's stream: the server is stopping.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves once the bus is closed (at once if it already is).
    pub async fn closed(&self) {
        let mut closing = self.closing.subscribe();
        let _ = closing.wait_for(|closed| *closed).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_audience_of_owners_skips_guests_and_names_each_owner_once() {
        let audience = Audience::owners([Some(7), None, Some(3), Some(7)]);
        assert_eq!(audience, Audience::Users(vec![3, 7]));
        assert!(audience.includes(3) && audience.includes(7));
        assert!(!audience.includes(4));
        assert!(Audience::Everyone.includes(4));
    }

    #[tokio::test]
    async fn subscribers_hear_what_is_published_after_they_subscribe() {
        let bus = EventBus::default();
        bus.publish(Event::sessions(Audience::Everyone));
        let mut receiver = bus.subscribe();
        bus.publish(Event::sessions(Audience::Users(vec![1])));
        assert_eq!(receiver.recv().await.unwrap(), Event::sessions(Audience::Users(vec![1])));
        assert!(receiver.try_recv().is_err());
    }

    #[tokio::test]
    async fn closing_the_bus_wakes_whoever_waits_for_it() {
        let bus = EventBus::default();
        let waiting = tokio::spawn({
            let bus = bus.clone();
            async move { bus.closed().await }
        });
        bus.close();
        tokio::time::timeout(std::time::Duration::from_secs(1), waiting).await.unwrap().unwrap();
        tokio::time::timeout(std::time::Duration::from_secs(1), bus.closed()).await.unwrap();
    }
}

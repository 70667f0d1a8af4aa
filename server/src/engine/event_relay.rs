//! Events across nodes. On PostgreSQL every node sends the events it publishes to the others with NOTIFY and
//! hands what it hears from them to its own bus, so an open console follows a change made on any node.
//!
//! Events are coalesced before they are sent: a burst of a thousand session changes becomes one notification
//! per topic every `COALESCE`, so the database's notification lock is taken a few times a second at most,
//! whatever the write rate. A node that loses its listening connection cannot know what it missed: once it is
//! back it tells its consoles to fetch everything again (`Topic::Resync`).

use std::collections::BTreeMap;
use std::time::Duration;

use app::live::Topic;
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc};

use super::{Audience, Engine, Event, EventBus};
use crate::storage::{NotificationListener, Storage};

/// How long a first event waits for others to travel with it. Well inside the second a console may take.
const COALESCE: Duration = Duration::from_millis(50);
/// How long to wait before connecting the listener again after a failure.
const RECONNECT_AFTER: Duration = Duration::from_secs(1);
/// Past this many users one notification names everyone instead (PostgreSQL refuses payloads over 8000
/// bytes); hearing of a change that is not yours costs a console one fetch of what it already may see.
const MOST_USERS_NAMED: usize = 400;

/// What travels in a notification. `node` lets a node skip its own events, which its bus already delivered.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Wire {
    node: String,
    topic: String,
    /// The users who hear it; absent for everyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    users: Option<Vec<i64>>,
}

impl Engine {
    /// Starts relaying events between this node and the others sharing its PostgreSQL database. Does nothing on
    /// SQLite, or when a relay already runs.
    pub fn spawn_event_relay(&self) {
        if self.storage.kind() != crate::storage::DbKind::Postgres {
            return;
        }
        let (sender, receiver) = mpsc::unbounded_channel();
        if !self.events.relay_to(sender) {
            return;
        }
        let node = crate::secrets::new_session_id().to_string();
        tokio::spawn(send_events(self.storage.clone(), receiver, node.clone()));
        tokio::spawn(hear_events(self.storage.clone(), self.events.clone(), node));
    }
}

async fn send_events(storage: Storage, mut receiver: mpsc::UnboundedReceiver<Event>, node: String) {
    while let Some(first) = receiver.recv().await {
        let mut batch = Batch::default();
        batch.add(first);
        tokio::time::sleep(COALESCE).await;
        while let Ok(event) = receiver.try_recv() {
            batch.add(event);
        }
        for event in batch.into_events() {
            notify_other_nodes(&storage, &node, event).await;
        }
    }
}

async fn notify_other_nodes(storage: &Storage, node: &str, event: Event) {
    let wire = Wire {
        node: node.to_owned(),
        topic: event.topic.as_str().to_string(),
        users: match event.audience {
            Audience::Everyone => None,
            Audience::Users(ids) => Some(ids),
        },
    };
    let payload = serde_json::to_string(&wire).expect("a wire event serializes");
    if let Err(error) = storage.notify(&payload).await {
        tracing::warn!("could not tell the other nodes of a change: {error}");
    }
}

/// What a command run from the shell published. Its engine's bus has no console listening and no relay: the
/// command records its events and, before it exits, sends them to the nodes serving the same database.
pub struct ShellEvents(broadcast::Receiver<Event>);

impl Engine {
    /// Starts recording what this engine publishes; call before the command's first write.
    pub fn record_shell_events(&self) -> ShellEvents {
        ShellEvents(self.events.subscribe())
    }

    /// Sends what was recorded to every node, coalesced as a relay would. Only PostgreSQL has other nodes (a
    /// SQLite database has one server, which is never the shell's process).
    pub async fn send_shell_events(&self, ShellEvents(mut recorded): ShellEvents) {
        if self.storage.kind() != crate::storage::DbKind::Postgres {
            return;
        }
        let mut batch = Batch::default();
        loop {
            match recorded.try_recv() {
                Ok(event) => batch.add(event),
                // More than the bus holds: the consoles fetch everything again instead.
                Err(broadcast::error::TryRecvError::Lagged(_)) => {
                    batch.add(Event { topic: Topic::Resync, audience: Audience::Everyone })
                }
                Err(broadcast::error::TryRecvError::Empty | broadcast::error::TryRecvError::Closed) => break,
            }
        }
        let node = crate::secrets::new_session_id().to_string();
        for event in batch.into_events() {
            notify_other_nodes(&self.storage, &node, event).await;
        }
    }
}

async fn hear_events(storage: Storage, bus: EventBus, node: String) {
    let mut listener: Option<NotificationListener> = None;
    // The first connection is not a reconnection: there is nothing on screen from before it to refresh.
    let mut connected_before = false;
    loop {
        let Some(current) = listener.as_mut() else {
            match storage.listen().await {
                Ok(Some(new)) => {
                    listener = Some(new);
                    if connected_before {
                        storage.forget_cached();
                        bus.deliver(Event { topic: Topic::Resync, audience: Audience::Everyone });
                    }
                    connected_before = true;
                }
                Ok(None) => return,
                Err(error) => {
                    tracing::warn!("cannot listen for the other nodes' changes, trying again: {error}");
                    tokio::time::sleep(RECONNECT_AFTER).await;
                }
            }
            continue;
        };
        tokio::select! {
            heard = current.next() => match heard {
                Ok(Some(payload)) => {
                    if let Some(event) = decode(&payload, &node) {
                        // Settings and credentials cached here may be what the other node just changed.
                        storage.forget_cached();
                        bus.deliver(event);
                    }
                }
                Ok(None) => {
                    tracing::warn!("lost the connection that hears the other nodes' changes; reconnecting");
                    listener = None;
                }
                Err(error) => {
                    tracing::warn!("the connection that hears the other nodes' changes failed: {error}");
                    listener = None;
                    tokio::time::sleep(RECONNECT_AFTER).await;
                }
            },
            () = bus.closed() => return,
        }
    }
}

/// Another node's event; None for this node's own, and for anything unreadable (logged: a newer node may send
/// topics this one does not know).
fn decode(payload: &str, node: &str) -> Option<Event> {
    let wire: Wire = match serde_json::from_str(payload) {
        Ok(wire) => wire,
        Err(error) => {
            tracing::warn!("ignored an unreadable notification from another node: {error}");
            return None;
        }
    };
    if wire.node == node {
        return None;
    }
    let Some(topic) = Topic::parse(&wire.topic) else {
        tracing::warn!("ignored a notification of an unknown topic {:?}", wire.topic);
        return None;
    };
    let audience = match wire.users {
        None => Audience::Everyone,
        Some(users) => Audience::owners(users.into_iter().map(Some)),
    };
    Some(Event { topic, audience })
}

/// The events of one interval, one per topic, their audiences joined.
#[derive(Default)]
struct Batch(BTreeMap<&'static str, Event>);

impl Batch {
    fn add(&mut self, event: Event) {
        let Some(kept) = self.0.get_mut(event.topic.as_str()) else {
            self.0.insert(event.topic.as_str(), event);
            return;
        };
        kept.audience = match (std::mem::replace(&mut kept.audience, Audience::Everyone), event.audience) {
            (Audience::Users(mut ids), Audience::Users(more)) => {
                ids.extend(more);
                ids.sort_unstable();
                ids.dedup();
                if ids.len() > MOST_USERS_NAMED {
                    Audience::Everyone
                } else {
                    Audience::Users(ids)
                }
            }
            _ => Audience::Everyone,
        };
    }

    fn into_events(self) -> impl Iterator<Item = Event> {
        self.0.into_values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_becomes_one_event_per_topic_heard_by_everyone_it_concerned() {
        let mut batch = Batch::default();
        batch.add(Event::sessions(Audience::Users(vec![3])));
        batch.add(Event::users(9));
        batch.add(Event::sessions(Audience::Users(vec![1, 3])));
        batch.add(Event::sessions(Audience::Users(Vec::new())));
        let events: Vec<Event> = batch.into_events().collect();
        assert_eq!(events, vec![Event::sessions(Audience::Users(vec![1, 3])), Event::users(9)]);

        let mut batch = Batch::default();
        batch.add(Event::sessions(Audience::Users(vec![3])));
        batch.add(Event::sessions(Audience::Everyone));
        batch.add(Event::sessions(Audience::Users(vec![4])));
        assert_eq!(batch.into_events().collect::<Vec<_>>(), vec![Event::sessions(Audience::Everyone)]);
    }

    #[test]
    fn a_batch_naming_too_many_users_for_one_notification_is_heard_by_everyone() {
        let mut batch = Batch::default();
        for user in 0..=MOST_USERS_NAMED as i64 {
            batch.add(Event::sessions(Audience::Users(vec![user])));
        }
        assert_eq!(batch.into_events().collect::<Vec<_>>(), vec![Event::sessions(Audience::Everyone)]);
    }

    #[test]
    fn a_node_skips_its_own_events_and_reads_the_others() {
        let wire = |node: &str, users: Option<Vec<i64>>| {
            serde_json::to_string(&Wire { node: node.into(), topic: "sessions".into(), users }).unwrap()
        };
        assert_eq!(decode(&wire("me", None), "me"), None);
        assert_eq!(decode(&wire("other", None), "me"), Some(Event::sessions(Audience::Everyone)));
        assert_eq!(
            decode(&wire("other", Some(vec![5, 2])), "me"),
            Some(Event::sessions(Audience::Users(vec![2, 5])))
        );
        assert_eq!(decode("{\"node\":\"other\",\"topic\":\"weather\"}", "me"), None);
        assert_eq!(decode("not json", "me"), None);
    }
}

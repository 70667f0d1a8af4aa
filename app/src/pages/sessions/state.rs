//! What the Sessions page's parts share: the URL's query, the refresh counter, what is revealed, the dialogs'
//! targets, the toast, and the two ending actions.

use leptos::prelude::*;

use crate::api::sessions::kill_all::{kill_all_sessions, KillAllSessions};
use crate::api::sessions::revoke::{revoke_session, RevokeSession};
use crate::error::ConsoleError;
use crate::model::{SessionPage, SessionView};
use crate::session_query::SessionQuery;
use crate::time_zone::{use_viewer_zone, Zone};

/// Which of the two layouts gets rows. The server renders both (CSS shows one), since it cannot know the
/// screen; once in the browser, only the one on screen is kept up to date, which halves the work per refresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Both,
    Table,
    Cards,
}

impl Layout {
    /// The rows this layout shows, each with the zone its times are in (so a list renders again in the
    /// viewer's zone once the browser names it); none while the other layout is the one on screen.
    pub fn rows(self, data: Memo<Option<SessionPage>>) -> impl Fn() -> Vec<(SessionView, Zone)> + Copy {
        let (state, zone) = (use_console(), use_viewer_zone());
        move || {
            let shown = state.layout.get();
            if shown != Layout::Both && shown != self {
                return Vec::new();
            }
            let zone = zone.get();
            data.with(|page| {
                let rows = page.as_ref().map(|page| page.rows.as_slice()).unwrap_or_default();
                rows.iter().map(|row| (row.clone(), zone.clone())).collect()
            })
        }
    }
}

#[derive(Clone, Copy)]
pub struct ConsoleState {
    pub query: Memo<SessionQuery>,
    /// Bumped to fetch the page again: by Refresh and every revoke (live events have their own counter).
    pub refresh: RwSignal<u64>,
    pub can_revoke: bool,
    pub show_tokens: RwSignal<bool>,
    /// Sessions whose IP is shown in full. A list, not a set: a few at a time, and a hash set costs WASM.
    pub revealed: RwSignal<Vec<String>>,
    pub revoke_target: RwSignal<Option<SessionView>>,
    /// The session whose detail dialog is open.
    pub detail_target: RwSignal<Option<String>>,
    pub kill_all_open: RwSignal<bool>,
    pub toast: RwSignal<Option<String>>,
    pub layout: RwSignal<Layout>,
    /// From the latest page, for the dialogs (which open only in the browser).
    pub active_count: RwSignal<i64>,
    pub now_ms: RwSignal<i64>,
    /// Plain `Action`s calling the server functions, not `ServerAction`s: those also read an error that a
    /// script-less form post left in the URL, a decoder (base64 and all) the page would carry for a case in
    /// which no script runs to show it.
    pub revoke: Action<RevokeSession, Result<(), ConsoleError>>,
    pub kill_all: Action<KillAllSessions, Result<u64, ConsoleError>>,
}

impl ConsoleState {
    pub fn new(query: Memo<SessionQuery>, can_revoke: bool) -> ConsoleState {
        let state = ConsoleState {
            query,
            refresh: RwSignal::new(0),
            can_revoke,
            show_tokens: RwSignal::new(false),
            revealed: RwSignal::new(Vec::new()),
            revoke_target: RwSignal::new(None),
            detail_target: RwSignal::new(None),
            kill_all_open: RwSignal::new(false),
            toast: RwSignal::new(None),
            layout: RwSignal::new(Layout::Both),
            active_count: RwSignal::new(0),
            now_ms: RwSignal::new(0),
            revoke: Action::new(|input: &RevokeSession| revoke_session(input.session_id.clone())),
            kill_all: Action::new(|_: &KillAllSessions| kill_all_sessions()),
        };
        state.announce_outcomes();
        state
    }

    /// Each finished action says what happened and refreshes the page at once.
    fn announce_outcomes(self) {
        Effect::new(move |_| {
            if let Some(outcome) = self.revoke.value().get() {
                self.toast.set(Some(match outcome {
                    Ok(()) => "Session revoked. Its token is refused from now on.".to_string(),
                    Err(error) => error.to_string(),
                }));
                self.refresh.update(|n| *n += 1);
            }
        });
        Effect::new(move |_| {
            if let Some(outcome) = self.kill_all.value().get() {
                self.toast.set(Some(match outcome {
                    Ok(1) => "Ended 1 session.".to_string(),
                    Ok(ended) => format!("Ended {} sessions.", crate::format::thousands(ended as i64)),
                    Err(error) => error.to_string(),
                }));
                self.refresh.update(|n| *n += 1);
            }
        });
    }

    pub fn toggle_ip(&self, session_id: &str) {
        self.revealed.update(|revealed| match revealed.iter().position(|id| id == session_id) {
            Some(index) => drop(revealed.swap_remove(index)),
            None => revealed.push(session_id.to_string()),
        });
    }
}

pub fn use_console() -> ConsoleState {
    expect_context::<ConsoleState>()
}

//! What the My sessions page shares between its lists and its dialogs: the data, the dialogs' targets, the
//! toast, and the two signing-out actions.

use leptos::prelude::*;

use crate::api::my_sessions::{
    list_my_sessions, sign_out_my_other_sessions, sign_out_my_session, SignOutMyOtherSessions,
    SignOutMySession,
};
use crate::components::live_events::use_live_events;
use crate::error::ConsoleError;
use crate::format::count_of;
use crate::model::{OwnSessionView, OwnSessions};

#[derive(Clone, Copy)]
pub struct MySessionsState {
    pub sessions: Resource<Result<OwnSessions, ConsoleError>>,
    /// The session whose Details dialog is open.
    pub details: RwSignal<Option<OwnSessionView>>,
    /// The session whose Sign out dialog is open.
    pub sign_out_target: RwSignal<Option<OwnSessionView>>,
    pub sign_out_all_open: RwSignal<bool>,
    pub toast: RwSignal<Option<String>>,
    pub sign_out: Action<SignOutMySession, Result<(), ConsoleError>>,
    pub sign_out_others: Action<SignOutMyOtherSessions, Result<usize, ConsoleError>>,
}

impl MySessionsState {
    pub fn new() -> MySessionsState {
        let live = use_live_events();
        let sign_out = Action::new(|input: &SignOutMySession| sign_out_my_session(input.session_id.clone()));
        let sign_out_others = Action::new(|_: &SignOutMyOtherSessions| sign_out_my_other_sessions());
        // Fetched again on every change the stream tells of (a sign-in elsewhere, a session ended by an admin)
        // and after each sign-out here.
        let sessions = Resource::new(
            move || (live.sessions.get(), sign_out.version().get(), sign_out_others.version().get()),
            |_| list_my_sessions(),
        );
        let state = MySessionsState {
            sessions,
            details: RwSignal::new(None),
            sign_out_target: RwSignal::new(None),
            sign_out_all_open: RwSignal::new(false),
            toast: RwSignal::new(None),
            sign_out,
            sign_out_others,
        };
        state.announce_outcomes();
        state
    }

    /// The list on screen (kept while a newer one loads), for the dialogs, which open only in the browser.
    pub fn latest(&self) -> Option<OwnSessions> {
        self.sessions.get_untracked().and_then(Result::ok)
    }

    fn announce_outcomes(self) {
        Effect::new(move |_| {
            if let Some(outcome) = self.sign_out.value().get() {
                self.toast.set(Some(match outcome {
                    Ok(()) => "Signed out. That session's token is refused from now on.".to_string(),
                    Err(error) => error.to_string(),
                }));
            }
        });
        Effect::new(move |_| {
            if let Some(outcome) = self.sign_out_others.value().get() {
                self.toast.set(Some(match outcome {
                    Ok(ended) => {
                        format!("Signed out of {}. This device stays signed in.", other_sessions(ended))
                    }
                    Err(error) => error.to_string(),
                }));
            }
        });
    }
}

/// "1 other session", "3 other sessions".
pub fn other_sessions(n: usize) -> String {
    count_of(n as i64, "other session")
}

pub fn use_my_sessions() -> MySessionsState {
    expect_context::<MySessionsState>()
}

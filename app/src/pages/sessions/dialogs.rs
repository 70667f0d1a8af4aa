//! The confirmations before ending sessions: native modal `dialog`s, so Escape closes them, focus stays inside
//! while open and returns to the button that opened them.

use leptos::html::Dialog;
use leptos::prelude::*;

use super::state::use_console;
use crate::api::sessions::kill_all::KillAllSessions;
use crate::api::sessions::revoke::RevokeSession;
use crate::components::modal::modal_while;
use crate::format::{or_unknown, thousands, time_ago, Unknown};

#[component]
pub fn RevokeDialog() -> impl IntoView {
    let state = use_console();
    let dialog = NodeRef::<Dialog>::new();
    modal_while(dialog, move || state.revoke_target.with(Option::is_some));
    let confirm = move |_| {
        if let Some(session) = state.revoke_target.get_untracked() {
            state.revoke.dispatch(RevokeSession { session_id: session.id });
        }
        state.revoke_target.set(None);
    };
    let detail = move || {
        state.revoke_target.get().map(|session| {
            let who = session
                .user
                .as_ref()
                .map_or_else(|| "a guest".to_string(), |user| format!("{} ({})", user.name, user.email));
            view! {
                <p>"This signs " {who} " out of " <strong>{session.app_id.clone()}</strong> " at once."</p>
                <dl class="confirm-facts">
                    <dt>"Device"</dt>
                    <dd>{or_unknown(&session.device, Unknown::Browser)}</dd>
                    <dt>"Location"</dt>
                    <dd>{or_unknown(&session.location, Unknown::Location)}</dd>
                    <dt>"Last active"</dt>
                    <dd>{time_ago(state.now_ms.get_untracked(), session.last_active_at_ms)}</dd>
                </dl>
            }
        })
    };
    view! {
        <dialog node_ref=dialog class="confirm" aria-labelledby="revoke-title" on:close=move |_| state.revoke_target.set(None)>
            <h2 id="revoke-title">"Revoke this session?"</h2>
            {detail}
            <div class="dialog-actions">
                <button type="button" class="button" on:click=move |_| state.revoke_target.set(None)>"Cancel"</button>
                <button type="button" class="button danger" on:click=confirm>"Confirm"</button>
            </div>
        </dialog>
    }
}

#[component]
pub fn KillAllDialog() -> impl IntoView {
    let state = use_console();
    let dialog = NodeRef::<Dialog>::new();
    modal_while(dialog, move || state.kill_all_open.get());
    let confirm = move |_| {
        state.kill_all.dispatch(KillAllSessions {});
        state.kill_all_open.set(false);
    };
    view! {
        <dialog node_ref=dialog class="confirm" aria-labelledby="kill-all-title" on:close=move |_| state.kill_all_open.set(false)>
            <h2 id="kill-all-title">"End every active session?"</h2>
            <p data-testid="kill-all-count">{move || state.kill_all_open.get().then(|| kill_all_text(state.active_count.get()))}</p>
            <p>"Your own session, in this browser, stays signed in."</p>
            <div class="dialog-actions">
                <button type="button" class="button" on:click=move |_| state.kill_all_open.set(false)>"Cancel"</button>
                <button type="button" class="button danger" on:click=confirm>"Confirm"</button>
            </div>
        </dialog>
    }
}

fn kill_all_text(active: i64) -> String {
    format!(
        "{} active sessions in every app will be revoked at once; their tokens are refused from then on.",
        thousands(active)
    )
}

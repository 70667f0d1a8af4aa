//! The Details of one session, and the confirmations before signing out of one or of all the others.

use leptos::html::Dialog;
use leptos::prelude::*;

use super::item::activity;
use super::state::{other_sessions, use_my_sessions};
use crate::api::my_sessions::{SignOutMyOtherSessions, SignOutMySession};
use crate::components::modal::modal_while;
use crate::format::{or_unknown, short_id, thousands, Unknown};
use crate::model::OwnSessionView;
use crate::time_zone::use_viewer_zone;

#[component]
pub fn DetailsDialog() -> impl IntoView {
    let state = use_my_sessions();
    let dialog = NodeRef::<Dialog>::new();
    modal_while(dialog, move || state.details.with(Option::is_some));
    view! {
        <dialog node_ref=dialog class="confirm" aria-labelledby="details-title" on:close=move |_| state.details.set(None)>
            <h2 id="details-title">
                {move || state.details.with(|s| s.as_ref().map(|s| or_unknown(&s.device_name, Unknown::Browser)))}
            </h2>
            {move || state.details.get().map(|session| view! { <Facts session/> })}
            <div class="dialog-actions">
                <button type="button" class="button" on:click=move |_| state.details.set(None)>"Close"</button>
            </div>
        </dialog>
    }
}

#[component]
fn Facts(session: OwnSessionView) -> impl IntoView {
    let zone = use_viewer_zone().get_untracked();
    let known = |value: &Option<String>| value.clone().unwrap_or_else(|| "Unknown".to_string());
    let last_page = session.last_page.clone().map(|page| view! { <dt>"Last page"</dt><dd>{page}</dd> });
    let network =
        session.network.clone().map(|network| view! { <dt>"ISP or network"</dt><dd>{network}</dd> });
    view! {
        <dl class="confirm-facts" data-testid="session-details">
            <dt>"Browser"</dt>
            <dd>{or_unknown(&session.browser, Unknown::Browser)}</dd>
            <dt>"OS"</dt>
            <dd>{known(&session.system)}</dd>
            <dt>"Device"</dt>
            <dd>{known(&session.device_type)}</dd>
            <dt>"City"</dt>
            <dd>{known(&session.city)}</dd>
            <dt>"Country"</dt>
            <dd>{known(&session.country)}</dd>
            <dt>"IP"</dt>
            <dd>{or_unknown(&session.ip, Unknown::Ip)}</dd>
            {network}
            <dt>"App"</dt>
            <dd>{session.app_name.clone()}</dd>
            <dt>"Created"</dt>
            <dd>{zone.full(session.created_at_ms)}</dd>
            <dt>"Last active"</dt>
            <dd>{zone.full(session.last_active_at_ms)}</dd>
            <dt>"Expires"</dt>
            <dd>{session.expires_at_ms.map_or_else(|| "When signed out".to_string(), |at| zone.full(at))}</dd>
            <dt>"Session ID"</dt>
            <dd><code>{short_id(&session.id)}</code></dd>
            <dt>"Sign-ins from this device"</dt>
            <dd>{thousands(session.sign_ins_from_device)}</dd>
            <dt>"Requests"</dt>
            <dd>{thousands(session.requests)}</dd>
            {last_page}
        </dl>
    }
}

#[component]
pub fn SignOutDialog() -> impl IntoView {
    let state = use_my_sessions();
    let dialog = NodeRef::<Dialog>::new();
    modal_while(dialog, move || state.sign_out_target.with(Option::is_some));
    let confirm = move |_| {
        if let Some(session) = state.sign_out_target.get_untracked() {
            state.sign_out.dispatch(SignOutMySession { session_id: session.id });
        }
        state.sign_out_target.set(None);
    };
    let facts = move || {
        state.sign_out_target.get().map(|session| {
            view! {
                <p>"That device is signed out of " <strong>{session.app_name.clone()}</strong> " at once."</p>
                <dl class="confirm-facts">
                    <dt>"Device"</dt>
                    <dd>{or_unknown(&session.device_name, Unknown::Browser)}</dd>
                    <dt>"Location"</dt>
                    <dd>{or_unknown(&session.location(), Unknown::Location)}</dd>
                    <dt>"Last active"</dt>
                    <dd>{activity(&session, state.latest().map_or(0, |list| list.now_ms))}</dd>
                </dl>
            }
        })
    };
    view! {
        <dialog node_ref=dialog class="confirm" aria-labelledby="sign-out-title" on:close=move |_| state.sign_out_target.set(None)>
            <h2 id="sign-out-title">"Sign out this session?"</h2>
            {facts}
            <div class="dialog-actions">
                <button type="button" class="button" on:click=move |_| state.sign_out_target.set(None)>"Cancel"</button>
                <button type="button" class="button danger" on:click=confirm>"Confirm"</button>
            </div>
        </dialog>
    }
}

#[component]
pub fn SignOutAllDialog() -> impl IntoView {
    let state = use_my_sessions();
    let dialog = NodeRef::<Dialog>::new();
    modal_while(dialog, move || state.sign_out_all_open.get());
    let confirm = move |_| {
        state.sign_out_others.dispatch(SignOutMyOtherSessions {});
        state.sign_out_all_open.set(false);
    };
    let listed = move || {
        state.sign_out_all_open.get().then(|| {
            let others: Vec<OwnSessionView> = state
                .latest()
                .map(|list| list.sessions.into_iter().filter(|session| !session.is_current).collect())
                .unwrap_or_default();
            view! {
                <p>"This will sign out " {other_sessions(others.len())} ":"</p>
                <ul class="sign-out-list">
                    {others.iter().map(|session| view! { <li>{session.short_name()}</li> }).collect_view()}
                </ul>
            }
        })
    };
    view! {
        <dialog node_ref=dialog class="confirm" aria-labelledby="sign-out-all-title" on:close=move |_| state.sign_out_all_open.set(false)>
            <h2 id="sign-out-all-title">"Sign out all other sessions?"</h2>
            {listed}
            <p>"This device stays signed in."</p>
            <div class="dialog-actions">
                <button type="button" class="button" on:click=move |_| state.sign_out_all_open.set(false)>"Cancel"</button>
                <button type="button" class="button danger" on:click=confirm>"Confirm"</button>
            </div>
        </dialog>
    }
}

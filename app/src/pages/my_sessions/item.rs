//! One session in My sessions: the device, where, the app, how recently it was used, its warning signs, and
//! what can be done with it.

use leptos::prelude::*;
use server_fn::ServerFn;

use super::state::use_my_sessions;
use crate::api::my_sessions::SignOutMySession;
use crate::format::{or_unknown, time_ago, Unknown};
use crate::model::{OwnSessionView, WarningSign};
use crate::time_zone::use_viewer_zone;

/// The dot is green for a session used within this long.
const RECENT_MS: i64 = 60 * 60 * 1000;

/// "Active now" or "Last active: 3 days ago"; this browser is in use as its owner reads this.
pub fn activity(session: &OwnSessionView, now_ms: i64) -> String {
    match time_ago(now_ms, session.last_active_at_ms) {
        ago if session.is_current || ago == "Active now" => "Active now".to_string(),
        ago => format!("Last active: {ago}"),
    }
}

#[component]
pub fn SessionItem(session: OwnSessionView, now_ms: i64) -> impl IntoView {
    let state = use_my_sessions();
    let zone = use_viewer_zone();
    let recent = session.is_current || now_ms - session.last_active_at_ms < RECENT_MS;
    let last_active = session.last_active_at_ms;
    let name_id = format!("device-{}", session.id);
    let sign_out = (!session.is_current).then(|| {
        let target = session.clone();
        view! {
            // Posted as is before the script loads; after, the click opens the confirm dialog instead.
            <form method="post" action=SignOutMySession::PATH class="inline-form">
                <input type="hidden" name="session_id" value=session.id.clone()/>
                <button
                    type="submit"
                    class="button danger small"
                    aria-describedby=name_id.clone()
                    on:click=move |event| {
                        event.prevent_default();
                        state.sign_out_target.set(Some(target.clone()));
                    }
                >
                    "Sign out"
                </button>
            </form>
        }
    });
    let for_details = session.clone();
    view! {
        <li class="own-session">
            <span class=if recent { "dot recent" } else { "dot" } aria-hidden="true"></span>
            <div class="own-session-body">
                <div class="own-session-head">
                    <strong id=name_id.clone()>{or_unknown(&session.device_name, Unknown::Browser)}</strong>
                    {session.is_current.then(|| view! { <span class="badge current">"This device"</span> })}
                    {session.warnings.iter().copied().map(|sign| view! { <Warning sign/> }).collect_view()}
                </div>
                <p class="own-session-facts">
                    <span>{or_unknown(&session.location(), Unknown::Location)}</span>
                    <span>{or_unknown(&session.ip, Unknown::Ip)}</span>
                    <span>{session.app_name.clone()}</span>
                </p>
                <p class="own-session-activity">
                    <time title=move || zone.get().full(last_active)>{activity(&session, now_ms)}</time>
                </p>
            </div>
            <div class="card-actions">
                <button
                    type="button"
                    class="button small"
                    aria-describedby=name_id
                    on:click=move |_| state.details.set(Some(for_details.clone()))
                >
                    "Details"
                </button>
                {sign_out}
            </div>
        </li>
    }
}

/// A warning sign's badge, explained on hover and keyboard focus; screen readers read the explanation with it.
#[component]
fn Warning(sign: WarningSign) -> impl IntoView {
    view! {
        <span class="warning-sign" tabindex="0">
            <span class="badge warning">{sign.label()}</span>
            <span class="explain">{sign.explanation()}</span>
        </span>
    }
}

//! The parts of a session shown both in the desktop table and on the phone cards.

use leptos::either::Either;
use leptos::prelude::*;
use server_fn::ServerFn;

use super::state::use_console;
use crate::api::sessions::revoke::RevokeSession;
use crate::format::{mask_ip, short_id, time_ago};
use crate::model::{SessionStatus, SessionView};
use crate::time_zone::Zone;

#[component]
pub fn UserCell(session: SessionView) -> impl IntoView {
    let state = use_console();
    let id = session.id.clone();
    let shown_id = move || if state.show_tokens.get() { id.clone() } else { short_id(&id) };
    // `Either`, not `into_any()`: an erased view brings every render path into the WASM, used or not.
    let who = match session.user {
        Some(user) => Either::Left(view! {
            <span class="user-name">{user.name}</span>
            <span class="badge role">{user.role.label()}</span>
            <span class="user-email">{user.email}</span>
        }),
        None => Either::Right(view! { <span class="user-name">"Guest"</span> }),
    };
    view! {
        <div class="user-cell">
            {who}
            <code class="session-id" title=session.id.clone()>{shown_id}</code>
            {session.is_current.then(|| view! { <span class="badge current">"This device"</span> })}
        </div>
    }
}

/// A masked address and the toggle that shows it in full.
#[component]
pub fn IpCell(session_id: String, ip: Option<String>) -> impl IntoView {
    let state = use_console();
    let Some(ip) = ip else {
        return Either::Left(view! { <span class="muted">"Unknown IP"</span> });
    };
    let shown = {
        let session_id = session_id.clone();
        Memo::new(move |_| state.revealed.with(|revealed| revealed.contains(&session_id)))
    };
    Either::Right(view! {
        <button
            type="button"
            class="ip"
            aria-label="Reveal IP"
            aria-pressed=move || shown.get().to_string()
            on:click=move |_| state.toggle_ip(&session_id)
        >
            {move || if shown.get() { ip.clone() } else { mask_ip(&ip) }}
        </button>
    })
}

#[component]
pub fn StatusCell(status: SessionStatus, kind: String) -> impl IntoView {
    let kind_label = if kind == "guest" { "Guest" } else { "Authenticated" };
    view! {
        <span class=format!("badge status-{}", status.as_str())>{status.as_str()}</span>
        <span class="kind">{kind_label}</span>
    }
}

#[component]
pub fn LastActive(zone: Zone, now_ms: i64, at_ms: i64) -> impl IntoView {
    view! { <time title=zone.full(at_ms)>{time_ago(now_ms, at_ms)}</time> }
}

/// Revoke: a plain form post before the script loads; once it has, a confirm dialog first.
#[component]
pub fn RevokeButton(session: SessionView) -> impl IntoView {
    let state = use_console();
    if !state.can_revoke || session.status != SessionStatus::Active {
        return None;
    }
    let id = session.id.clone();
    Some(view! {
        // Posted as is before the script loads; after, the click opens the confirm dialog instead. A plain form:
        // `ActionForm` would bring a form parser into the WASM for a submit that never happens there.
        <form method="post" action=RevokeSession::PATH class="inline-form">
            <input type="hidden" name="session_id" value=id/>
            <button
                type="submit"
                class="button danger small"
                on:click=move |event| {
                    event.prevent_default();
                    state.revoke_target.set(Some(session.clone()));
                }
            >
                "Revoke"
            </button>
        </form>
    })
}

/// View (N): opens the session's detail dialog; N is how many properties its payload has.
#[component]
pub fn ViewButton(session_id: String, attribute_count: i64) -> impl IntoView {
    let state = use_console();
    view! {
        <button
            type="button"
            class="button small"
            on:click=move |_| state.detail_target.set(Some(session_id.clone()))
        >
            {format!("View ({attribute_count})")}
        </button>
    }
}

//! The session detail dialog behind **View (N)**: every fact about one session, its payload only on request
//! (audited), a copy as JSON, the ids under **Advanced**, and a new expiry. A native modal `dialog`: Escape
//! closes it, focus stays inside while open and returns to the View button after.

mod facts;
mod payload;
mod ttl;

use leptos::either::EitherOf3;
use leptos::html::Dialog;
use leptos::prelude::*;
use serde::Serialize;

use super::state::use_console;
use crate::api::sessions::detail::LoadSessionDetail;
use crate::api::sessions::reveal::RevealSessionPayload;
use crate::components::modal::modal_while;
use crate::session_detail::{RevealedPayload, SessionDetail};

#[component]
pub fn DetailDialog() -> impl IntoView {
    let state = use_console();
    let dialog = NodeRef::<Dialog>::new();
    modal_while(dialog, move || state.detail_target.with(Option::is_some));
    let load = ServerAction::<LoadSessionDetail>::new();
    let reveal = ServerAction::<RevealSessionPayload>::new();
    let advanced = RwSignal::new(false);
    let ttl_open = RwSignal::new(false);
    // Each opening starts afresh: nothing revealed, nothing expanded.
    Effect::new(move |_| {
        if let Some(session_id) = state.detail_target.get() {
            reveal.value().set(None);
            advanced.set(false);
            ttl_open.set(false);
            load.dispatch(LoadSessionDetail { session_id });
        }
    });
    let reload = Callback::new(move |()| {
        if let Some(session_id) = state.detail_target.get_untracked() {
            load.dispatch(LoadSessionDetail { session_id });
        }
    });
    // An answer for a session other than the one now open (a slow earlier request) is not shown.
    let shown = move || {
        let target = state.detail_target.get()?;
        match load.value().get()? {
            Ok(detail) if detail.id != target => None,
            outcome => Some(outcome),
        }
    };
    let body = move || match shown() {
        None => EitherOf3::A(view! { <p class="loading">"Loading…"</p> }),
        Some(Ok(detail)) => EitherOf3::B(view! { <DetailBody detail reveal advanced ttl_open reload/> }),
        Some(Err(error)) => {
            EitherOf3::C(view! { <p role="alert" class="form-error">{error.to_string()}</p> })
        }
    };
    view! {
        <dialog
            node_ref=dialog
            class="detail"
            aria-labelledby="detail-title"
            on:close=move |_| state.detail_target.set(None)
        >
            <div class="detail-head">
                <h2 id="detail-title">"Session details"</h2>
                <button type="button" class="button small" on:click=move |_| state.detail_target.set(None)>"Close"</button>
            </div>
            {body}
        </dialog>
    }
}

#[component]
fn DetailBody(
    detail: SessionDetail,
    reveal: ServerAction<RevealSessionPayload>,
    advanced: RwSignal<bool>,
    ttl_open: RwSignal<bool>,
    reload: Callback<()>,
) -> impl IntoView {
    let state = use_console();
    let revealed = move || reveal.value().get().and_then(Result::ok);
    let copy = {
        let detail = detail.clone();
        move |_| {
            let text = copied_json(&detail, revealed().as_ref());
            leptos::task::spawn_local(async move {
                let outcome = crate::browser::copy_text(text).await;
                state.toast.set(Some(match outcome {
                    Ok(()) => "Session details copied to the clipboard.".to_string(),
                    Err(message) => message,
                }));
            });
        }
    };
    let can_change_ttl = detail.can_manage && detail.is_active();
    let (for_advanced, for_ttl) = (detail.clone(), detail.clone());
    view! {
        <facts::Facts detail=detail.clone()/>
        <div class="detail-actions">
            <payload::RevealButton detail=detail.clone() reveal/>
            <button type="button" class="button" on:click=copy>"Copy"</button>
            <DisclosureButton label="Advanced" controls="detail-advanced" open=advanced/>
            <Show when=move || can_change_ttl>
                <DisclosureButton label="Update payload TTL" controls="detail-ttl" open=ttl_open/>
            </Show>
        </div>
        <Show when=move || advanced.get()>
            <facts::Advanced detail=for_advanced.clone()/>
        </Show>
        <Show when=move || ttl_open.get()>
            <ttl::TtlForm detail=for_ttl.clone() open=ttl_open reload/>
        </Show>
        <payload::RevealedPayloadView reveal/>
    }
}

/// A button that shows and hides the part of the dialog it `controls`.
#[component]
fn DisclosureButton(label: &'static str, controls: &'static str, open: RwSignal<bool>) -> impl IntoView {
    view! {
        <button
            type="button"
            class="button"
            aria-expanded=move || open.get().to_string()
            aria-controls=controls
            on:click=move |_| open.update(|shown| *shown = !*shown)
        >
            {label}
        </button>
    }
}

/// What **Copy** puts on the clipboard: the detail, and the payload once revealed.
#[derive(Serialize)]
struct Copied<'a> {
    session: &'a SessionDetail,
    payload: Option<serde_json::Value>,
}

fn copied_json(detail: &SessionDetail, revealed: Option<&RevealedPayload>) -> String {
    let payload = revealed.and_then(|revealed| serde_json::from_str(&revealed.json).ok());
    serde_json::to_string_pretty(&Copied { session: detail, payload }).unwrap_or_default()
}

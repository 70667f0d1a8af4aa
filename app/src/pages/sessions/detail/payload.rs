//! The payload stays hidden until **View session content**, which calls its own audited server function.

use leptos::prelude::*;

use crate::api::sessions::reveal::RevealSessionPayload;
use crate::session_detail::SessionDetail;

#[component]
pub fn RevealButton(detail: SessionDetail, reveal: ServerAction<RevealSessionPayload>) -> impl IntoView {
    let note = if !detail.can_manage {
        Some("Only owners and admins can view session content.")
    } else if !detail.is_active() {
        Some("The payload was destroyed when the session ended.")
    } else {
        None
    };
    if let Some(note) = note {
        return leptos::either::Either::Left(view! { <p class="muted detail-note">{note}</p> });
    }
    let session_id = detail.id.clone();
    let shown = move || reveal.value().with(|value| matches!(value, Some(Ok(_))));
    leptos::either::Either::Right(view! {
        <Show when=move || !shown()>
            <button
                type="button"
                class="button primary"
                disabled=move || reveal.pending().get()
                on:click={
                    let session_id = session_id.clone();
                    move |_| {
                        reveal.dispatch(RevealSessionPayload { session_id: session_id.clone() });
                    }
                }
            >
                "View session content"
            </button>
        </Show>
    })
}

#[component]
pub fn RevealedPayloadView(reveal: ServerAction<RevealSessionPayload>) -> impl IntoView {
    move || {
        reveal.value().get().map(|outcome| match outcome {
            Ok(payload) => leptos::either::Either::Left(view! {
                <section class="detail-section" aria-labelledby="detail-payload">
                    <h3 id="detail-payload">{format!("Session payload ({} properties)", payload.attribute_count)}</h3>
                    <pre class="payload" tabindex="0">{payload.json}</pre>
                </section>
            }),
            Err(error) => leptos::either::Either::Right(view! { <p role="alert" class="form-error">{error.to_string()}</p> }),
        })
    }
}

//! A confirmation that ends someone's sessions because of someone else's decision: Logout All Devices and Disable
//! on the Users page, Logout All Devices on an alarm.

use leptos::html::Dialog;
use leptos::prelude::*;

use super::modal::modal_while;
use crate::team::MAX_REASON_CHARS;

/// A confirmation that ends someone's sessions for a reason: the target's facts, a required **Reason** (Confirm
/// stays disabled until one is typed) and **Tell the user why** (off by default). Open while `target` is set.
#[component]
pub fn ReasonDialog<T, F, V, C>(
    id: &'static str,
    title: &'static str,
    target: RwSignal<Option<T>>,
    facts: F,
    confirm: C,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> V + Copy + Send + Sync + 'static,
    V: IntoView + 'static,
    C: Fn(T, String, bool) + Copy + Send + Sync + 'static,
{
    let dialog = NodeRef::<Dialog>::new();
    let reason = RwSignal::new(String::new());
    let tell_user = RwSignal::new(false);
    modal_while(dialog, move || target.with(Option::is_some));
    let close = move || {
        target.set(None);
        reason.set(String::new());
        tell_user.set(false);
    };
    let on_confirm = move |_| {
        if let Some(user) = target.get_untracked() {
            confirm(user, reason.get_untracked(), tell_user.get_untracked());
        }
        close();
    };
    view! {
        <dialog node_ref=dialog class="confirm" aria-labelledby=id on:close=move |_| close()>
            <h2 id=id>{title}</h2>
            {move || target.get().map(facts)}
            <label class="field">
                "Reason"
                <input
                    type="text"
                    required
                    maxlength=MAX_REASON_CHARS
                    placeholder="For example: Security concern"
                    prop:value=move || reason.get()
                    on:input=move |event| reason.set(event_target_value(&event))
                />
            </label>
            // Off by default: the user's sign-in page and the app API show the reason only when ticked.
            <label class="choice">
                <input
                    type="checkbox"
                    prop:checked=move || tell_user.get()
                    on:change=move |event| tell_user.set(event_target_checked(&event))
                />
                "Tell the user why"
            </label>
            <div class="dialog-actions">
                <button type="button" class="button" on:click=move |_| close()>"Cancel"</button>
                <button type="button" class="button danger" disabled=move || reason.with(|text| text.trim().is_empty()) on:click=on_confirm>
                    "Confirm"
                </button>
            </div>
        </dialog>
    }
}

//! A secret shown once (a webhook's signing secret; an API key or token): a read-only textbox with the name
//! given, **Copy**, and a line saying it will not be shown again.

use leptos::prelude::*;

#[component]
pub fn ShownOnce(label: &'static str, value: String, note: &'static str) -> impl IntoView {
    let copied = RwSignal::new(None::<String>);
    let text = StoredValue::new(value.clone());
    let copy = move |_| {
        let text = text.get_value();
        leptos::task::spawn_local(async move {
            copied.set(Some(match crate::browser::copy_text(text).await {
                Ok(()) => "Copied.".into(),
                Err(problem) => problem,
            }));
        });
    };
    view! {
        <div class="shown-once">
            <label class="field">
                {label}
                <input type="text" readonly prop:value=value spellcheck="false" autocomplete="off"/>
            </label>
            <button type="button" class="button" on:click=copy>"Copy"</button>
            <p class="hint">{note}</p>
            <p class="hint" aria-live="polite">{move || copied.get()}</p>
        </div>
    }
}

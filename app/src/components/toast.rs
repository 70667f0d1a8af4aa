//! Outcomes of actions, announced politely to screen readers and shown for a few seconds.

use leptos::prelude::*;

#[component]
pub fn Toast(message: RwSignal<Option<String>>) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let hide_later = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
        Effect::new(move |_| {
            if message.with(Option::is_some) {
                let timer = gloo_timers::callback::Timeout::new(6_000, move || message.set(None));
                hide_later.set_value(Some(timer));
            }
        });
    }
    view! {
        <div class="toast" role="status" aria-live="polite" class:shown=move || message.with(Option::is_some)>
            {move || message.get()}
        </div>
    }
}

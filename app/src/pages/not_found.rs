use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::hydration_mark::mark_hydrated;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    mark_hydrated();
    view! {
        <Title text="Not found"/>
        <section class="page">
            <h1>"Page not found"</h1>
            <p><a href="/">"Back to Roster"</a></p>
        </section>
    }
}

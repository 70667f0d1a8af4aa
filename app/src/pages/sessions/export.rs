//! **Export**: a JSON file of exactly the rows on screen, as **Data only** or **Include metadata**. The button
//! is part of the page; the menu behind it, and the download, are a chunk loaded once the page is interactive.

use leptos::prelude::*;

use super::state::use_console;
use crate::api::sessions::export::ExportSessions;
use crate::browser::download_json;
use crate::components::later::after_hydration;
use crate::session_detail::ExportFormat;

/// Shared by the button and the menu it opens.
#[derive(Clone, Copy)]
struct ExportControls {
    open: RwSignal<bool>,
    /// An export is on its way; the button waits for it.
    busy: RwSignal<bool>,
}

#[component]
pub fn ExportMenu() -> impl IntoView {
    let controls = ExportControls { open: RwSignal::new(false), busy: RwSignal::new(false) };
    provide_context(controls);
    let ExportControls { open, busy } = controls;
    view! {
        <div
            class="menu-wrap"
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    open.set(false);
                }
            }
        >
            <button
                type="button"
                class="button"
                aria-expanded=move || open.get().to_string()
                aria-controls="export-menu"
                disabled=move || busy.get()
                on:click=move |_| open.update(|shown| *shown = !*shown)
            >
                "Export"
            </button>
            {after_hydration(export_choices)}
        </div>
    }
}

#[lazy]
fn export_choices() -> AnyView {
    view! { <ExportChoices/> }.into_any()
}

#[component]
fn ExportChoices() -> impl IntoView {
    let state = use_console();
    let ExportControls { open, busy } = expect_context::<ExportControls>();
    let export = ServerAction::<ExportSessions>::new();
    Effect::new(move |_| busy.set(export.pending().get()));
    let filename = StoredValue::new(String::new());
    let run = move |format: ExportFormat| {
        let query = state.query.get_untracked();
        filename.set_value(format!("roster-sessions-page-{}-{}.json", query.page, format.file_label()));
        export.dispatch(ExportSessions { query, format });
        open.set(false);
    };
    Effect::new(move |_| {
        let Some(outcome) = export.value().get() else {
            return;
        };
        let name = filename.get_value();
        let message = match outcome.map_err(|error| error.to_string()) {
            Ok(json) => download_json(&name, &json).map(|()| format!("Downloaded {name}.")),
            Err(message) => Err(message),
        };
        state.toast.set(Some(message.unwrap_or_else(|message| message)));
    });
    view! {
        <Show when=move || open.get()>
            <div class="menu" id="export-menu">
                <button type="button" class="button" on:click=move |_| run(ExportFormat::DataOnly)>"Data only"</button>
                <button type="button" class="button" on:click=move |_| run(ExportFormat::IncludeMetadata)>
                    "Include metadata"
                </button>
            </div>
        </Show>
    }
}

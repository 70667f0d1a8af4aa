//! **Export**: a JSON file of exactly the rows on screen, as **Data only** or **Include metadata**.

use leptos::prelude::*;

use super::state::use_console;
use crate::api::sessions::export::ExportSessions;
use crate::browser::download_json;
use crate::session_detail::ExportFormat;

#[component]
pub fn ExportMenu() -> impl IntoView {
    let state = use_console();
    let open = RwSignal::new(false);
    let export = ServerAction::<ExportSessions>::new();
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
                disabled=move || export.pending().get()
                on:click=move |_| open.update(|shown| *shown = !*shown)
            >
                "Export"
            </button>
            <Show when=move || open.get()>
                <div class="menu" id="export-menu">
                    <button type="button" class="button" on:click=move |_| run(ExportFormat::DataOnly)>"Data only"</button>
                    <button type="button" class="button" on:click=move |_| run(ExportFormat::IncludeMetadata)>
                        "Include metadata"
                    </button>
                </div>
            </Show>
        </div>
    }
}

//! The browser entry point: hydrate the server-rendered console.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy, not `hydrate_body`: a route whose code is a separate chunk (`/login`, `/my/sessions`) is hydrated
    // once that chunk has arrived, rather than against a page the browser cannot yet render.
    leptos::mount::hydrate_lazy(app::App);
}

/// Spare room in the WASM's read-only data, for `cargo leptos build --split`. The splitter moves the data that
/// only a chunk uses into that chunk and repacks the rest, realigned, into the main module's segment. When the
/// repacked data comes out even a byte longer than the original segment, it gives up and keeps all of it in the
/// main module (20 KB of the chunks' text: seen with wasm_split_cli_support's "Overlong segment … by 467"
/// warning). Nothing uses these bytes, so the splitter leaves them out, and their room absorbs the growth.
#[used]
static SPLIT_DATA_SLACK: [u8; 4096] = [0x5a; 4096];

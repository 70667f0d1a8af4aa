//! The browser entry point: hydrate the server-rendered console.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy, not `hydrate_body`: a route whose code is a separate chunk (`/login`, `/my/sessions`) is hydrated
    // once that chunk has arrived, rather than against a page the browser cannot yet render.
    leptos::mount::hydrate_lazy(app::App);
}

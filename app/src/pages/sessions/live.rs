//! In the browser only: the layout followed as the window resizes, and `/` jumps to the search box.

use leptos::prelude::*;

/// The phone layout's breakpoint, as in the stylesheet.
#[cfg(feature = "hydrate")]
const PHONE_MAX_WIDTH: f64 = 767.0;

/// Follows the window's width: below the breakpoint only the cards get rows, above it only the table.
pub fn follow_layout() {
    #[cfg(feature = "hydrate")]
    {
        use super::state::Layout;
        let state = super::state::use_console();
        let measure = move || {
            let width = window().inner_width().ok().and_then(|width| width.as_f64()).unwrap_or(1024.0);
            let layout = if width <= PHONE_MAX_WIDTH { Layout::Cards } else { Layout::Table };
            if state.layout.get_untracked() != layout {
                state.layout.set(layout);
            }
        };
        Effect::new(move |_| measure());
        let handle = window_event_listener(leptos::ev::resize, move |_| measure());
        on_cleanup(move || handle.remove());
    }
}

/// `/` focuses `input` unless the person is typing somewhere already.
pub fn slash_focuses(input: NodeRef<leptos::html::Input>) {
    let handle = window_event_listener(leptos::ev::keydown, move |event| {
        use wasm_bindgen::JsCast;
        let typing = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|element| matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if event.key() == "/" && !typing && !event.ctrl_key() && !event.meta_key() {
            if let Some(input) = input.get_untracked() {
                event.prevent_default();
                let _ = input.focus();
            }
        }
    });
    on_cleanup(move || handle.remove());
}

//! In the browser only: the page refetches itself every moment (the count, the rows), and `/` jumps to the
//! search box.

use leptos::prelude::*;

/// How often the page asks for its data again; DESIGN promises changes within 2 seconds.
#[cfg(feature = "hydrate")]
const REFRESH_EVERY_MS: u32 = 1_500;

pub fn refresh_every_moment() {
    #[cfg(feature = "hydrate")]
    {
        let state = super::state::use_console();
        let timer = gloo_timers::callback::Interval::new(REFRESH_EVERY_MS, move || {
            // A hidden tab does not poll; it catches up when shown again.
            if !document().hidden() {
                state.refresh.update(|n| *n += 1);
            }
        });
        // The timer lives as long as the page: dropping it stops it.
        let timer = StoredValue::new_local(Some(timer));
        on_cleanup(move || timer.update_value(|timer| drop(timer.take())));
    }
}

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

//! `data-hydrated="true"` on the body once a page's own content answers clicks and keys: end-to-end tests wait
//! for it before they type. A page behind the sign-in check hydrates its content only when that check's
//! Suspense resolves, a task later than the shell, so each page sets the mark from its content, not the App.
//! The same moment switches the page's times to the viewer's zone (`time_zone`).

use leptos::prelude::*;

/// Call from the component whose content must be live; the effect runs after that content is hydrated.
pub fn mark_hydrated() {
    let zone = crate::time_zone::use_viewer_zone();
    Effect::new(move |_| {
        zone.learn_from_browser();
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

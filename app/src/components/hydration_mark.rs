//! `data-hydrated="true"` on the body once a page's own content answers clicks and keys: end-to-end tests wait
//! for it before they type. A page behind the sign-in check hydrates its content only when that check's
//! Suspense resolves, a task later than the shell, so each page sets the mark from its content, not the App.

use leptos::prelude::*;

/// Call from the component whose content must be live; the effect runs after that content is hydrated.
pub fn mark_hydrated() {
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

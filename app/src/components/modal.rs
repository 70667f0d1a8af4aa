//! Native modal `dialog`s driven by a signal: Escape closes them, focus stays inside while open and returns to
//! the button that opened them.

use leptos::html::Dialog;
use leptos::prelude::*;

/// Opens `dialog` as a modal while `open` is true; closing it any way (Escape, Cancel) makes `open` false.
pub fn modal_while(dialog: NodeRef<Dialog>, open: impl Fn() -> bool + Send + Sync + 'static) {
    Effect::new(move |_| {
        let Some(element) = dialog.get() else {
            return;
        };
        match (open(), element.open()) {
            (true, false) => {
                let _ = element.show_modal();
            }
            (false, true) => element.close(),
            _ => {}
        }
    });
}

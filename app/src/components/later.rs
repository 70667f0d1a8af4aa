//! Parts of a page that only the browser uses and that the first paint does without: closed dialogs, a closed
//! menu. The server renders nothing for them. Once the page is interactive, the browser fetches their code, a
//! separate WASM chunk (a `#[lazy]` function, split off by `cargo leptos build --split`), and mounts them. So
//! their bytes never delay the first interaction, and they are in place before anyone can click what opens them.

use std::future::Future;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

/// Mounts the view that `load` resolves to, after hydration. `load` is a `#[lazy]` function.
pub fn after_hydration<Load, Fut>(load: Load) -> impl IntoView
where
    Load: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = AnyView> + 'static,
{
    let hydrated = RwSignal::new(false);
    // Effects never run on the server, and in the browser only once hydration is done.
    Effect::new(move |_| hydrated.set(true));
    // `Suspend` runs `load` under this owner, so the loaded components find the page's context.
    move || hydrated.get().then(|| Suspend::new(SendWrapper::new(load())))
}

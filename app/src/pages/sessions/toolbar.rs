//! Search as you type, the Status and App filters, Show/Hide Tokens, Refresh and Kill All. Without JavaScript
//! the same form is a plain GET of `/sessions`.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use super::live::slash_focuses;
use super::state::use_console;
use crate::model::SessionPage;
use crate::session_query::{Direction, SessionQuery, SortKey, StatusFilter};

/// Keys closer together than this are one burst: the first key of a burst asks the server at once, the rest
/// wait until the typing pauses this long and then ask once for the whole text.
#[cfg(feature = "hydrate")]
const SEARCH_DEBOUNCE_MS: u32 = 40;

#[component]
pub fn Toolbar(data: Memo<Option<SessionPage>>) -> impl IntoView {
    let state = use_console();
    let navigate = use_navigate();
    let go = move |query: SessionQuery, replace: bool| {
        navigate(
            &query.first_page().to_url(),
            NavigateOptions { replace, scroll: false, ..Default::default() },
        );
    };
    // The typed text shows at once; the URL (and so the request) follows at once for a key typed after a pause,
    // and at the end of a burst of fast keys.
    let typed = RwSignal::new(state.query.get_untracked().q);
    let search_input = NodeRef::<leptos::html::Input>::new();
    slash_focuses(search_input);
    let search_later = {
        let go = go.clone();
        #[cfg(feature = "hydrate")]
        let pending = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
        #[cfg(feature = "hydrate")]
        let last_key_ms = StoredValue::new_local(f64::NEG_INFINITY);
        move |text: String| {
            let go = go.clone();
            let run = move || {
                let mut query = state.query.get_untracked();
                query.q = text;
                go(query, true);
            };
            #[cfg(feature = "hydrate")]
            {
                let now = js_sys::Date::now();
                let in_burst = now - last_key_ms.get_value() < f64::from(SEARCH_DEBOUNCE_MS);
                last_key_ms.set_value(now);
                if in_burst {
                    // Replacing the timeout drops (cancels) the one before it.
                    pending.set_value(Some(gloo_timers::callback::Timeout::new(SEARCH_DEBOUNCE_MS, run)));
                } else {
                    pending.set_value(None);
                    run();
                }
            }
            #[cfg(not(feature = "hydrate"))]
            run();
        }
    };
    let on_status = {
        let go = go.clone();
        move |event| {
            let mut query = state.query.get_untracked();
            query.status = StatusFilter::ALL
                .into_iter()
                .find(|status| status.as_str() == event_target_value(&event))
                .unwrap_or_default();
            go(query, false);
        }
    };
    let on_app = {
        let go = go.clone();
        move |event| {
            let mut query = state.query.get_untracked();
            query.app = event_target_value(&event);
            go(query, false);
        }
    };
    let on_sort = {
        let go = go.clone();
        move |event| {
            let chosen = event_target_value(&event);
            if let Some((key, direction, _)) =
                PHONE_SORTS.iter().find(|(key, direction, _)| sort_value(*key, *direction) == chosen)
            {
                let mut query = state.query.get_untracked();
                query.sort = *key;
                query.dir = *direction;
                go(query, false);
            }
        }
    };
    let apps = move || data.with(|page| page.as_ref().map(|page| page.apps.clone()).unwrap_or_default());
    let active_count = move || data.with(|page| page.as_ref().map_or(0, |page| page.active_count));
    view! {
        <form class="toolbar" role="search" method="get" action="/sessions" on:submit=|event| event.prevent_default()>
            <input
                type="search"
                name="q"
                class="search"
                aria-label="Search sessions"
                placeholder="Search user, email, app, IP or id"
                autocomplete="off"
                node_ref=search_input
                prop:value=move || typed.get()
                value=state.query.get_untracked().q
                on:input=move |event| {
                    let text = event_target_value(&event);
                    typed.set(text.clone());
                    search_later(text);
                }
            />
            <label class="filter">
                "Status"
                <select name="status" on:change=on_status>
                    {StatusFilter::ALL
                        .into_iter()
                        .map(|status| {
                            view! {
                                <option value=status.as_str() selected=move || state.query.with(|q| q.status == status)>
                                    {status.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="filter">
                "App"
                <select name="app" on:change=on_app>
                    <option value="" selected=move || state.query.with(|q| q.app.is_empty())>"All apps"</option>
                    // Not keyed: a handful of options, and a keyed list's diffing code costs WASM.
                    {move || {
                        apps()
                            .into_iter()
                            .map(|app| {
                                let chosen = state.query.with_untracked(|q| q.app == app);
                                let label = app.clone();
                                view! { <option value=app selected=chosen>{label}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            // Phones have no column headers to click: the same sorts as a select.
            <label class="filter phone-only">
                "Sort by"
                <select on:change=on_sort>
                    {PHONE_SORTS
                        .iter()
                        .map(|(key, direction, label)| {
                            let (key, direction) = (*key, *direction);
                            view! {
                                <option
                                    value=sort_value(key, direction)
                                    selected=move || state.query.with(|q| q.sort == key && q.dir == direction)
                                >
                                    {*label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <div class="toolbar-actions">
                <button type="button" class="button" on:click=move |_| state.show_tokens.update(|shown| *shown = !*shown)>
                    {move || if state.show_tokens.get() { "Hide Tokens" } else { "Show Tokens" }}
                </button>
                <button type="button" class="button" on:click=move |_| state.refresh.update(|n| *n += 1)>"Refresh"</button>
                <Show when=move || state.can_revoke>
                    <super::export::ExportMenu/>
                </Show>
                <Show when=move || state.can_revoke>
                    <button
                        type="button"
                        class="button danger"
                        disabled=move || active_count() == 0
                        on:click=move |_| state.kill_all_open.set(true)
                    >
                        "Kill All"
                    </button>
                </Show>
            </div>
        </form>
    }
}

const PHONE_SORTS: [(SortKey, Direction, &str); 9] = [
    (SortKey::Created, Direction::Desc, "Newest first"),
    (SortKey::Created, Direction::Asc, "Oldest first"),
    (SortKey::LastActive, Direction::Desc, "Recently active"),
    (SortKey::User, Direction::Asc, "User A to Z"),
    (SortKey::User, Direction::Desc, "User Z to A"),
    (SortKey::App, Direction::Asc, "App A to Z"),
    (SortKey::Status, Direction::Asc, "Status"),
    (SortKey::Expires, Direction::Asc, "Expires soonest"),
    (SortKey::Expires, Direction::Desc, "Expires latest"),
];

fn sort_value(key: SortKey, direction: Direction) -> String {
    format!("{}:{}", key.as_str(), direction.as_str())
}

//! `/sessions/history`: ended sessions, newest end first, with how each ended, by whom and why; for everyone
//! who sees all sessions. The view (search, how it ended, order, page) lives in the URL; a session ended
//! anywhere appears through the live event stream.

mod list;

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::history::list_history;
use crate::components::live_events::use_live_events;
use crate::components::pager::{ListPager, PagerState};
use crate::components::require_user::RequireUser;
use crate::history::{EndedHow, HistoryPage, HistoryQuery};
use crate::routes;
use crate::time_zone::ZoneNote;

#[component]
pub fn HistoryRoutePage() -> impl IntoView {
    view! { <RequireUser page=&routes::HISTORY children=|_| view! { <History/> }/> }
}

#[component]
fn History() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|map| HistoryQuery::from_params(|name| map.get(name))));
    let live = use_live_events();
    let page = Resource::new(move || (query.get(), live.sessions.get()), |(query, _)| list_history(query));
    let data = Memo::new(move |_| page.get().and_then(Result::ok));
    let pager = Memo::new(move |_| {
        data.with(|page| {
            page.as_ref().map(|page: &HistoryPage| PagerState {
                page: page.query.page,
                size: page.query.size,
                shown: page.rows.len(),
                total: page.total,
                total_is_exact: page.total_is_exact,
                unit: "ended sessions",
            })
        })
    });
    view! {
        <section class="page history">
            <div class="page-head">
                <div>
                    <h1>"Session history"</h1>
                    <p class="subtitle">"Ended sessions: who ended each, when and why."</p>
                </div>
            </div>
            <Toolbar query/>
            <ZoneNote/>
            <Transition fallback=|| view! { <p class="loading">"Loading history…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(_) => Either::Left(view! {
                            <list::HistoryTable data query/>
                            <list::HistoryCards data/>
                            <ListPager state=pager url=|page, size| HistoryQuery { page, size, ..current_query() }.to_url()/>
                        }),
                        Err(error) => Either::Right(view! { <p role="alert" class="form-error">{error.to_string()}</p> }),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The query in the address bar now, for the pager's links (it keeps the search, the filter and the order).
fn current_query() -> HistoryQuery {
    let params = use_query_map();
    params.with_untracked(|map| HistoryQuery::from_params(|name| map.get(name)))
}

/// Search as you type and **Ended how** (a plain GET of the page without JavaScript).
#[component]
fn Toolbar(query: Memo<HistoryQuery>) -> impl IntoView {
    let navigate = use_navigate();
    let go = move |query: HistoryQuery| {
        navigate(&query.to_url(), NavigateOptions { replace: true, scroll: false, ..Default::default() });
    };
    let typed = RwSignal::new(query.get_untracked().q);
    let on_input = {
        let go = go.clone();
        move |event| {
            let text = event_target_value(&event);
            typed.set(text.clone());
            go(HistoryQuery { q: text, page: 1, ..query.get_untracked() });
        }
    };
    let on_how = move |event| {
        let how = EndedHow::parse(&event_target_value(&event));
        go(HistoryQuery { how, page: 1, ..query.get_untracked() });
    };
    view! {
        <form class="toolbar" role="search" method="get" action=routes::HISTORY.path on:submit=|event| event.prevent_default()>
            <input
                type="search"
                name="q"
                class="search"
                aria-label="Search history"
                placeholder="Search email, name, session id or IP"
                autocomplete="off"
                prop:value=move || typed.get()
                value=query.get_untracked().q
                on:input=on_input
            />
            <label class="filter">
                "Ended how"
                <select name="how" on:change=on_how>
                    <option value="" selected=move || query.with(|q| q.how.is_none())>"All"</option>
                    {EndedHow::ALL
                        .into_iter()
                        .map(|how| view! { <option value=how.as_str() selected=move || query.with(|q| q.how == Some(how))>{how.label()}</option> })
                        .collect_view()}
                </select>
            </label>
        </form>
    }
}

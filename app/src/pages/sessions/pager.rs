//! Which rows these are of how many, Previous/Next page, and rows per page.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use super::state::use_console;
use crate::format::thousands;
use crate::model::SessionPage;
use crate::session_query::{SessionQuery, PAGE_SIZES};

fn page_count(page: &SessionPage) -> u32 {
    let size = i64::from(page.query.size);
    u32::try_from(((page.total + size - 1) / size).max(1)).unwrap_or(u32::MAX)
}

fn summary(page: &SessionPage) -> String {
    let first = i64::from(page.query.page - 1) * i64::from(page.query.size);
    let total = if page.total_is_exact {
        format!("{} sessions", thousands(page.total))
    } else {
        format!("more than {} sessions", thousands(page.total))
    };
    if page.rows.is_empty() {
        return format!("0 of {total}");
    }
    format!("{}–{} of {total}", thousands(first + 1), thousands(first + page.rows.len() as i64))
}

#[component]
pub fn Pager(data: Memo<Option<SessionPage>>) -> impl IntoView {
    let state = use_console();
    let navigate = use_navigate();
    let go = move |query: SessionQuery| {
        navigate(&query.to_url(), NavigateOptions { scroll: false, ..Default::default() });
    };
    let current = move || state.query.with(|query| query.page);
    let last = move || data.with(|page| page.as_ref().map_or(1, page_count));
    // "More than 1,000" has no last page: the pages offered are the first matches only.
    let exact = move || data.with(|page| page.as_ref().is_some_and(|page| page.total_is_exact));
    // The four buttons share one handler and one check, told apart by a plain function of (current page, last
    // page, whether the total is exact): one closure type instead of four keeps their code out of the WASM.
    let target = move |to: fn(u32, u32) -> u32| to(current(), last());
    let allowed = move |to: fn(u32, u32) -> u32| {
        let (now, last, wanted) = (current(), last(), target(to));
        wanted >= 1 && wanted <= last && wanted != now && (exact() || wanted != last || now + 1 == last)
    };
    let button = {
        let go = go.clone();
        move |label: &'static str, to: fn(u32, u32) -> u32| {
            let go = go.clone();
            let open = move |_: leptos::ev::MouseEvent| {
                let mut query = state.query.get_untracked();
                query.page = target(to);
                go(query);
            };
            view! { <button type="button" class="button" disabled=move || !allowed(to) on:click=open>{label}</button> }
        }
    };
    let on_size = move |event| {
        let mut query = state.query.get_untracked();
        query.size = event_target_value(&event).parse().unwrap_or(query.size);
        go(query.first_page());
    };
    view! {
        <nav class="pager" aria-label="Pages">
            <span class="pager-summary" data-testid="pager-summary">
                {move || data.with(|page| page.as_ref().map(summary))}
            </span>
            {button("First page", |_, _| 1)}
            {button("Previous page", |now, _| now.saturating_sub(1))}
            <span class="pager-page">{move || {
                    let more = if exact() { "" } else { "+" };
                    format!("Page {} of {}{more}", current(), thousands(i64::from(last())))
                }}</span>
            {button("Next page", |now, _| now + 1)}
            {button("Last page", |_, last| last)}
            <label class="filter">
                "Rows per page"
                <select on:change=on_size>
                    {PAGE_SIZES
                        .into_iter()
                        .map(|size| {
                            view! {
                                <option value=size.to_string() selected=move || state.query.with(|q| q.size == size)>
                                    {size.to_string()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
        </nav>
    }
}

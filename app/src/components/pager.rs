//! Which rows these are of how many, Previous/Next page and rows per page, for the lists whose view lives in the
//! URL (History, Audit log): the page says how to build the URL of another page or size.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::format::thousands;
use crate::session_query::PAGE_SIZES;

/// Where a list stands, as its pager shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PagerState {
    /// 1-based.
    pub page: u32,
    pub size: u32,
    /// Rows on this page.
    pub shown: usize,
    pub total: i64,
    /// False when `total` is a lower bound ("more than 10,000").
    pub total_is_exact: bool,
    /// "sessions", "events".
    pub unit: &'static str,
}

impl PagerState {
    fn last_page(&self) -> u32 {
        let size = i64::from(self.size.max(1));
        u32::try_from(((self.total + size - 1) / size).max(1)).unwrap_or(u32::MAX)
    }

    fn summary(&self) -> String {
        let first = i64::from(self.page.saturating_sub(1)) * i64::from(self.size);
        let more = if self.total_is_exact { "" } else { "more than " };
        let total = format!("{more}{} {}", thousands(self.total), self.unit);
        if self.shown == 0 {
            return format!("0 of {total}");
        }
        format!("{}–{} of {total}", thousands(first + 1), thousands(first + self.shown as i64))
    }
}

/// `url(page, size)` is the list's URL showing that page at that size; `fixed_size` hides **Rows per page**.
#[component]
pub fn ListPager(
    state: Memo<Option<PagerState>>,
    url: fn(u32, u32) -> String,
    #[prop(optional)] fixed_size: bool,
) -> impl IntoView {
    let navigate = use_navigate();
    let go = move |page: u32, size: u32| {
        navigate(&url(page, size), NavigateOptions { scroll: false, ..Default::default() });
    };
    let now = move || state.with(|s| s.as_ref().map_or((1, 50, 1), |s| (s.page, s.size, s.last_page())));
    let step = {
        let go = go.clone();
        move |label: &'static str, delta: i64| {
            let go = go.clone();
            let target = move || {
                let (page, _, last) = now();
                let wanted = i64::from(page) + delta;
                (1..=i64::from(last)).contains(&wanted).then_some(wanted as u32)
            };
            view! {
                <button
                    type="button"
                    class="button"
                    disabled=move || target().is_none()
                    on:click=move |_| {
                        if let Some(page) = target() {
                            go(page, now().1);
                        }
                    }
                >
                    {label}
                </button>
            }
        }
    };
    let on_size = move |event| {
        if let Ok(size) = event_target_value(&event).parse() {
            go(1, size);
        }
    };
    view! {
        <nav class="pager" aria-label="Pages">
            <span class="pager-summary" data-testid="pager-summary">
                {move || state.with(|s| s.as_ref().map(PagerState::summary))}
            </span>
            {step("Previous page", -1)}
            <span class="pager-page">{move || {
                let (page, _, last) = now();
                let more = if state.with(|s| s.as_ref().is_some_and(|s| s.total_is_exact)) { "" } else { "+" };
                format!("Page {page} of {}{more}", thousands(i64::from(last)))
            }}</span>
            {step("Next page", 1)}
            {(!fixed_size).then(|| view! {
                <label class="filter">
                    "Rows per page"
                    <select on:change=on_size>
                        {PAGE_SIZES
                            .into_iter()
                            .map(|size| view! { <option value=size.to_string() selected=move || now().1 == size>{size}</option> })
                            .collect_view()}
                    </select>
                </label>
            })}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::PagerState;

    #[test]
    fn the_summary_says_which_rows_of_how_many() {
        let state =
            PagerState { page: 2, size: 25, shown: 25, total: 60, total_is_exact: true, unit: "events" };
        assert_eq!(state.summary(), "26–50 of 60 events");
        assert_eq!(state.last_page(), 3);
        let capped = PagerState { total: 10_000, total_is_exact: false, ..state.clone() };
        assert_eq!(capped.summary(), "26–50 of more than 10,000 events");
        assert_eq!(PagerState { shown: 0, total: 0, ..state }.summary(), "0 of 0 events");
    }
}

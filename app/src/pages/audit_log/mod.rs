//! `/audit`: the audit log, newest first, for owners and admins: searched, filtered by action, paged, and the
//! check of the whole hash chain with its progress. The view lives in the URL; new records appear through the
//! live event stream.

mod list;

use std::time::Duration;

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::audit_log::{chain_check_progress, list_audit, verify_chain};
use crate::audit_log::{AuditLogPage, AuditLogQuery, ChainCheck, ACTIONS, SEARCH_MIN_CHARS};
use crate::components::live_events::use_live_events;
use crate::components::pager::{ListPager, PagerState};
use crate::components::require_user::RequireUser;
use crate::error::ConsoleError;
use crate::routes;
use crate::time_zone::ZoneNote;

/// How often the page asks how far a running chain check got.
const PROGRESS_EVERY: Duration = Duration::from_millis(400);

#[component]
pub fn AuditLogRoutePage() -> impl IntoView {
    view! { <RequireUser page=&routes::AUDIT children=|_| view! { <AuditLog/> }/> }
}

#[component]
fn AuditLog() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|map| AuditLogQuery::from_params(|name| map.get(name))));
    let live = use_live_events();
    // Every action that changes sessions or users writes a record: those topics mean new records.
    let page = Resource::new(
        move || (query.get(), live.sessions.get(), live.users.get()),
        |(query, ..)| list_audit(query),
    );
    let data = Memo::new(move |_| page.get().and_then(Result::ok));
    let pager = Memo::new(move |_| {
        data.with(|page| {
            page.as_ref().map(|page: &AuditLogPage| PagerState {
                page: page.query.page,
                size: page.query.size,
                shown: page.rows.len(),
                total: page.total,
                total_is_exact: page.total_is_exact,
                unit: "records",
            })
        })
    });
    view! {
        <section class="page audit-log">
            <div class="page-head">
                <div>
                    <h1>"Audit log"</h1>
                    <p class="subtitle">"Every sensitive action, in a hash chain that shows any edit or deletion."</p>
                </div>
                <ChainCheckControl/>
            </div>
            <Toolbar query/>
            <ZoneNote/>
            <Transition fallback=|| view! { <p class="loading">"Loading the audit log…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(_) => Either::Left(view! {
                            <list::AuditTable data/>
                            <list::AuditCards data/>
                            <ListPager state=pager url=|page, size| AuditLogQuery { page, size, ..current_query() }.to_url()/>
                        }),
                        Err(error) => Either::Right(view! { <p role="alert" class="form-error">{error.to_string()}</p> }),
                    }
                })}
            </Transition>
        </section>
    }
}

fn current_query() -> AuditLogQuery {
    use_query_map().with_untracked(|map| AuditLogQuery::from_params(|name| map.get(name)))
}

/// **Verify chain** and what the check says, with its progress while it runs.
#[component]
fn ChainCheckControl() -> impl IntoView {
    let check = RwSignal::new(None::<Result<ChainCheck, ConsoleError>>);
    let start = Action::new(|_: &()| verify_chain());
    let progress = Action::new(|_: &()| chain_check_progress());
    let follow = move |outcome: Option<Result<ChainCheck, ConsoleError>>| {
        let Some(outcome) = outcome else { return };
        if matches!(&outcome, Ok(state) if state.is_running()) {
            set_timeout(
                move || {
                    progress.dispatch(());
                },
                PROGRESS_EVERY,
            );
        }
        check.set(Some(outcome));
    };
    Effect::new(move |_| follow(start.value().get()));
    Effect::new(move |_| follow(progress.value().get()));
    let running = move || check.with(|state| matches!(state, Some(Ok(state)) if state.is_running()));
    let message = move || {
        check.with(|state| match state {
            Some(Ok(state)) => state.message(),
            Some(Err(error)) => Some(error.to_string()),
            None => None,
        })
    };
    let broken = move || check.with(|state| matches!(state, Some(Ok(ChainCheck::Broken { .. }))));
    view! {
        <div class="chain-check">
            <button
                type="button"
                class="button primary"
                disabled=move || running() || start.pending().get()
                on:click=move |_| { start.dispatch(()); }
            >
                "Verify chain"
            </button>
            <p role="status" class="chain-status" class:broken=broken data-testid="chain-check">{message}</p>
        </div>
    }
}

/// Search as you type and **Action** (a plain GET of the page without JavaScript).
#[component]
fn Toolbar(query: Memo<AuditLogQuery>) -> impl IntoView {
    let navigate = use_navigate();
    let go = move |query: AuditLogQuery| {
        navigate(&query.to_url(), NavigateOptions { replace: true, scroll: false, ..Default::default() });
    };
    let typed = RwSignal::new(query.get_untracked().q);
    let on_input = {
        let go = go.clone();
        move |event| {
            let text = event_target_value(&event);
            typed.set(text.clone());
            go(AuditLogQuery { q: text, page: 1, ..query.get_untracked() });
        }
    };
    let on_action = move |event| {
        let action = Some(event_target_value(&event)).filter(|code| !code.is_empty());
        go(AuditLogQuery { action, page: 1, ..query.get_untracked() });
    };
    let too_short = move || typed.with(|text| (1..SEARCH_MIN_CHARS).contains(&text.trim().chars().count()));
    view! {
        <form class="toolbar" role="search" method="get" action=routes::AUDIT.path on:submit=|event| event.prevent_default()>
            <input
                type="search"
                name="q"
                class="search"
                aria-label="Search audit log"
                aria-describedby="audit-search-hint"
                placeholder="Search actor, target or reason"
                autocomplete="off"
                prop:value=move || typed.get()
                value=query.get_untracked().q
                on:input=on_input
            />
            <label class="filter">
                "Action"
                <select name="action" on:change=on_action>
                    <option value="" selected=move || query.with(|q| q.action.is_none())>"All"</option>
                    {ACTIONS
                        .into_iter()
                        .map(|(code, label)| {
                            view! { <option value=code selected=move || query.with(|q| q.action.as_deref() == Some(code))>{label}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            <p id="audit-search-hint" class="hint" class:visually-hidden=move || !too_short()>
                {format!("Type {SEARCH_MIN_CHARS} or more characters to search.")}
            </p>
        </form>
    }
}

//! `/sessions`: every session of every user in every app, for owners, admins and billing managers. The view
//! (search, filters, sort, page) lives in the URL; the page follows changes made anywhere through the live event
//! stream.

mod cards;
mod cells;
mod detail;
mod dialogs;
mod export;
mod heading;
mod live;
mod pager;
mod state;
mod table;
mod toolbar;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::sessions::list::list_sessions;
use crate::components::later::after_hydration;
use crate::components::live_events::use_live_events;
use crate::components::require_user::RequireUser;
use crate::components::toast::Toast;
use crate::model::{CurrentUser, SessionPage};
use crate::routes;
use crate::session_query::SessionQuery;
use state::ConsoleState;

#[component]
pub fn SessionsPage() -> impl IntoView {
    view! {
        <RequireUser page=&routes::SESSIONS children=|user| view! { <SessionsConsole user/> }/>
    }
}

#[component]
fn SessionsConsole(user: CurrentUser) -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|map| SessionQuery::from_params(|name| map.get(name))));
    let state = ConsoleState::new(query, user.role.ends_any_session());
    provide_context(state);
    // A newer query or refresh supersedes a pending one: the resource drops answers to older requests.
    let live = use_live_events();
    let page = Resource::new(
        move || (query.get(), state.refresh.get(), live.sessions.get()),
        |(query, _, _)| list_sessions(query),
    );
    view! {
        <section class="page sessions">
            <Transition fallback=|| view! { <p class="loading">"Loading sessions…"</p> }>
                <ConsoleBody page/>
            </Transition>
            {after_hydration(console_dialogs)}
            <Toast message=state.toast/>
        </section>
    }
}

/// The Revoke, Kill All and detail dialogs: a chunk of their own, loaded once the page is interactive.
#[lazy]
fn console_dialogs() -> AnyView {
    view! {
        <dialogs::RevokeDialog/>
        <dialogs::KillAllDialog/>
        <detail::DetailDialog/>
    }
    .into_any()
}

/// Rendered once; every part below follows the page's data through signals, so rows that did not change keep
/// their elements (and the keyboard focus) when the page refreshes.
#[component]
fn ConsoleBody(page: Resource<Result<SessionPage, crate::ConsoleError>>) -> impl IntoView {
    let data = Memo::new(move |_| page.get().and_then(Result::ok));
    let error = move || page.get().and_then(Result::err);
    live::follow_layout();
    let state = state::use_console();
    Effect::new(move |_| {
        if let Some(page) = data.get() {
            state.active_count.set(page.active_count);
            state.now_ms.set(page.now_ms);
        }
    });
    view! {
        <heading::Heading data/>
        <toolbar::Toolbar data/>
        {move || error().map(|error| view! { <p role="alert" class="form-error">{error.to_string()}</p> })}
        <table::SessionTable data/>
        <cards::SessionCards data/>
        <pager::Pager data/>
    }
}

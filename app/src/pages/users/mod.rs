//! `/users`: every user with their sessions' counts, for owners and admins; forcing a user out everywhere,
//! disabling and enabling, roles (owners), adding users, and signing out the whole team. The view (search, sort,
//! page) lives in the URL; the page follows changes made anywhere through the live event stream.

mod dialogs;
mod list;
mod state;

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::{lazy_route, LazyRoute, NavigateOptions};

use crate::components::require_user::RequireUser;
use crate::components::toast::Toast;
use crate::format::thousands;
use crate::model::CurrentUser;
use crate::routes;
use crate::session_query::PAGE_SIZES;
use crate::team::UserPage;
use crate::time_zone::ZoneNote;
use crate::user_query::{UserQuery, UserSortKey};
use state::{use_users, UsersState};

/// The route: its code is a chunk of its own, so the Sessions console does not carry it.
pub struct UsersRoute;

#[lazy_route]
impl LazyRoute for UsersRoute {
    fn data() -> Self {
        UsersRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <UsersPage/> }.into_any()
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <RequireUser page=&routes::USERS children=|user| view! { <TeamPage user/> }/>
    }
}

#[component]
fn TeamPage(user: CurrentUser) -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|map| UserQuery::from_params(|name| map.get(name))));
    let state = UsersState::new(user, query);
    provide_context(state);
    let data = Memo::new(move |_| state.page.get().and_then(Result::ok));
    view! {
        <section class="page users">
            <div class="page-head">
                <div>
                    <h1>"Users"</h1>
                    // Inside a Transition: the server renders it with the page's data, as hydration expects.
                    <Transition>
                        <p class="subtitle" data-testid="total-active-sessions">
                            "Total active sessions: " {move || Suspend::new(async move { state.page.await.ok().map(|page| thousands(page.total_active_sessions)) })}
                        </p>
                    </Transition>
                </div>
                <div class="toolbar-actions">
                    <button type="button" class="button primary" on:click=move |_| state.add_open.set(true)>"Add user"</button>
                    <button type="button" class="button danger" on:click=move |_| state.team_open.set(true)>
                        "Sign out all team sessions"
                    </button>
                </div>
            </div>
            <Toolbar/>
            <ZoneNote/>
            <Transition fallback=|| view! { <p class="loading">"Loading users…"</p> }>
                {move || Suspend::new(async move {
                    match state.page.await {
                        Ok(_) => Either::Left(view! {
                            <list::UserTable data/>
                            <list::UserCards data/>
                            <Pager data/>
                        }),
                        Err(error) => Either::Right(view! { <p role="alert" class="form-error">{error.to_string()}</p> }),
                    }
                })}
            </Transition>
            <dialogs::ForceSignOutDialog/>
            <dialogs::DisableDialog/>
            <dialogs::AddUserDialog/>
            <dialogs::SignOutTeamDialog/>
            <Toast message=state.toast/>
        </section>
    }
}

/// Search as you type (a plain GET of `/users` without JavaScript), and on a phone the sort as a select.
#[component]
fn Toolbar() -> impl IntoView {
    let state = use_users();
    let navigate = use_navigate();
    let go = move |query: UserQuery| {
        navigate(&query.to_url(), NavigateOptions { replace: true, scroll: false, ..Default::default() });
    };
    let typed = RwSignal::new(state.query.get_untracked().q);
    let on_input = {
        let go = go.clone();
        move |event| {
            let text = event_target_value(&event);
            typed.set(text.clone());
            let mut query = state.query.get_untracked();
            query.q = text;
            query.page = 1;
            go(query);
        }
    };
    let on_sort = move |event| {
        let chosen = event_target_value(&event);
        if let Some(key) = UserSortKey::parse(&chosen) {
            let mut query = state.query.get_untracked();
            query.sort = key;
            query.dir = key.first_direction();
            query.page = 1;
            go(query);
        }
    };
    view! {
        <form class="toolbar" role="search" method="get" action="/users" on:submit=|event| event.prevent_default()>
            <input
                type="search"
                name="q"
                class="search"
                aria-label="Search users"
                placeholder="Search name or email"
                autocomplete="off"
                prop:value=move || typed.get()
                value=state.query.get_untracked().q
                on:input=on_input
            />
            <label class="filter phone-only">
                "Sort by"
                <select on:change=on_sort>
                    {[
                        (UserSortKey::Email, "Email"),
                        (UserSortKey::Name, "Name"),
                        (UserSortKey::ActiveSessions, "Most active sessions"),
                        (UserSortKey::LastActive, "Last active"),
                        (UserSortKey::TotalSessions, "Most sessions in total"),
                        (UserSortKey::Role, "Role"),
                        (UserSortKey::Status, "Status"),
                    ]
                        .into_iter()
                        .map(|(key, label)| {
                            view! { <option value=key.as_str() selected=move || state.query.with(|q| q.sort == key)>{label}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
        </form>
    }
}

#[component]
fn Pager(data: Memo<Option<UserPage>>) -> impl IntoView {
    let state = use_users();
    let navigate = use_navigate();
    let go = move |query: UserQuery| {
        navigate(&query.to_url(), NavigateOptions { scroll: false, ..Default::default() });
    };
    let last_page = move || {
        data.with(|page| {
            page.as_ref().map_or(1, |page| {
                let size = i64::from(page.query.size);
                u32::try_from(((page.total + size - 1) / size).max(1)).unwrap_or(u32::MAX)
            })
        })
    };
    let summary = move || {
        data.with(|page| {
            page.as_ref().map(|page| {
                let first = page.query.offset();
                let users = if page.total == 1 { "user" } else { "users" };
                let total = if page.total_is_exact {
                    format!("{} {users}", thousands(page.total))
                } else {
                    format!("more than {} {users}", thousands(page.total))
                };
                if page.rows.is_empty() {
                    if page.query.q.trim().is_empty() {
                        "No users yet".to_string()
                    } else {
                        "No user matches this search".to_string()
                    }
                } else {
                    format!(
                        "{}–{} of {total}",
                        thousands(first + 1),
                        thousands(first + page.rows.len() as i64)
                    )
                }
            })
        })
    };
    let current = move || state.query.with(|query| query.page);
    let step = {
        let go = go.clone();
        move |label: &'static str, delta: i64| {
            let go = go.clone();
            let target = move || i64::from(current()) + delta;
            let allowed = move || (1..=i64::from(last_page())).contains(&target());
            view! {
                <button
                    type="button"
                    class="button"
                    disabled=move || !allowed()
                    on:click=move |_| {
                        let mut query = state.query.get_untracked();
                        query.page = u32::try_from(target()).unwrap_or(1);
                        go(query);
                    }
                >
                    {label}
                </button>
            }
        }
    };
    let on_size = move |event| {
        let mut query = state.query.get_untracked();
        query.size = event_target_value(&event).parse().unwrap_or(query.size);
        query.page = 1;
        go(query);
    };
    view! {
        <nav class="pager" aria-label="Pages">
            <span class="pager-summary" data-testid="pager-summary">{summary}</span>
            {step("Previous page", -1)}
            <span class="pager-page">{move || format!("Page {} of {}", current(), thousands(i64::from(last_page())))}</span>
            {step("Next page", 1)}
            <label class="filter">
                "Rows per page"
                <select on:change=on_size>
                    {PAGE_SIZES
                        .into_iter()
                        .map(|size| view! { <option value=size.to_string() selected=move || state.query.with(|q| q.size == size)>{size}</option> })
                        .collect_view()}
                </select>
            </label>
        </nav>
    }
}

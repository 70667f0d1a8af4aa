//! The users themselves: a table on a desktop, cards on a phone (the server renders both; CSS shows one), each
//! user with their role, status, sessions' counts and what the caller may do to them.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use super::state::use_users;
use crate::api::users::ChangeUserRole;
use crate::format::thousands;
use crate::model::Role;
use crate::session_query::Direction;
use crate::team::{refuses_acting_on, refuses_role_change, UserPage, UserSummary};
use crate::time_zone::{moment, use_viewer_zone};
use crate::user_query::UserSortKey;

#[component]
pub fn UserTable(data: Memo<Option<UserPage>>) -> impl IntoView {
    let rows = move || {
        data.get()
            .map(|page| page.rows.into_iter().map(move |user| (user, page.now_ms)).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    view! {
        <div class="table-wrap user-table">
            <table>
                <caption class="visually-hidden">"Users"</caption>
                <thead>
                    <tr>
                        <SortHeader key=UserSortKey::Name label="Name"/>
                        <SortHeader key=UserSortKey::Email label="Email"/>
                        <SortHeader key=UserSortKey::Role label="Role"/>
                        <SortHeader key=UserSortKey::Status label="Status"/>
                        <SortHeader key=UserSortKey::ActiveSessions label="Active sessions"/>
                        <SortHeader key=UserSortKey::LastActive label="Last active"/>
                        <SortHeader key=UserSortKey::TotalSessions label="Sessions in total"/>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=rows key=|(user, now_ms)| (user.clone(), *now_ms) let((user, now_ms))>
                        <UserRow user now_ms/>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn SortHeader(key: UserSortKey, label: &'static str) -> impl IntoView {
    let state = use_users();
    let navigate = use_navigate();
    let sorted = move || state.query.with(|query| (query.sort == key).then_some(query.dir));
    let on_click = move |_| {
        let mut query = state.query.get_untracked();
        query.dir = if query.sort == key { query.dir.flipped() } else { key.first_direction() };
        query.sort = key;
        query.page = 1;
        navigate(&query.to_url(), NavigateOptions { scroll: false, ..Default::default() });
    };
    view! {
        <th scope="col" aria-sort=move || sorted().map(Direction::aria_sort)>
            <button type="button" class="sort" on:click=on_click>
                {label}
                <span aria-hidden="true" class="sort-mark">
                    {move || match sorted() {
                        Some(Direction::Asc) => "▲",
                        Some(Direction::Desc) => "▼",
                        None => "",
                    }}
                </span>
            </button>
        </th>
    }
}

#[component]
fn UserRow(user: UserSummary, now_ms: i64) -> impl IntoView {
    let zone = use_viewer_zone().get_untracked();
    let (id, disabled) = (user.id, user.disabled);
    view! {
        <tr class:disabled=disabled data-user-id=id>
            <td class="user-name">{user.name.clone()}</td>
            <td class="user-email-cell">{user.email.clone()}</td>
            <td><RoleCell user=user.clone()/></td>
            <td><StatusBadge disabled=user.disabled/></td>
            <td class="number" data-testid="active-sessions">{thousands(user.active_sessions)}</td>
            <td>{last_active(&user, &zone, now_ms)}</td>
            <td class="number">{thousands(user.total_sessions)}</td>
            <td class="actions"><div class="row-actions"><UserActions user/></div></td>
        </tr>
    }
}

#[component]
pub fn UserCards(data: Memo<Option<UserPage>>) -> impl IntoView {
    let rows = move || {
        data.get()
            .map(|page| page.rows.into_iter().map(move |user| (user, page.now_ms)).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    view! {
        <ul class="user-cards" aria-label="Users">
            <For each=rows key=|(user, now_ms)| (user.clone(), *now_ms) let((user, now_ms))>
                <UserCard user now_ms/>
            </For>
        </ul>
    }
}

#[component]
fn UserCard(user: UserSummary, now_ms: i64) -> impl IntoView {
    let zone = use_viewer_zone().get_untracked();
    let id = user.id;
    view! {
        <li class="card user-card" data-user-id=id>
            <div class="card-head">
                <div class="user-cell">
                    <span class="user-name">{user.name.clone()}</span>
                    <span class="user-email">{user.email.clone()}</span>
                </div>
                <StatusBadge disabled=user.disabled/>
            </div>
            <dl>
                <dt>"Role"</dt>
                <dd><RoleCell user=user.clone()/></dd>
                <dt>"Active sessions"</dt>
                <dd data-testid="active-sessions">{thousands(user.active_sessions)}</dd>
                <dt>"Last active"</dt>
                <dd>{last_active(&user, &zone, now_ms)}</dd>
                <dt>"Sessions in total"</dt>
                <dd>{thousands(user.total_sessions)}</dd>
            </dl>
            <div class="card-actions user-actions"><UserActions user/></div>
        </li>
    }
}

fn last_active(user: &UserSummary, zone: &crate::time_zone::Zone, now_ms: i64) -> AnyView {
    match user.last_active_at_ms {
        Some(at) => moment(zone, now_ms, Some(at)).into_any(),
        None => view! { <span class="muted">"Never"</span> }.into_any(),
    }
}

#[component]
fn StatusBadge(disabled: bool) -> impl IntoView {
    let (class, label) =
        if disabled { ("badge status-revoked", "Disabled") } else { ("badge status-active", "Active") };
    view! { <span class=class>{label}</span> }
}

/// The role: a select **Role** for an owner looking at someone else; a badge otherwise.
#[component]
fn RoleCell(user: UserSummary) -> impl IntoView {
    let state = use_users();
    let editable = state.caller.with_value(|caller| refuses_role_change(caller, user.id).is_none());
    if !editable {
        return view! { <span class="badge role">{user.role.label()}</span> }.into_any();
    }
    let user_id = user.id;
    let on_change = move |event| {
        if let Some(role) = Role::parse(&event_target_value(&event)) {
            state.role.dispatch(ChangeUserRole { user_id, role });
        }
    };
    view! {
        <select class="role-select" aria-label="Role" on:change=on_change>
            {Role::ALL
                .into_iter()
                .map(|role| view! { <option value=role.as_str() selected=role == user.role>{role.label()}</option> })
                .collect_view()}
        </select>
    }
    .into_any()
}

/// **Sessions**, **Logout All Devices**, **Disable** / **Enable**; the last three only where the caller may.
#[component]
fn UserActions(user: UserSummary) -> impl IntoView {
    let state = use_users();
    let may_act = state.caller.with_value(|caller| refuses_acting_on(caller, user.id, user.role).is_none());
    let sessions_url = user.sessions_url();
    let acts = may_act.then(|| {
        let (force_target, disable_target) = (user.clone(), user.clone());
        let toggle = if user.disabled {
            let user_id = user.id;
            view! {
                <button type="button" class="button small" on:click=move |_| state.set_disabled(user_id, false, String::new(), false)>
                    "Enable"
                </button>
            }
            .into_any()
        } else {
            view! {
                <button type="button" class="button small danger" on:click=move |_| state.disable_target.set(Some(disable_target.clone()))>
                    "Disable"
                </button>
            }
            .into_any()
        };
        view! {
            <button
                type="button"
                class="button small danger"
                disabled=user.active_sessions == 0
                on:click=move |_| state.force_target.set(Some(force_target.clone()))
            >
                "Logout All Devices"
            </button>
            {toggle}
        }
    });
    view! {
        <a class="button small" href=sessions_url>"Sessions"</a>
        {acts}
    }
}

//! The desktop table (hidden below 768 px, where the cards take over).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use super::cells::{IpCell, LastActive, RevokeButton, StatusCell, UserCell, ViewButton};
use super::state::{use_console, Layout};
use crate::format::{or_unknown, Unknown};
use crate::model::{SessionPage, SessionView};
use crate::session_query::{Direction, SortKey};
use crate::time_zone::{moment, Zone};

#[component]
pub fn SessionTable(data: Memo<Option<SessionPage>>) -> impl IntoView {
    let rows = Layout::Table.rows(data);
    let now_ms = move || data.with(|page| page.as_ref().map_or(0, |page| page.now_ms));
    view! {
        // What the rows on screen answer (the search alone, and the whole view as its URL): for tests and the
        // keystroke benchmark, which must not read rows that a newer request is about to replace.
        <div
            class="table-wrap session-table"
            data-answered-q=move || data.with(|page| page.as_ref().map(|page| page.query.q.clone()))
            data-answered=move || data.with(|page| page.as_ref().map(|page| page.query.to_url()))
        >
            <table>
                <thead>
                    <tr>
                        <SortHeader key=SortKey::User label="User"/>
                        <SortHeader key=SortKey::App label="App"/>
                        <th scope="col">"Device"</th>
                        <th scope="col">"IP"</th>
                        <th scope="col">"Location"</th>
                        <SortHeader key=SortKey::Status label="Status"/>
                        <SortHeader key=SortKey::Created label="Created"/>
                        <SortHeader key=SortKey::LastActive label="Last active"/>
                        <SortHeader key=SortKey::Expires label="Expires"/>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    // Keyed by the whole row: a row that did not change keeps its elements on refresh.
                    <For each=rows key=|row| row.clone() let((session, zone))>
                        <SessionRow session zone now_ms=now_ms()/>
                    </For>
                </tbody>
            </table>
            <Show when=move || data.with(|page| page.as_ref().is_some_and(|page| page.rows.is_empty()))>
                <p class="empty">"No sessions match."</p>
            </Show>
        </div>
    }
}

#[component]
fn SortHeader(key: SortKey, label: &'static str) -> impl IntoView {
    let state = use_console();
    let navigate = use_navigate();
    let sorted = move || state.query.with(|query| (query.sort == key).then_some(query.dir));
    let on_click = move |_| {
        let mut query = state.query.get_untracked();
        query.dir = if query.sort == key { query.dir.flipped() } else { key.first_direction() };
        query.sort = key;
        navigate(&query.first_page().to_url(), NavigateOptions { scroll: false, ..Default::default() });
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
fn SessionRow(session: SessionView, zone: Zone, now_ms: i64) -> impl IntoView {
    view! {
        <tr class=format!("status-{}", session.status.as_str()) data-session-id=session.id.clone()>
            <td><UserCell session=session.clone()/></td>
            <td>{session.app_id.clone()}</td>
            <td>{or_unknown(&session.device, Unknown::Browser)}</td>
            <td><IpCell session_id=session.id.clone() ip=session.ip.clone()/></td>
            <td>{or_unknown(&session.location, Unknown::Location)}</td>
            <td><StatusCell status=session.status kind=session.kind.clone()/></td>
            <td>{moment(&zone, now_ms, Some(session.created_at_ms))}</td>
            <td><LastActive zone=zone.clone() now_ms at_ms=session.last_active_at_ms/></td>
            <td>{moment(&zone, now_ms, session.expires_at_ms)}</td>
            <td class="actions">
                <ViewButton session_id=session.id.clone() attribute_count=session.attribute_count/>
                <RevokeButton session=session.clone()/>
            </td>
        </tr>
    }
}

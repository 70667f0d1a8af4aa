//! The ended sessions: a table on a desktop, cards on a phone (the server renders both; CSS shows one).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::format::mask_ip;
use crate::history::{EndedSession, HistoryPage, HistoryQuery};
use crate::session_query::Direction;
use crate::time_zone::{moment, use_viewer_zone};

fn rows(data: Memo<Option<HistoryPage>>) -> Vec<(EndedSession, i64)> {
    data.get()
        .map(|page| page.rows.into_iter().map(move |row| (row, page.now_ms)).collect())
        .unwrap_or_default()
}

#[component]
pub fn HistoryTable(data: Memo<Option<HistoryPage>>, query: Memo<HistoryQuery>) -> impl IntoView {
    view! {
        <div class="table-wrap history-table">
            <table>
                <caption class="visually-hidden">"Ended sessions"</caption>
                <thead>
                    <tr>
                        <th scope="col">"User"</th>
                        <th scope="col">"App"</th>
                        <th scope="col">"Device"</th>
                        <th scope="col">"IP"</th>
                        <th scope="col">"Ended how"</th>
                        <EndedAtHeader query/>
                        <th scope="col">"Ended by"</th>
                        <th scope="col">"Reason"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows(data) key=|(row, now_ms)| (row.clone(), *now_ms) let((row, now_ms))>
                        <HistoryRow row now_ms/>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// The one sortable column: newest or oldest end first.
#[component]
fn EndedAtHeader(query: Memo<HistoryQuery>) -> impl IntoView {
    let navigate = use_navigate();
    let dir = move || query.with(|q| q.dir);
    let on_click = move |_| {
        let next = HistoryQuery { dir: dir().flipped(), page: 1, ..query.get_untracked() };
        navigate(&next.to_url(), NavigateOptions { scroll: false, ..Default::default() });
    };
    view! {
        <th scope="col" aria-sort=move || dir().aria_sort()>
            <button type="button" class="sort" on:click=on_click>
                "Ended at"
                <span aria-hidden="true" class="sort-mark">{move || if dir() == Direction::Asc { "▲" } else { "▼" }}</span>
            </button>
        </th>
    }
}

#[component]
fn HistoryRow(row: EndedSession, now_ms: i64) -> impl IntoView {
    let zone = use_viewer_zone().get_untracked();
    view! {
        <tr data-session-id=row.id.clone()>
            <td><UserCell row=row.clone()/></td>
            <td>{row.app_name.clone()}</td>
            <td>{row.device.clone().unwrap_or_else(|| "Unknown Browser".into())}</td>
            <td><HistoryIp ip=row.ip.clone()/></td>
            <td><HowBadge row=row.clone()/></td>
            <td>{moment(&zone, now_ms, Some(row.ended_at_ms))}</td>
            <td data-testid="ended-by">{row.ended_by.clone()}</td>
            <td class="reason">{row.reason.clone().unwrap_or_default()}</td>
        </tr>
    }
}

#[component]
pub fn HistoryCards(data: Memo<Option<HistoryPage>>) -> impl IntoView {
    view! {
        <ul class="history-cards" aria-label="Ended sessions">
            <For each=move || rows(data) key=|(row, now_ms)| (row.clone(), *now_ms) let((row, now_ms))>
                <HistoryCard row now_ms/>
            </For>
        </ul>
    }
}

#[component]
fn HistoryCard(row: EndedSession, now_ms: i64) -> impl IntoView {
    let zone = use_viewer_zone().get_untracked();
    view! {
        <li class="card history-card" data-session-id=row.id.clone()>
            <div class="card-head">
                <UserCell row=row.clone()/>
                <HowBadge row=row.clone()/>
            </div>
            <dl>
                <dt>"App"</dt>
                <dd>{row.app_name.clone()}</dd>
                <dt>"Device"</dt>
                <dd>{row.device.clone().unwrap_or_else(|| "Unknown Browser".into())}</dd>
                <dt>"IP"</dt>
                <dd><HistoryIp ip=row.ip.clone()/></dd>
                <dt>"Ended at"</dt>
                <dd>{moment(&zone, now_ms, Some(row.ended_at_ms))}</dd>
                <dt>"Ended by"</dt>
                <dd data-testid="ended-by">{row.ended_by.clone()}</dd>
                <dt>"Reason"</dt>
                <dd class="reason">{row.reason.clone().unwrap_or_else(|| "-".into())}</dd>
            </dl>
        </li>
    }
}

#[component]
fn UserCell(row: EndedSession) -> impl IntoView {
    match row.user {
        Some(user) => view! {
            <div class="user-cell">
                <span class="user-name">{user.name}</span>
                <span class="user-email">{user.email}</span>
            </div>
        }
        .into_any(),
        None => view! { <span class="muted">"Guest"</span> }.into_any(),
    }
}

#[component]
fn HowBadge(row: EndedSession) -> impl IntoView {
    view! { <span class=format!("badge ended-{}", row.how.as_str()) data-testid="ended-how">{row.how_label()}</span> }
}

/// A masked address and the toggle that shows it in full, as on the Sessions page.
#[component]
fn HistoryIp(ip: Option<String>) -> impl IntoView {
    let Some(ip) = ip else {
        return view! { <span class="muted">"Unknown IP"</span> }.into_any();
    };
    let shown = RwSignal::new(false);
    view! {
        <button
            type="button"
            class="ip"
            aria-label="Reveal IP"
            aria-pressed=move || shown.get().to_string()
            on:click=move |_| shown.update(|shown| *shown = !*shown)
        >
            {move || if shown.get() { ip.clone() } else { mask_ip(&ip) }}
        </button>
    }
    .into_any()
}

//! The records: a table on a desktop, cards on a phone (the server renders both; CSS shows one).

use leptos::prelude::*;

use crate::audit_log::{action_label, AuditEntry, AuditLogPage};
use crate::time_zone::{moment, use_viewer_zone};

fn rows(data: Memo<Option<AuditLogPage>>) -> Vec<(AuditEntry, i64)> {
    data.get()
        .map(|page| page.rows.into_iter().map(move |row| (row, page.now_ms)).collect())
        .unwrap_or_default()
}

#[component]
pub fn AuditTable(data: Memo<Option<AuditLogPage>>) -> impl IntoView {
    view! {
        <div class="table-wrap audit-table">
            <table>
                <caption class="visually-hidden">"Audit records, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">"Time"</th>
                        <th scope="col">"Actor"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col">"Target"</th>
                        <th scope="col">"Reason"</th>
                        <th scope="col">"IP"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows(data) key=|(row, now_ms)| (row.clone(), *now_ms) let((row, now_ms))>
                        <AuditRow row now_ms/>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn AuditRow(row: AuditEntry, now_ms: i64) -> impl IntoView {
    let zone = use_viewer_zone().get_untracked();
    view! {
        <tr data-seq=row.seq>
            <td class="number muted">{row.seq}</td>
            <td>{moment(&zone, now_ms, Some(row.at_ms))}</td>
            <td class="actor">{row.actor.clone()}</td>
            <td><span class="badge action" title=row.action.clone()>{action_label(&row.action).to_string()}</span></td>
            <td class="target">{row.target.clone().unwrap_or_default()}</td>
            <td class="reason">{row.reason.clone().unwrap_or_default()}</td>
            <td>{row.ip.clone().unwrap_or_default()}</td>
        </tr>
    }
}

#[component]
pub fn AuditCards(data: Memo<Option<AuditLogPage>>) -> impl IntoView {
    view! {
        <ul class="audit-cards" aria-label="Audit records">
            <For each=move || rows(data) key=|(row, now_ms)| (row.clone(), *now_ms) let((row, now_ms))>
                <AuditCard row now_ms/>
            </For>
        </ul>
    }
}

#[component]
fn AuditCard(row: AuditEntry, now_ms: i64) -> impl IntoView {
    let zone = use_viewer_zone().get_untracked();
    view! {
        <li class="card audit-card" data-seq=row.seq>
            <div class="card-head">
                <span class="badge action" title=row.action.clone()>{action_label(&row.action).to_string()}</span>
                {moment(&zone, now_ms, Some(row.at_ms))}
            </div>
            <dl>
                <dt>"Actor"</dt>
                <dd class="actor">{row.actor.clone()}</dd>
                <dt>"Target"</dt>
                <dd class="target">{row.target.clone().unwrap_or_else(|| "-".into())}</dd>
                <dt>"Reason"</dt>
                <dd class="reason">{row.reason.clone().unwrap_or_else(|| "-".into())}</dd>
                <dt>"IP"</dt>
                <dd>{row.ip.clone().unwrap_or_else(|| "-".into())}</dd>
                <dt>"Record"</dt>
                <dd>{format!("#{}", row.seq)}</dd>
            </dl>
        </li>
    }
}

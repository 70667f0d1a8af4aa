//! The alarms: a table on a desktop, cards on a phone (the server renders both; CSS shows one).

use leptos::prelude::*;

use super::use_alarms;
use crate::alarms::{AlarmPage, AlarmView};
use crate::api::alarms::AcknowledgeAlarm;
use crate::time_zone::{moment, use_viewer_zone};

fn rows(data: Memo<Option<AlarmPage>>) -> Vec<(AlarmView, i64)> {
    data.get()
        .map(|page| page.rows.into_iter().map(move |row| (row, page.now_ms)).collect())
        .unwrap_or_default()
}

#[component]
pub fn AlarmTable(data: Memo<Option<AlarmPage>>) -> impl IntoView {
    view! {
        <div class="table-wrap alarm-table">
            <table>
                <caption class="visually-hidden">"Alarms, open first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Kind"</th>
                        <th scope="col">"User"</th>
                        <th scope="col">"What was seen"</th>
                        <th scope="col">"First seen"</th>
                        <th scope="col">"Last seen"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows(data) key=|(row, now_ms)| (row.clone(), *now_ms) let((alarm, now_ms))>
                        <AlarmRow alarm now_ms/>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn AlarmRow(alarm: AlarmView, now_ms: i64) -> impl IntoView {
    let zone = use_viewer_zone().get_untracked();
    let (id, open) = (alarm.id, alarm.is_open());
    view! {
        <tr data-alarm-id=id class:acknowledged=!open>
            <td><span class="badge alarm-kind" data-testid="alarm-kind">{alarm.kind.label()}</span></td>
            <td class="subject">{alarm.subject.clone()}</td>
            <td class="detail">{alarm.detail.clone()}</td>
            <td>{moment(&zone, now_ms, Some(alarm.first_seen_ms))}</td>
            <td>{moment(&zone, now_ms, Some(alarm.last_seen_ms))} <Times times=alarm.times/></td>
            <td><AlarmState alarm=alarm.clone() now_ms/></td>
            <td class="actions"><div class="row-actions"><AlarmActions alarm/></div></td>
        </tr>
    }
}

#[component]
pub fn AlarmCards(data: Memo<Option<AlarmPage>>) -> impl IntoView {
    view! {
        <ul class="alarm-cards" aria-label="Alarms">
            <For each=move || rows(data) key=|(row, now_ms)| (row.clone(), *now_ms) let((alarm, now_ms))>
                <AlarmCard alarm now_ms/>
            </For>
        </ul>
    }
}

#[component]
fn AlarmCard(alarm: AlarmView, now_ms: i64) -> impl IntoView {
    let zone = use_viewer_zone().get_untracked();
    let (id, open) = (alarm.id, alarm.is_open());
    view! {
        <li class="card alarm-card" data-alarm-id=id class:acknowledged=!open>
            <div class="card-head">
                <span class="badge alarm-kind" data-testid="alarm-kind">{alarm.kind.label()}</span>
                <AlarmState alarm=alarm.clone() now_ms/>
            </div>
            <p class="subject">{alarm.subject.clone()}</p>
            <p class="detail">{alarm.detail.clone()}</p>
            <dl>
                <dt>"First seen"</dt>
                <dd>{moment(&zone, now_ms, Some(alarm.first_seen_ms))}</dd>
                <dt>"Last seen"</dt>
                <dd>{moment(&zone, now_ms, Some(alarm.last_seen_ms))} <Times times=alarm.times/></dd>
            </dl>
            <div class="card-actions"><AlarmActions alarm/></div>
        </li>
    }
}

#[component]
fn Times(times: i64) -> impl IntoView {
    (times > 1).then(|| view! { <span class="muted">{format!(" ({times} times)")}</span> })
}

/// **Open**, or **Acknowledged** with by whom and when.
#[component]
fn AlarmState(alarm: AlarmView, now_ms: i64) -> impl IntoView {
    let zone = use_viewer_zone().get_untracked();
    match alarm.acknowledged {
        None => {
            view! { <span class="badge status-revoked" data-testid="alarm-state">"Open"</span> }.into_any()
        }
        Some((by, at)) => view! {
            <span class="acknowledged-by">
                <span class="badge status-expired" data-testid="alarm-state">"Acknowledged"</span>
                " by " {by} " " {moment(&zone, now_ms, Some(at))}
            </span>
        }
        .into_any(),
    }
}

/// **Acknowledge** (open alarms) and **Logout All Devices** (an alarm about a user with active sessions).
#[component]
fn AlarmActions(alarm: AlarmView) -> impl IntoView {
    let state = use_alarms();
    let alarm_id = alarm.id;
    let acknowledge = alarm.is_open().then(|| {
        view! {
            <button type="button" class="button small" on:click=move |_| { state.acknowledge.dispatch(AcknowledgeAlarm { alarm_id }); }>
                "Acknowledge"
            </button>
        }
    });
    let sign_out = (alarm.user_id.is_some()).then(|| {
        let target = alarm.clone();
        view! {
            <button
                type="button"
                class="button small danger"
                disabled=alarm.active_sessions == 0
                on:click=move |_| state.force_target.set(Some(target.clone()))
            >
                "Logout All Devices"
            </button>
        }
    });
    view! { {acknowledge} {sign_out} }
}

//! Phones (below 768 px): the same sessions as cards with thumb-sized controls.

use leptos::prelude::*;

use super::cells::{IpCell, LastActive, RevokeButton, UserCell, ViewButton};
use super::state::Layout;
use crate::model::{SessionPage, SessionView};
use crate::time_zone::{moment, Zone};

#[component]
pub fn SessionCards(data: Memo<Option<SessionPage>>) -> impl IntoView {
    let rows = Layout::Cards.rows(data);
    let now_ms = move || data.with(|page| page.as_ref().map_or(0, |page| page.now_ms));
    view! {
        <ul class="session-cards" aria-label="Sessions">
            <For each=rows key=|row| row.clone() let((session, zone))>
                <SessionCard session zone now_ms=now_ms()/>
            </For>
        </ul>
    }
}

#[component]
fn SessionCard(session: SessionView, zone: Zone, now_ms: i64) -> impl IntoView {
    view! {
        <li class=format!("card session-card status-{}", session.status.as_str()) data-session-id=session.id.clone()>
            <div class="card-head">
                <UserCell session=session.clone()/>
                <span class=format!("badge status-{}", session.status.as_str())>{session.status.as_str()}</span>
            </div>
            <dl>
                <dt>"App"</dt>
                <dd>{session.app_id.clone()}</dd>
                <dt>"IP"</dt>
                <dd><IpCell session_id=session.id.clone() ip=session.ip.clone()/></dd>
                <dt>"Last active"</dt>
                <dd><LastActive zone=zone.clone() now_ms at_ms=session.last_active_at_ms/></dd>
                <dt>"Expires"</dt>
                <dd>{moment(&zone, now_ms, session.expires_at_ms)}</dd>
            </dl>
            <div class="card-actions">
                <ViewButton session_id=session.id.clone() attribute_count=session.attribute_count/>
                <RevokeButton session=session.clone()/>
            </div>
        </li>
    }
}

//! Title, subtitle, the live count of active sessions, and the zone the page's times are in.

use leptos::prelude::*;

use crate::format::thousands;
use crate::model::SessionPage;
use crate::time_zone::ZoneNote;

#[component]
pub fn Heading(data: Memo<Option<SessionPage>>) -> impl IntoView {
    let active = move || data.with(|page| page.as_ref().map(|page| thousands(page.active_count)));
    view! {
        <div class="page-head">
            <div>
                <h1>"Sessions"</h1>
                <p class="subtitle">"Active user connections across all apps"</p>
            </div>
            <span class="badge live" data-testid="active-badge">{move || active().map(|n| format!("{n} Active"))}</span>
        </div>
        <p class="live-line" data-testid="live-line">
            {move || active().map(|n| format!("{n} active sessions currently signed in across your organization"))}
        </p>
        <ZoneNote/>
    }
}

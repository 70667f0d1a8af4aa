//! The facts of one session, grouped as a support person reads them, and the ids under **Advanced**.

use leptos::prelude::*;

use super::super::cells::IpCell;
use crate::format::{thousands, time_ago};
use crate::session_detail::SessionDetail;
use crate::time_zone::use_viewer_zone;

/// "Chrome 120.0.6099", "Mac OS X 10.15.7": a name and its version, or `unknown` when there is no name.
fn named_version(name: &Option<String>, version: &Option<String>, unknown: &str) -> String {
    match (name, version) {
        (Some(name), Some(version)) if version != "UNKNOWN" => format!("{name} {version}"),
        (Some(name), _) => name.clone(),
        (None, _) => unknown.to_string(),
    }
}

fn location(detail: &SessionDetail) -> String {
    let place = crate::format::place(detail.city.as_deref(), detail.country.as_deref());
    crate::format::or_unknown(&place, crate::format::Unknown::Location)
}

/// A `dt`/`dd` pair.
#[component]
fn Fact(term: &'static str, #[prop(into)] value: String) -> impl IntoView {
    view! {
        <dt>{term}</dt>
        <dd>{value}</dd>
    }
}

#[component]
pub fn Facts(detail: SessionDetail) -> impl IntoView {
    let user = match &detail.user {
        Some(user) => format!("{} ({}) · {}", user.name, user.email, user.role.label()),
        None => "Guest".into(),
    };
    let kind = if detail.kind == "guest" { "Guest" } else { "Authenticated" };
    let ended = detail.ended_at_ms.is_some();
    // The dialog opens in a hydrated page, whose zone is already the viewer's.
    let zone = use_viewer_zone().get_untracked();
    let at = move |ms: Option<i64>| ms.map_or_else(|| "-".to_string(), |ms| zone.full(ms));
    view! {
        <section class="detail-section" aria-labelledby="detail-session">
            <h3 id="detail-session">"Session"</h3>
            <dl class="facts">
                <Fact term="App" value=format!("{} ({})", detail.app_name, detail.app_id)/>
                <Fact term="User" value=user/>
                <Fact term="Status" value=format!("{} · {kind}", detail.status.as_str())/>
                <Fact term="Created" value=at(Some(detail.created_at_ms))/>
                <Fact term="Expires" value=at(detail.expires_at_ms)/>
                <Fact term="Updated" value=at(Some(detail.updated_at_ms))/>
                <Fact
                    term="Last activity"
                    value=format!(
                        "{} ({})",
                        time_ago(detail.now_ms, detail.last_active_at_ms),
                        at(Some(detail.last_active_at_ms)),
                    )
                />
                {ended.then(|| view! {
                    <Fact term="Ended" value=at(detail.ended_at_ms)/>
                    <Fact term="Ended by" value=detail.ended_by.clone().unwrap_or_default()/>
                    <Fact term="Reason" value=detail.end_reason.clone().unwrap_or_default()/>
                })}
                {detail.revoked_by.clone().map(|by| view! { <Fact term="Revoked by" value=by/> })}
            </dl>
        </section>
        <section class="detail-section" aria-labelledby="detail-device">
            <h3 id="detail-device">"Device"</h3>
            <dl class="facts">
                <Fact term="Browser" value=named_version(&detail.browser, &detail.browser_version, "Unknown Browser")/>
                <Fact term="Operating system" value=named_version(&detail.os, &detail.os_version, "Unknown")/>
                <Fact term="Device type" value=detail.device_type.clone().unwrap_or_else(|| "Unknown".into())/>
                <dt>"IP"</dt>
                <dd><IpCell session_id=detail.id.clone() ip=detail.ip.clone()/></dd>
                <Fact term="Location" value=location(&detail)/>
            </dl>
        </section>
        <section class="detail-section" aria-labelledby="detail-activity">
            <h3 id="detail-activity">"Activity and size"</h3>
            <dl class="facts">
                <Fact term="Requests" value=thousands(detail.requests)/>
                <Fact
                    term="Last request"
                    value=detail.last_request_at_ms.map_or_else(|| "None yet".to_string(), |ms| at(Some(ms)))
                />
                <Fact term="Properties" value=thousands(detail.attribute_count)/>
                <Fact
                    term="Payload size"
                    value=format!("{} of {} bytes", thousands(detail.payload_bytes), thousands(detail.max_payload_bytes))
                />
            </dl>
        </section>
    }
}

#[component]
pub fn Advanced(detail: SessionDetail) -> impl IntoView {
    view! {
        <section class="detail-section" id="detail-advanced" aria-labelledby="detail-advanced-title">
            <h3 id="detail-advanced-title">"Advanced"</h3>
            <dl class="facts ids">
                <Fact term="Session id" value=detail.id.clone()/>
                <Fact term="External user id" value=detail.user_external_id.clone().unwrap_or_else(|| "-".into())/>
                <Fact term="App id" value=detail.app_id.clone()/>
                <Fact
                    term="Payload key id"
                    value=detail.payload_key_id.map_or_else(|| "-".to_string(), |id| id.to_string())
                />
            </dl>
        </section>
    }
}

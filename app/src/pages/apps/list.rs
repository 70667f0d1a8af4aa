//! The registered apps, each with its keys, and the admin tokens: tables that become stacked rows on a phone.

use leptos::prelude::*;

use super::state::{use_apps, Revoking};
use crate::api::apps::NewAppKey;
use crate::apps::{AppsOverview, CredentialUse, RegisteredApp};
use crate::format::thousands;
use crate::time_zone::{moment, use_viewer_zone};

/// Created, **Last used** ("5 minutes ago", or "Never") and **Requests (24h)**: the same for keys and tokens.
fn usage_cells(now_ms: i64, credential: &CredentialUse) -> impl IntoView {
    let zone = use_viewer_zone().get_untracked();
    let last_used = match credential.last_used_at_ms {
        Some(at) => moment(&zone, now_ms, Some(at)).into_any(),
        None => view! { <span class="muted">"Never"</span> }.into_any(),
    };
    view! {
        <td data-label="Created">{moment(&zone, now_ms, Some(credential.created_at_ms))}</td>
        <td data-label="Last used">{last_used}</td>
        <td data-label="Requests (24h)" class="number">{thousands(credential.requests_24h)}</td>
    }
}

fn usage_headers() -> impl IntoView {
    view! {
        <th scope="col">"Created"</th>
        <th scope="col">"Last used"</th>
        <th scope="col" class="number">"Requests (24h)"</th>
        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
    }
}

#[component]
pub fn AppList(overview: AppsOverview) -> impl IntoView {
    let now_ms = overview.now_ms;
    let apps = overview.apps.into_iter().map(|app| view! { <AppCard app now_ms/> }).collect_view();
    view! { <div class="app-list">{apps}</div> }
}

#[component]
fn AppCard(app: RegisteredApp, now_ms: i64) -> impl IntoView {
    let state = use_apps();
    let heading = format!("app-{}", app.slug);
    let zone = use_viewer_zone().get_untracked();
    let console = app.is_console();
    let editable = StoredValue::new(app.clone());
    let slug = app.slug.clone();
    let app_name = app.name.clone();
    let keys = if console {
        view! { <p class="hint">"Console sign-ins are sessions of this app; it has no API keys."</p> }
            .into_any()
    } else if app.keys.is_empty() {
        view! { <p class="hint">"No live API key: the app cannot create or validate sessions until it gets a new one."</p> }
            .into_any()
    } else {
        let rows = app
            .keys
            .into_iter()
            .map(|key| {
                let revoking =
                    Revoking::Key { id: key.id, prefix: key.prefix.clone(), app_name: app_name.clone() };
                view! {
                    <tr>
                        <td data-label="Key"><code>{format!("{}…", key.prefix)}</code></td>
                        {usage_cells(now_ms, &key)}
                        <td class="row-actions">
                            <button type="button" class="button danger" on:click=move |_| state.revoking.set(Some(revoking.clone()))>
                                "Revoke key"
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="credential-table">
                <caption class="visually-hidden">{format!("API keys of {app_name}")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Key"</th>
                        {usage_headers()}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    let labelled_by = heading.clone();
    view! {
        <article class="app-card" aria-labelledby=labelled_by>
            <header class="app-card-head">
                <h2 id=heading>{app.name.clone()}</h2>
                <code class="app-slug">{app.slug.clone()}</code>
            </header>
            <dl class="app-facts">
                <div><dt>"Active sessions"</dt><dd>{thousands(app.active_sessions)}</dd></div>
                <div><dt>"Payload limit"</dt><dd>{format!("{} bytes", thousands(app.max_payload_bytes))}</dd></div>
                // The console's app comes with Roster: it was never registered by anyone.
                {(!console).then(|| view! {
                    <div><dt>"Registered"</dt><dd>{moment(&zone, now_ms, Some(app.created_at_ms))}</dd></div>
                })}
            </dl>
            {keys}
            <Show when=move || !console>
                <div class="app-actions">
                    <button
                        type="button"
                        class="button"
                        disabled=move || state.new_key.pending().get()
                        on:click={
                            let slug = slug.clone();
                            move |_| { state.new_key.dispatch(NewAppKey { slug: slug.clone() }); }
                        }
                    >
                        "New key"
                    </button>
                    <button type="button" class="button" on:click=move |_| {
                        state.edit_error.set(None);
                        state.edit_target.set(Some(editable.get_value()));
                    }>
                        "Edit app"
                    </button>
                </div>
            </Show>
        </article>
    }
}

#[component]
pub fn TokenTable(tokens: Vec<CredentialUse>, now_ms: i64) -> impl IntoView {
    let state = use_apps();
    if tokens.is_empty() {
        return view! { <p class="hint">"No admin token yet. Automation (a SIEM, scripts) needs one to call /api/admin."</p> }
            .into_any();
    }
    let rows = tokens
        .into_iter()
        .map(|token| {
            let name = token.name.clone().unwrap_or_default();
            let revoking = Revoking::Token { id: token.id, prefix: token.prefix.clone(), name: name.clone() };
            view! {
                <tr>
                    <td data-label="Name">{name}</td>
                    <td data-label="Token"><code>{format!("{}…", token.prefix)}</code></td>
                    {usage_cells(now_ms, &token)}
                    <td class="row-actions">
                        <button type="button" class="button danger" on:click=move |_| state.revoking.set(Some(revoking.clone()))>
                            "Revoke token"
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="credential-table">
            <caption class="visually-hidden">"Admin tokens"</caption>
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Token"</th>
                    {usage_headers()}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

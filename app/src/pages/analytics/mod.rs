//! `/analytics`: how many sessions are active and when they peaked, where and on what they run, in which apps,
//! and how full their payloads are against each app's limit; for owners, admins and billing managers. The
//! filters (app, range) live in the URL; the charts follow changes through the live stream, at most every few
//! seconds.

mod charts;

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::{lazy_route, LazyRoute, NavigateOptions};

use crate::analytics::{Analytics, AnalyticsQuery, Range};
use crate::api::analytics::load_analytics;
use crate::components::live_events::throttled_session_changes;
use crate::components::require_user::RequireUser;
use crate::format::{thousands, wall_minutes};
use crate::routes;
use crate::time_zone::{use_viewer_zone, ZoneNote};

/// The route: its code is a chunk of its own.
pub struct AnalyticsRoute;

#[lazy_route]
impl LazyRoute for AnalyticsRoute {
    fn data() -> Self {
        AnalyticsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <AnalyticsPage/> }.into_any()
    }
}

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    view! {
        <RequireUser page=&routes::ANALYTICS children=|_user| view! { <Charts/> }/>
    }
}

#[component]
fn Charts() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|map| AnalyticsQuery::from_params(|name| map.get(name))));
    let changes = throttled_session_changes();
    let data = Resource::new(move || (query.get(), changes.get()), |(query, _)| load_analytics(query));
    let viewer_zone = use_viewer_zone();
    view! {
        <section class="page analytics">
            <div class="page-head">
                <div>
                    <h1>"Analytics"</h1>
                    <p class="subtitle">"How many sessions are active, when they peaked, where and on what they run, and how full their payloads are."</p>
                </div>
            </div>
            <Transition fallback=|| view! { <p class="loading">"Loading analytics…"</p> }>
                {move || {
                    // Drawn again when the browser names its time zone after hydration: the times follow it.
                    let _ = viewer_zone.get();
                    Suspend::new(async move {
                    match data.await {
                        Ok(analytics) => Either::Left(view! { <Report analytics/> }),
                        Err(error) => Either::Right(view! { <p role="alert" class="form-error">{error.to_string()}</p> }),
                    }
                    })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn Report(analytics: Analytics) -> impl IntoView {
    let Analytics { query, apps, over_time, peak, by_app, by_country, by_client, payload_fill, .. } =
        analytics;
    let zone = use_viewer_zone().get_untracked();
    let peak_text = peak.as_ref().map_or_else(|| "No record yet".to_string(), |peak| thousands(peak.active));
    let peak_when =
        peak.as_ref().map(|peak| format!("at {}", wall_minutes(peak.at_ms, zone.offset_minutes(peak.at_ms))));
    let scope = match &query.app {
        Some(slug) => apps.iter().find(|(id, _)| id == slug).map_or(slug.clone(), |(_, name)| name.clone()),
        None => "all apps".to_string(),
    };
    let now = "Active sessions now";
    let (range, hourly) = (query.range, query.range.hourly());
    view! {
        <Filters query apps/>
        <ZoneNote/>
        <div class="peak" role="group" aria-labelledby="peak-label">
            <span id="peak-label" class="peak-label">"Peak concurrent sessions"</span>
            <strong class="peak-value" data-testid="peak">{peak_text}</strong>
            <span class="peak-when">{peak_when}</span>
            <span class="muted">{format!("in the last {}, {scope}", range.label())}</span>
        </div>
        <div class="chart-grid">
            <charts::OverTime points=over_time hourly peak/>
            <charts::Bars id="sessions-by-app" title="Sessions by app" what="App" caption=format!("{now}, by app.") slices=by_app/>
            <charts::Bars id="sessions-by-country" title="Sessions by country" what="Country" caption=format!("{now}, the ten countries with most and the rest.") slices=by_country/>
            <charts::Bars id="browsers-and-systems" title="Browsers and systems" what="Browser and system" caption=format!("{now}, by browser and operating system.") slices=by_client/>
            <charts::PayloadBands fill=payload_fill/>
        </div>
    }
}

/// **App** and **Range** selects; a plain GET of `/analytics` without JavaScript.
#[component]
fn Filters(query: AnalyticsQuery, apps: Vec<(String, String)>) -> impl IntoView {
    let navigate = use_navigate();
    let current = StoredValue::new(query.clone());
    let go = move |change: &dyn Fn(&mut AnalyticsQuery)| {
        let mut next = current.get_value();
        change(&mut next);
        navigate(&next.to_url(), NavigateOptions { replace: true, scroll: false, ..Default::default() });
    };
    let on_app = {
        let go = go.clone();
        move |event| {
            let chosen = event_target_value(&event);
            go(&|query: &mut AnalyticsQuery| query.app = Some(chosen.clone()).filter(|app| !app.is_empty()));
        }
    };
    let on_range = move |event| {
        let chosen = Range::parse(&event_target_value(&event)).unwrap_or_default();
        go(&|query: &mut AnalyticsQuery| query.range = chosen);
    };
    let app_options = apps
        .into_iter()
        .map(|(slug, name)| {
            let selected = query.app.as_deref() == Some(slug.as_str());
            view! { <option value=slug selected=selected>{name}</option> }
        })
        .collect_view();
    let range_options = Range::ALL
        .into_iter()
        .map(|range| view! { <option value=range.as_str() selected=query.range == range>{range.label()}</option> })
        .collect_view();
    view! {
        <form class="toolbar analytics-filters" method="get" action="/analytics" on:submit=|event| event.prevent_default()>
            <label class="filter">
                "App"
                <select name="app" on:change=on_app>
                    <option value="" selected=query.app.is_none()>"All apps"</option>
                    {app_options}
                </select>
            </label>
            <label class="filter">
                "Range"
                <select name="range" on:change=on_range>{range_options}</select>
            </label>
            <noscript><button type="submit" class="button">"Show"</button></noscript>
        </form>
    }
}

//! `/my/sessions`: the signed-in user's own sessions, the current one marked "This device".

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use crate::api::my_sessions::list_my_sessions;
use crate::components::live_events::use_live_events;
use crate::components::require_user::RequireUser;
use crate::format::{or_unknown, Unknown};
use crate::model::OwnSessionView;
use crate::routes;
use crate::time_zone::{use_viewer_zone, ZoneNote};

/// The route: its code is a chunk of its own, so the Sessions console does not carry it.
pub struct MySessionsRoute;

#[lazy_route]
impl LazyRoute for MySessionsRoute {
    fn data() -> Self {
        MySessionsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <MySessionsPage/> }.into_any()
    }
}

#[component]
pub fn MySessionsPage() -> impl IntoView {
    view! {
        <RequireUser page=&routes::MY_SESSIONS children=|_user| view! { <OwnSessions/> }/>
    }
}

#[component]
fn OwnSessions() -> impl IntoView {
    let live = use_live_events();
    let sessions = Resource::new(move || live.sessions.get(), |_| list_my_sessions());
    view! {
        <section class="page">
            <h1>"My sessions"</h1>
            <p class="subtitle">"Where you are signed in to Roster."</p>
            <ZoneNote/>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) => Either::Left(view! { <OwnSessionList sessions=list/> }),
                        Err(error) => Either::Right(view! { <p role="alert" class="form-error">{error.to_string()}</p> }),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn OwnSessionList(sessions: Vec<OwnSessionView>) -> impl IntoView {
    if sessions.is_empty() {
        return Either::Left(view! { <p>"No active sessions."</p> });
    }
    let zone = use_viewer_zone();
    let at = move |ms: Option<i64>| move || ms.map_or_else(|| "-".to_string(), |ms| zone.get().full(ms));
    Either::Right(view! {
        <ul class="cards" aria-label="Your sessions">
            {sessions
                .into_iter()
                .map(move |session| {
                    view! {
                        <li class="card">
                            <div class="card-head">
                                <strong>{session.app_id.clone()}</strong>
                                {session.is_current.then(|| view! { <span class="badge current">"This device"</span> })}
                            </div>
                            <dl>
                                <dt>"Device"</dt>
                                <dd>{or_unknown(&session.device, Unknown::Browser)}</dd>
                                <dt>"IP"</dt>
                                <dd>{or_unknown(&session.ip, Unknown::Ip)}</dd>
                                <dt>"Signed in"</dt>
                                <dd>{at(Some(session.created_at_ms))}</dd>
                                <dt>"Last active"</dt>
                                <dd>{at(Some(session.last_active_at_ms))}</dd>
                                <dt>"Expires"</dt>
                                <dd>{at(session.expires_at_ms)}</dd>
                            </dl>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    })
}

//! `/my/sessions`: every signed-in user's own sessions in every app, this browser's first; warning signs, the
//! details of each, and signing out of one or of all the others. Follows changes live.

mod dialogs;
mod item;
mod state;

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};
use server_fn::ServerFn;

use crate::api::my_sessions::SignOutMyOtherSessions;
use crate::components::require_user::RequireUser;
use crate::components::toast::Toast;
use crate::model::{OwnSessionView, OwnSessions};
use crate::routes;
use crate::time_zone::ZoneNote;
use item::SessionItem;
use state::{use_my_sessions, MySessionsState};

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
        <RequireUser page=&routes::MY_SESSIONS children=|_user| view! { <OwnSessionsPage/> }/>
    }
}

#[component]
fn OwnSessionsPage() -> impl IntoView {
    let state = MySessionsState::new();
    provide_context(state);
    view! {
        <section class="page my-sessions">
            <h1>"My sessions"</h1>
            <p class="subtitle">"Where you are signed in, in every app. Sign out of anything you do not recognise."</p>
            <ZoneNote/>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match state.sessions.await {
                        Ok(list) => Either::Left(view! { <SessionLists list/> }),
                        Err(error) => Either::Right(view! { <p role="alert" class="form-error">{error.to_string()}</p> }),
                    }
                })}
            </Transition>
            <dialogs::DetailsDialog/>
            <dialogs::SignOutDialog/>
            <dialogs::SignOutAllDialog/>
            <Toast message=state.toast/>
        </section>
    }
}

#[component]
fn SessionLists(list: OwnSessions) -> impl IntoView {
    let (current, others): (Vec<OwnSessionView>, Vec<OwnSessionView>) =
        list.sessions.into_iter().partition(|session| session.is_current);
    let now_ms = list.now_ms;
    let items = move |sessions: Vec<OwnSessionView>| {
        sessions.into_iter().map(|session| view! { <SessionItem session now_ms/> }).collect_view()
    };
    let others_part = if others.is_empty() {
        Either::Left(view! { <p class="muted">"You are not signed in anywhere else."</p> })
    } else {
        Either::Right(view! {
            <ul class="own-sessions" aria-labelledby="other-sessions">{items(others)}</ul>
            <SignOutAllButton/>
        })
    };
    view! {
        <h2 id="current-session">"Current session"</h2>
        <ul class="own-sessions" aria-labelledby="current-session">{items(current)}</ul>
        <h2 id="other-sessions">"Other sessions"</h2>
        {others_part}
    }
}

/// A plain form post before the script loads; once it has, the click opens the dialog that lists them first.
#[component]
fn SignOutAllButton() -> impl IntoView {
    let state = use_my_sessions();
    view! {
        <form method="post" action=SignOutMyOtherSessions::PATH class="sign-out-all">
            <button
                type="submit"
                class="button danger"
                on:click=move |event| {
                    event.prevent_default();
                    state.sign_out_all_open.set(true);
                }
            >
                "Sign out all other sessions"
            </button>
        </form>
    }
}

//! `/apps`: the apps registered to create and validate sessions, each with its API keys (last used, requests in
//! the last 24 hours), and the admin API's tokens, for owners and admins. Registering, editing, issuing and
//! revoking happen here; a new key or token is shown once.

mod dialogs;
mod list;
mod state;

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use crate::components::require_user::RequireUser;
use crate::components::toast::Toast;
use crate::routes;
use crate::time_zone::ZoneNote;
use state::AppsState;

/// The route: its code is a chunk of its own.
pub struct AppsRoute;

#[lazy_route]
impl LazyRoute for AppsRoute {
    fn data() -> Self {
        AppsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <AppsPage/> }.into_any()
    }
}

#[component]
pub fn AppsPage() -> impl IntoView {
    view! {
        <RequireUser page=&routes::APPS children=|_user| view! { <RegisteredApps/> }/>
    }
}

#[component]
fn RegisteredApps() -> impl IntoView {
    let state = AppsState::new();
    provide_context(state);
    let viewer_zone = crate::time_zone::use_viewer_zone();
    view! {
        <section class="page apps">
            <div class="page-head">
                <div>
                    <h1>"Apps"</h1>
                    <p class="subtitle">"The apps that may create and validate sessions, with their API keys, and the admin API's tokens."</p>
                </div>
                <div class="toolbar-actions">
                    <button type="button" class="button primary" on:click=move |_| state.register_open.set(true)>"Register app"</button>
                </div>
            </div>
            <ZoneNote/>
            <Transition fallback=|| view! { <p class="loading">"Loading apps…"</p> }>
                {move || {
                    // Drawn again when the browser names its time zone after hydration: the times follow it.
                    let _ = viewer_zone.get();
                    Suspend::new(async move {
                    match state.overview.await {
                        Ok(overview) => {
                            let (tokens, now_ms) = (overview.admin_tokens.clone(), overview.now_ms);
                            Either::Left(view! {
                                <list::AppList overview/>
                                <section class="admin-tokens" aria-labelledby="tokens-heading">
                                    <div class="section-head">
                                        <h2 id="tokens-heading">"Admin tokens"</h2>
                                        <button type="button" class="button" on:click=move |_| state.token_open.set(true)>"New token"</button>
                                    </div>
                                    <list::TokenTable tokens now_ms/>
                                </section>
                            })
                        }
                        Err(error) => Either::Right(view! { <p role="alert" class="form-error">{error.to_string()}</p> }),
                    }
                    })
                }}
            </Transition>
            <dialogs::RegisterAppDialog/>
            <dialogs::EditAppDialog/>
            <dialogs::NewTokenDialog/>
            <dialogs::RevokeDialog/>
            <dialogs::IssuedDialog/>
            <Toast message=state.toast/>
        </section>
    }
}

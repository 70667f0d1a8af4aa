//! The console's header: product name, navigation to the pages the route table lets the user open, the
//! signed-in user, Sign out; and, for a signed-in user, the live event stream's connection.

use leptos::prelude::*;
use leptos_router::components::A;
use server_fn::ServerFn;

use super::auth::{use_auth, AuthState};
use super::later::after_hydration;
use super::live_events::{live_connection, StreamDownNote};
use crate::api::auth::Logout;
use crate::routes;

#[component]
pub fn Header() -> impl IntoView {
    let auth = use_auth();
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Roster"</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match auth.state().await {
                        AuthState::SignedIn(user) => {
                            Some(view! {
                                <nav class="nav" aria-label="Main">
                                    {routes::navigation(user.role)
                                        .map(|page| view! { <A href=page.path>{page.nav_label}</A> })
                                        .collect_view()}
                                </nav>
                                <StreamDownNote/>
                                {after_hydration(live_connection)}
                                <div class="who">
                                    <span class="who-name" title=user.email.clone()>{user.display_name.clone()}</span>
                                    <span class="badge role">{user.role.label()}</span>
                                    // A plain form, not `ActionForm`: that one parses the form in the browser,
                                    // a parser every page would carry for a form without fields.
                                    <form
                                        method="post"
                                        action=Logout::PATH
                                        on:submit=move |event| {
                                            event.prevent_default();
                                            auth.logout.dispatch(Logout {});
                                        }
                                    >
                                        <button type="submit" class="button secondary">"Sign out"</button>
                                    </form>
                                </div>
                            })
                        }
                        _ => None,
                    }
                })}
            </Suspense>
        </header>
    }
}

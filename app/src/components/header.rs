//! The console's header: product name, navigation to the pages the route table lets the user open, the
//! signed-in user, Sign out; and, for a signed-in user, the live event stream's connection.

use leptos::prelude::*;
use leptos_router::components::A;
use server_fn::ServerFn;

use super::auth::{use_auth, AuthState};
use super::later::after_hydration;
use super::live_events::{live_connection, use_live_events};
use crate::api::auth::Logout;
use crate::routes;

#[component]
pub fn Header() -> impl IntoView {
    let auth = use_auth();
    let open_alarms = use_live_events().open_alarms;
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Roster"</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match auth.state().await {
                        AuthState::SignedIn(user) => {
                            Some(view! {
                                <nav class="nav" aria-label="Main">
                                    // One link per row of the route table, each shown when the role may open it:
                                    // a fixed list, not a dynamic one, keeps the main WASM within its budget.
                                    <NavLink page=&routes::SESSIONS role=user.role/>
                                    <NavLink page=&routes::HISTORY role=user.role/>
                                    <NavLink page=&routes::MY_SESSIONS role=user.role/>
                                    <NavLink page=&routes::USERS role=user.role/>
                                    <NavLink page=&routes::APPS role=user.role/>
                                    <NavLink page=&routes::AUDIT role=user.role/>
                                    <NavLink page=&routes::ALARMS role=user.role count=open_alarms/>
                                    <NavLink page=&routes::ANALYTICS role=user.role/>
                                    <NavLink page=&routes::SETTINGS role=user.role/>
                                </nav>
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

/// A page's link when `role` may open it; with `count` (the Alarms link), the number after its label, as the live
/// stream last said. Every link is this one component, so the main WASM carries one link's code.
#[component]
fn NavLink(
    page: &'static routes::Page,
    role: crate::model::Role,
    #[prop(optional)] count: Option<RwSignal<Option<i64>>>,
) -> impl IntoView {
    let counted = move || count.and_then(|count| count.get()).map(|n| format!(" ({n})"));
    page.allowed(role).then(|| view! { <A href=page.path exact=true>{page.nav_label}{counted}</A> })
}

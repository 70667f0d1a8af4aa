//! The console's header: product name, navigation to the pages that exist, the signed-in user, Sign out.

use leptos::prelude::*;
use leptos_router::components::A;
use server_fn::ServerFn;

use super::auth::{use_auth, AuthState};
use crate::api::auth::Logout;

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
                                    {user.role.sees_all_sessions().then(|| view! { <A href="/sessions">"Sessions"</A> })}
                                    <A href="/my/sessions">"My sessions"</A>
                                </nav>
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

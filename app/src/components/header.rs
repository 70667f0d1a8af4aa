//! The console's header: product name, navigation to the pages that exist, the signed-in user, Sign out.

use leptos::prelude::*;
use leptos_router::components::A;

use super::auth::{use_auth, AuthState};

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
                                    <ActionForm action=auth.logout>
                                        <button type="submit" class="button secondary">"Sign out"</button>
                                    </ActionForm>
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

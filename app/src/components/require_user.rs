//! The guard around every signed-in page: anonymous visitors go to `/login`, users whose role may not see the
//! page go to their own landing page. The server functions check again; this only decides what to render.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use super::auth::{use_auth, AuthState};
use crate::model::{CurrentUser, Role};

#[component]
pub fn RequireUser<F, IV>(allow: fn(Role) -> bool, children: F) -> impl IntoView
where
    F: Fn(CurrentUser) -> IV + Clone + Send + Sync + 'static,
    IV: IntoView + 'static,
{
    let auth = use_auth();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match auth.state().await {
                        AuthState::SignedIn(user) if allow(user.role) => children(user).into_any(),
                        AuthState::SignedIn(user) => {
                            view! { <Redirect path=user.role.landing_page()/> }.into_any()
                        }
                        AuthState::Anonymous => view! { <Redirect path="/login"/> }.into_any(),
                        AuthState::Failed(error) => {
                            view! { <p role="alert" class="form-error">{error.to_string()}</p> }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

/// Every signed-in user may see the page.
pub fn any_role(_: Role) -> bool {
    true
}

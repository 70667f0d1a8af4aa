//! The guard around every signed-in page: anonymous visitors go to `/login`, users whose role may not see the
//! page go to their own landing page. The server functions check again; this only decides what to render.

use leptos::either::EitherOf3;
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
                    // `EitherOf3`, not `into_any()`: erasing a whole page would bring every render path of it
                    // into the WASM, used or not.
                    match auth.state().await {
                        AuthState::SignedIn(user) if allow(user.role) => EitherOf3::A(children(user)),
                        AuthState::SignedIn(user) => EitherOf3::B(view! { <Redirect path=user.role.landing_page()/> }),
                        AuthState::Anonymous => EitherOf3::B(view! { <Redirect path="/login"/> }),
                        AuthState::Failed(error) => {
                            EitherOf3::C(view! { <p role="alert" class="form-error">{error.to_string()}</p> })
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

//! The guard around every signed-in page: anonymous visitors go to `/login`, users whose role may not open the
//! page (by the route table) go to their own landing page. The server functions check again; this only decides
//! what to render. It also sets the page's title from the table.

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_router::components::Redirect;

use leptos_meta::Title;

use super::auth::{use_auth, AuthState};
use super::hydration_mark::mark_hydrated;
use crate::model::CurrentUser;
use crate::routes::Page;

#[component]
pub fn RequireUser<F, IV>(page: &'static Page, children: F) -> impl IntoView
where
    F: FnOnce(CurrentUser) -> IV + Send + 'static,
    IV: IntoView + 'static,
{
    let auth = use_auth();
    view! {
        <Title text=page.title/>
        // A `Transition`, not a `Suspense`: a resource the page reads outside its own Transitions (a memo of its
        // data, a dialog's figures) registers with this boundary too, and a Suspense would swap the whole page for
        // its fallback each time that resource loads again (every live event), taking open dialogs and a
        // half-typed search with it. A Transition shows the fallback only until the page first renders.
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            // A plain `Suspend`, not a closure returning one: the server checks its children again
            // before it answers, and a closure would be called again each time, building the page again with new
            // resources whose loads the dropped copies then lose (loads without the request's context, a page
            // that never answers, a browser reading the wrong resource as it hydrates; leptos-rs/leptos#4866).
            // Made here, in its children (called once), the page is built once and under the boundary,
            // which then waits for the page's own resources too. Signing out needs nothing here: the
            // sign-out answer redirects to /login, which the router follows.
            {Suspend::new(async move {
                let state = auth.state().await;
                mark_hydrated();
                // `EitherOf3`, not `into_any()`: erasing a whole page would bring every render path of it into
                // the WASM, used or not.
                match state {
                    AuthState::SignedIn(user) if page.allowed(user.role) => EitherOf3::A(children(user)),
                    AuthState::SignedIn(user) => EitherOf3::B(view! { <Redirect path=user.role.landing_page()/> }),
                    AuthState::Anonymous => EitherOf3::B(view! { <Redirect path="/login"/> }),
                    AuthState::Failed(error) => {
                        EitherOf3::C(view! { <p role="alert" class="form-error">{error.to_string()}</p> })
                    }
                }
            })}
        </Transition>
    }
}

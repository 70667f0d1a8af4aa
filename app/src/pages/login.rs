//! `/login`: email and password. Works as a plain form post before the WASM has loaded.

use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use leptos_router::{lazy_route, LazyRoute};
use server_fn::ServerFn;

use crate::api::auth::Login;
use crate::components::auth::{use_auth, AuthState};
use crate::components::hydration_mark::mark_hydrated;
use crate::error::ConsoleError;

/// The route: its code is a chunk of its own (`cargo leptos build --split`), fetched only by whoever signs in.
pub struct LoginRoute;

#[lazy_route]
impl LazyRoute for LoginRoute {
    fn data() -> Self {
        LoginRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <LoginPage/> }.into_any()
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    mark_hydrated();
    let auth = use_auth();
    let login = auth.login;
    let (email, password, remember) =
        (NodeRef::<Input>::new(), NodeRef::<Input>::new(), NodeRef::<Input>::new());
    // Runs only once the browser has checked the required fields.
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if let (Some(email), Some(password), Some(remember)) = (email.get(), password.get(), remember.get()) {
            login.dispatch(Login {
                email: email.value(),
                password: password.value(),
                remember_me: remember.checked().then(|| "on".to_string()),
            });
        }
    };
    let query = use_query_map();
    let zone = crate::time_zone::use_viewer_zone();
    // Why this browser was signed out (when someone or something else did it), and whether Remember me is
    // offered: rendered with the page.
    let page = Resource::new(|| (), |_| crate::api::auth::sign_in_page());
    let notice_text = move || {
        page.get()
            .and_then(Result::ok)
            .and_then(|page| page.notice)
            .map(|notice| notice.text(&zone.get().full(notice.ended_at_ms)))
    };
    // With JavaScript the action holds the error; without, the server redirected back with it in the URL.
    let failure = move || {
        login
            .value()
            .get()
            .and_then(|result| result.err())
            .or_else(|| query.with(|query| query.get_str("__err").and_then(ConsoleError::from_url_param)))
    };
    view! {
        <Title text="Sign in"/>
        <Suspense>
            {move || Suspend::new(async move {
                match auth.state().await {
                    AuthState::SignedIn(user) => Some(view! { <Redirect path=user.role.landing_page()/> }),
                    _ => None,
                }
            })}
        </Suspense>
        <section class="login-card">
            <h1>"Sign in to Roster"</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let _ = page.await;
                    notice_text().map(|text| view! { <p class="notice" data-testid="sign-out-notice">{text}</p> })
                })}
            </Suspense>
            // Before the WASM loads, a plain form post; after, the same fields through `auth.login`.
            <form method="post" action=Login::PATH class="login-form" on:submit=submit>
                <label for="email">"Email"</label>
                <input
                    id="email"
                    type="email"
                    name="email"
                    autocomplete="username"
                    required
                    maxlength="254"
                    node_ref=email
                />
                <label for="password">"Password"</label>
                <input
                    id="password"
                    type="password"
                    name="password"
                    autocomplete="current-password"
                    required
                    node_ref=password
                />
                // Shown unless the workspace's settings forbid remembered sessions; inside a Suspense, so the server
                // renders it already knowing which.
                <Suspense>
                    {move || Suspend::new(async move {
                        let allowed = page.await.map_or(true, |page| page.remember_me_allowed);
                        view! {
                            <label class="check" hidden=!allowed>
                                <input type="checkbox" name="remember_me" value="on" node_ref=remember/>
                                "Remember me"
                            </label>
                        }
                    })}
                </Suspense>
                <button type="submit" class="button primary" disabled=move || login.pending().get()>
                    "Sign in"
                </button>
            </form>
            <p role="alert" class="form-error" hidden=move || failure().is_none()>
                {move || failure().map(|error| error.to_string())}
            </p>
        </section>
    }
}

//! Roster's console: pages, components, the types the browser sees, and the server functions it calls.

// Leptos views are deeply nested types; the Sessions page needs more than the default 128.
#![recursion_limit = "256"]

pub mod alarm_webhook;
pub mod alarms;
pub mod analytics;
pub mod api;
pub mod apps;
pub mod audit_log;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod browser;
pub mod components;
pub mod end_cause;
pub mod error;
pub mod format;
pub mod history;
pub mod live;
pub mod model;
pub mod own_session;
pub mod pages;
pub mod routes;
pub mod session_detail;
pub mod session_query;
pub mod settings;
pub mod team;
pub mod time_zone;
pub mod user_query;
pub mod wire;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

pub use error::ConsoleError;

use components::auth::provide_auth;
use components::header::Header;
use components::live_events::provide_live_events;
use pages::{
    analytics::AnalyticsRoute, apps::AppsRoute, login::LoginRoute, my_sessions::MySessionsRoute,
    not_found::NotFound, oversight::OversightRoute, sessions::SessionsPage, settings::SettingsRoute,
    users::UsersRoute,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_auth();
    provide_live_events();

    view! {
        <Stylesheet id="leptos" href="/pkg/roster.css"/>
        <Title formatter=|page: String| if page.is_empty() { "Roster".to_string() } else { format!("{page} · Roster") }/>
        <Router>
            <Header/>
            <main id="main">
                // Async rendering: a protected page's redirect becomes a real 302, and a page read without
                // JavaScript already holds its data. `/login` and `/my/sessions` are WASM chunks of their own,
                // so the Sessions console, the page admins live on, does not load their code.
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomeRedirect ssr=SsrMode::Async/>
                    <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/sessions") view=SessionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/sessions/history") view={Lazy::<OversightRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/audit") view={Lazy::<OversightRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/alarms") view={Lazy::<OversightRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/my/sessions") view={Lazy::<MySessionsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/users") view={Lazy::<UsersRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/apps") view={Lazy::<AppsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/analytics") view={Lazy::<AnalyticsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}

/// `/` sends each visitor where they belong: anonymous to sign-in, others to their landing page.
#[component]
fn HomeRedirect() -> impl IntoView {
    use components::auth::{use_auth, AuthState};
    use leptos_router::components::Redirect;
    let auth = use_auth();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let target = match auth.state().await {
                    AuthState::SignedIn(user) => user.role.landing_page(),
                    _ => "/login",
                };
                view! { <Redirect path=target/> }
            })}
        </Suspense>
    }
}

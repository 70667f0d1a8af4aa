//! `/settings`: the workspace's session policy, for owners: idle timeout, absolute lifetime, Remember Me, and the
//! sessions-per-user limit with what happens when it is reached. Saved all at once; existing sessions follow.
//! Below it, the alarm webhook, saved on its own.

mod webhook;

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use crate::api::settings::{load_settings, save_settings, SaveSettings};
use crate::components::require_user::RequireUser;
use crate::components::toast::Toast;
use crate::routes;
use crate::settings::{IdleTimeout, LimitAction, WorkspaceSettings};
use webhook::AlarmWebhookSection;

/// The route: its code is a chunk of its own.
pub struct SettingsRoute;

#[lazy_route]
impl LazyRoute for SettingsRoute {
    fn data() -> Self {
        SettingsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <SettingsPage/> }.into_any()
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <RequireUser page=&routes::SETTINGS children=|_user| view! { <PolicyPage/> }/>
    }
}

#[component]
fn PolicyPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| load_settings());
    let toast = RwSignal::new(None::<String>);
    view! {
        <section class="page settings">
            <h1>"Settings"</h1>
            <p class="subtitle">"How long sessions last and how many each person may have, in every app."</p>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(settings) => view! { <PolicyForm settings toast/> }.into_any(),
                        Err(error) => view! { <p role="alert" class="form-error">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <AlarmWebhookSection toast/>
            <Toast message=toast/>
        </section>
    }
}

/// A number field's text, read as a whole number when saved.
fn whole(text: &str, name: &str) -> Result<i64, String> {
    text.trim().parse().map_err(|_| format!("{name} must be a whole number."))
}

#[component]
fn PolicyForm(settings: WorkspaceSettings, toast: RwSignal<Option<String>>) -> impl IntoView {
    let idle = RwSignal::new(settings.idle_timeout);
    let lifetime = RwSignal::new(settings.absolute_lifetime_hours.to_string());
    let allow_remember = RwSignal::new(settings.allow_remember_me);
    let remembered = RwSignal::new(settings.remembered_days.to_string());
    let max_sessions = RwSignal::new(settings.max_sessions_per_user.to_string());
    let when_full = RwSignal::new(settings.when_limit_reached);
    let problem = RwSignal::new(None::<String>);
    let save = Action::new(|input: &SaveSettings| save_settings(input.settings.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            problem.set(None);
            toast.set(Some("Settings saved. Active sessions follow the new limits within a minute.".into()));
        }
        Some(Err(error)) => problem.set(Some(error.to_string())),
        None => {}
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let read = || -> Result<WorkspaceSettings, String> {
            Ok(WorkspaceSettings {
                idle_timeout: idle.get_untracked(),
                absolute_lifetime_hours: whole(&lifetime.get_untracked(), "Absolute lifetime (hours)")?,
                allow_remember_me: allow_remember.get_untracked(),
                remembered_days: whole(&remembered.get_untracked(), "Remembered sessions last (days)")?,
                max_sessions_per_user: whole(&max_sessions.get_untracked(), "Maximum sessions per user")?,
                when_limit_reached: when_full.get_untracked(),
            })
        };
        match read() {
            Ok(settings) => {
                save.dispatch(SaveSettings { settings });
            }
            Err(message) => problem.set(Some(message)),
        }
    };
    let number = move |label: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field">
                {label}
                <input type="number" step="1" prop:value=move || value.get() on:input=move |event| value.set(event_target_value(&event))/>
            </label>
        }
    };
    view! {
        <form class="settings-form" on:submit=submit>
            <fieldset role="radiogroup" aria-labelledby="idle-legend">
                <legend id="idle-legend">"Sign out inactive sessions after"</legend>
                {IdleTimeout::ALL
                    .into_iter()
                    .map(|choice| view! {
                        <label class="choice">
                            <input type="radio" name="idle" value=choice.as_str() prop:checked=move || idle.get() == choice on:change=move |_| idle.set(choice)/>
                            {choice.label()}
                        </label>
                    })
                    .collect_view()}
            </fieldset>
            {number("Absolute lifetime (hours)", lifetime)}
            <label class="choice">
                <input type="checkbox" prop:checked=move || allow_remember.get() on:change=move |event| allow_remember.set(event_target_checked(&event))/>
                "Allow \"Remember Me\" on login"
            </label>
            {number("Remembered sessions last (days)", remembered)}
            {number("Maximum sessions per user", max_sessions)}
            <fieldset role="radiogroup" aria-labelledby="full-legend">
                <legend id="full-legend">"When the limit is reached"</legend>
                {LimitAction::ALL
                    .into_iter()
                    .map(|choice| view! {
                        <label class="choice">
                            <input type="radio" name="when_full" value=choice.as_str() prop:checked=move || when_full.get() == choice on:change=move |_| when_full.set(choice)/>
                            {choice.label()}
                        </label>
                    })
                    .collect_view()}
            </fieldset>
            <p role="alert" class="form-error" hidden=move || problem.with(Option::is_none)>{move || problem.get()}</p>
            <button type="submit" class="button primary" disabled=move || save.pending().get()>"Save"</button>
        </form>
    }
}

//! The Settings page's **Alarm webhook**: the URL new alarms are posted to, the signing secret shown once when
//! it is saved, **Send test event**, and how the last delivery went.

use leptos::prelude::*;

use crate::alarm_webhook::{url_problem, AlarmWebhookView, SavedWebhook, WebhookDelivery, SIGNATURE_HEADER};
use crate::api::settings::{load_alarm_webhook, save_alarm_webhook, test_alarm_webhook};
use crate::components::shown_once::ShownOnce;
use crate::time_zone::use_viewer_zone;
use crate::ConsoleError;

/// `toast`: the page's one toast, where saving says what it did.
#[component]
pub fn AlarmWebhookSection(toast: RwSignal<Option<String>>) -> impl IntoView {
    let loaded = Resource::new(|| (), |_| load_alarm_webhook());
    view! {
        <section class="webhook" aria-labelledby="webhook-heading">
            <h2 id="webhook-heading">"Alarm webhook"</h2>
            <p class="subtitle">
                "Roster posts every new alarm to this URL as JSON, signed in the " <code>{SIGNATURE_HEADER}</code>
                " header (HMAC-SHA256 over the timestamp and the body), and retries for about two hours while the "
                "receiver fails. Leave it empty to post nothing."
            </p>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(webhook) => view! { <WebhookForm webhook toast/> }.into_any(),
                        Err(error) => view! { <p role="alert" class="form-error">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn WebhookForm(webhook: AlarmWebhookView, toast: RwSignal<Option<String>>) -> impl IntoView {
    let url = RwSignal::new(webhook.url.clone().unwrap_or_default());
    let saved_url = RwSignal::new(webhook.url);
    let sent_url = RwSignal::new(String::new());
    let delivery = RwSignal::new(webhook.last_delivery);
    let secret = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let save = Action::new(|url: &String| save_alarm_webhook(url.clone()));
    let test = Action::new(|_: &()| test_alarm_webhook());
    Effect::new(move |_| {
        let outcome: Option<Result<SavedWebhook, ConsoleError>> = save.value().get();
        match outcome {
            Some(Ok(saved)) => {
                let now_set = Some(sent_url.get_untracked()).filter(|url| !url.is_empty());
                toast.set(Some(if now_set.is_some() { "Webhook set." } else { "Webhook removed." }.into()));
                saved_url.set(now_set);
                secret.set(saved.signing_secret);
                delivery.set(None);
                problem.set(None);
            }
            Some(Err(error)) => problem.set(Some(error.to_string())),
            None => {}
        }
    });
    Effect::new(move |_| {
        let outcome: Option<Result<WebhookDelivery, ConsoleError>> = test.value().get();
        match outcome {
            Some(Ok(attempt)) => {
                problem.set(None);
                delivery.set(Some(attempt));
            }
            Some(Err(error)) => problem.set(Some(error.to_string())),
            None => {}
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = url.get_untracked().trim().to_string();
        if let Some(message) = url_problem(&typed) {
            problem.set(Some(message));
            return;
        }
        sent_url.set(typed.clone());
        save.dispatch(typed);
    };
    let remove = move |_| {
        url.set(String::new());
        sent_url.set(String::new());
        save.dispatch(String::new());
    };
    let busy = move || save.pending().get() || test.pending().get();
    view! {
        <form class="settings-form webhook-form" on:submit=submit>
            <label class="field">
                "Webhook URL"
                <input
                    type="url"
                    inputmode="url"
                    placeholder="https://hooks.example.com/roster"
                    autocomplete="off"
                    prop:value=move || url.get()
                    on:input=move |event| url.set(event_target_value(&event))
                />
            </label>
            <p role="alert" class="form-error" hidden=move || problem.with(Option::is_none)>{move || problem.get()}</p>
            <div class="form-buttons">
                // Not "Save …": the policy's **Save** is the page's one button of that name.
                <button type="submit" class="button primary" disabled=busy>"Set webhook"</button>
                <Show when=move || saved_url.with(Option::is_some)>
                    <button type="button" class="button" disabled=busy on:click=move |_| { test.dispatch(()); }>
                        "Send test event"
                    </button>
                    <button type="button" class="button" disabled=busy on:click=remove>"Remove webhook"</button>
                </Show>
            </div>
        </form>
        {move || secret.get().map(|value| view! {
            <ShownOnce
                label="Signing secret"
                value
                note="Shown once: give it to the receiver now to check each post's signature. Saving the URL again makes a new secret."
            />
        })}
        <LastDelivery delivery/>
    }
}

/// "Last delivery: delivered, HTTP 200 OK, at 2026-12-03 14:05 UTC" (or what went wrong), announced politely
/// (a live region, not a `status`: the page's toast is its one status).
#[component]
fn LastDelivery(delivery: RwSignal<Option<WebhookDelivery>>) -> impl IntoView {
    let zone = use_viewer_zone();
    view! {
        <p class="last-delivery" aria-live="polite">
            {move || delivery.get().map(|attempt| {
                let outcome = if attempt.delivered { "delivered" } else { "failed" };
                view! {
                    "Last delivery: "
                    <strong class:failed=!attempt.delivered>{outcome}</strong>
                    {format!(", {}, at {}", attempt.detail, zone.get().full(attempt.at_ms))}
                }
            })}
        </p>
    }
}

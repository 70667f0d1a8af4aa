//! The Apps page's dialogs: Register app, Edit app, New token, the Revoke confirmation, and the dialog that
//! shows a new key or token once.

use leptos::html::Dialog;
use leptos::prelude::*;

use super::state::{use_apps, Revoking};
use crate::api::apps::{NewAdminToken, RegisterApp, RevokeAdminToken, RevokeAppKey, UpdateApp};
use crate::apps::{name_problem, AppForm, APP_ID_RULE, DEFAULT_PAYLOAD_LIMIT, MAX_PAYLOAD_LIMIT};
use crate::components::modal::modal_while;
use crate::components::shown_once::ShownOnce;

fn text_field(label: &'static str, value: RwSignal<String>, hint: Option<&'static str>) -> impl IntoView {
    view! {
        <label class="field">
            {label}
            <input type="text" autocomplete="off" spellcheck="false" prop:value=move || value.get() on:input=move |event| value.set(event_target_value(&event))/>
        </label>
        {hint.map(|text| view! { <p class="hint">{text}</p> })}
    }
}

fn limit_field(value: RwSignal<String>) -> impl IntoView {
    view! {
        <label class="field">
            "Payload limit (bytes)"
            <input
                type="number"
                min="1"
                max=MAX_PAYLOAD_LIMIT
                step="1"
                inputmode="numeric"
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
            />
        </label>
    }
}

/// The form's values, or what is wrong with them (the limit as typed may not be a number at all).
fn form_of(slug: String, name: String, limit: &str) -> Result<AppForm, String> {
    let max_payload_bytes =
        limit.trim().parse().map_err(|_| "The payload limit must be a whole number of bytes.".to_string())?;
    let form = AppForm { slug: slug.trim().to_string(), name, max_payload_bytes };
    form.problem().map_or(Ok(form), Err)
}

fn form_error(error: RwSignal<Option<String>>) -> impl IntoView {
    view! { <p role="alert" class="form-error" hidden=move || error.with(Option::is_none)>{move || error.get()}</p> }
}

#[component]
pub fn RegisterAppDialog() -> impl IntoView {
    let state = use_apps();
    let dialog = NodeRef::<Dialog>::new();
    modal_while(dialog, move || state.register_open.get());
    let (slug, name, limit) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    Effect::new(move |_| {
        if state.register_open.get() {
            slug.set(String::new());
            name.set(String::new());
            limit.set(DEFAULT_PAYLOAD_LIMIT.to_string());
            state.register_error.set(None);
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match form_of(slug.get_untracked(), name.get_untracked(), &limit.get_untracked()) {
            Ok(form) => {
                state.register_error.set(None);
                state.register.dispatch(RegisterApp { form });
            }
            Err(problem) => state.register_error.set(Some(problem)),
        }
    };
    view! {
        <dialog node_ref=dialog class="confirm" aria-labelledby="register-title" on:close=move |_| state.register_open.set(false)>
            <h2 id="register-title">"Register app"</h2>
            <form class="dialog-form" novalidate on:submit=submit>
                {text_field("App id", slug, Some(APP_ID_RULE))}
                {text_field("Name", name, None)}
                {limit_field(limit)}
                <p class="hint">"Each session's payload may hold at most this many bytes. It can be changed later."</p>
                {form_error(state.register_error)}
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| state.register_open.set(false)>"Cancel"</button>
                    <button type="submit" class="button primary" disabled=move || state.register.pending().get()>"Register"</button>
                </div>
            </form>
        </dialog>
    }
}

#[component]
pub fn EditAppDialog() -> impl IntoView {
    let state = use_apps();
    let dialog = NodeRef::<Dialog>::new();
    modal_while(dialog, move || state.edit_target.with(Option::is_some));
    let (name, limit) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    Effect::new(move |_| {
        if let Some(app) = state.edit_target.get() {
            name.set(app.name);
            limit.set(app.max_payload_bytes.to_string());
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(app) = state.edit_target.get_untracked() else {
            return;
        };
        match form_of(app.slug, name.get_untracked(), &limit.get_untracked()) {
            Ok(form) => {
                state.edit_error.set(None);
                state.update.dispatch(UpdateApp { form });
            }
            Err(problem) => state.edit_error.set(Some(problem)),
        }
    };
    let title = move || state.edit_target.with(|app| app.as_ref().map(|app| format!("Edit {}", app.slug)));
    view! {
        <dialog node_ref=dialog class="confirm" aria-labelledby="edit-app-title" on:close=move |_| state.edit_target.set(None)>
            <h2 id="edit-app-title">{title}</h2>
            <form class="dialog-form" novalidate on:submit=submit>
                {text_field("Name", name, None)}
                {limit_field(limit)}
                <p class="hint">"Lowering the limit leaves stored payloads as they are; each session's next write must fit."</p>
                {form_error(state.edit_error)}
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| state.edit_target.set(None)>"Cancel"</button>
                    <button type="submit" class="button primary" disabled=move || state.update.pending().get()>"Save changes"</button>
                </div>
            </form>
        </dialog>
    }
}

#[component]
pub fn NewTokenDialog() -> impl IntoView {
    let state = use_apps();
    let dialog = NodeRef::<Dialog>::new();
    modal_while(dialog, move || state.token_open.get());
    let name = RwSignal::new(String::new());
    Effect::new(move |_| {
        if state.token_open.get() {
            name.set(String::new());
            state.token_error.set(None);
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = name.get_untracked();
        match name_problem(&typed, "A token name") {
            Some(problem) => state.token_error.set(Some(problem)),
            None => {
                state.new_token.dispatch(NewAdminToken { name: typed });
            }
        }
    };
    view! {
        <dialog node_ref=dialog class="confirm" aria-labelledby="token-title" on:close=move |_| state.token_open.set(false)>
            <h2 id="token-title">"New admin token"</h2>
            <form class="dialog-form" novalidate on:submit=submit>
                {text_field("Token name", name, Some("Who or what will use it, for example: SIEM export."))}
                <p>"The token can list and end any session, disable users and read the audit log through /api/admin."</p>
                {form_error(state.token_error)}
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| state.token_open.set(false)>"Cancel"</button>
                    <button type="submit" class="button primary" disabled=move || state.new_token.pending().get()>"Create token"</button>
                </div>
            </form>
        </dialog>
    }
}

#[component]
pub fn RevokeDialog() -> impl IntoView {
    let state = use_apps();
    let dialog = NodeRef::<Dialog>::new();
    modal_while(dialog, move || state.revoking.with(Option::is_some));
    let title = move || {
        state.revoking.with(|target| match target {
            Some(Revoking::Token { .. }) => "Revoke admin token",
            _ => "Revoke API key",
        })
    };
    let facts = move || {
        state.revoking.get().map(|target| match target {
            Revoking::Key { prefix, app_name, .. } => format!(
                "The key {prefix}… of {app_name} is refused from its next request. Sessions it created stay active; \
                 the app needs another key to create or validate sessions."
            ),
            Revoking::Token { prefix, name, .. } => {
                format!("The admin token {name} ({prefix}…) is refused from its next request.")
            }
        })
    };
    let confirm = move |_| {
        match state.revoking.get_untracked() {
            Some(Revoking::Key { id, .. }) => {
                state.revoke_key.dispatch(RevokeAppKey { key_id: id });
            }
            Some(Revoking::Token { id, .. }) => {
                state.revoke_token.dispatch(RevokeAdminToken { token_id: id });
            }
            None => {}
        }
        state.revoking.set(None);
    };
    view! {
        <dialog node_ref=dialog class="confirm" aria-labelledby="revoke-title" on:close=move |_| state.revoking.set(None)>
            <h2 id="revoke-title">{title}</h2>
            <p>{facts}</p>
            <div class="dialog-actions">
                <button type="button" class="button" on:click=move |_| state.revoking.set(None)>"Cancel"</button>
                <button type="button" class="button danger" on:click=confirm>"Confirm"</button>
            </div>
        </dialog>
    }
}

/// A new key or token: shown once, with Copy, until **Done**.
#[component]
pub fn IssuedDialog() -> impl IntoView {
    let state = use_apps();
    let dialog = NodeRef::<Dialog>::new();
    modal_while(dialog, move || state.issued.with(Option::is_some));
    view! {
        <dialog node_ref=dialog class="confirm" aria-labelledby="issued-title" on:close=move |_| state.issued.set(None)>
            {move || state.issued.get().map(|issued| view! {
                <h2 id="issued-title">{issued.title}</h2>
                <ShownOnce
                    label=issued.label
                    value=issued.value
                    note="Shown once: Roster keeps only a hash. Copy it into the app's or script's configuration now."
                />
            })}
            <div class="dialog-actions">
                <button type="button" class="button primary" on:click=move |_| state.issued.set(None)>"Done"</button>
            </div>
        </dialog>
    }
}

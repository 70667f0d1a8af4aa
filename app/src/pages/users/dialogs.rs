//! The Users page's confirmations: Force sign out user (Logout All Devices), Disable, Add user, and Sign out
//! all team sessions. A reason is required where sessions end because of someone else's decision.

use leptos::html::Dialog;
use leptos::prelude::*;

use super::state::use_users;
use crate::api::auth::MIN_PASSWORD_CHARS;
use crate::api::users::{AddUser, ForceSignOutUser, SignOutTeam};
use crate::components::modal::modal_while;
use crate::components::reason_dialog::ReasonDialog;
use crate::format::{count_of, thousands};
use crate::model::Role;
use crate::team::UserSummary;

#[component]
pub fn ForceSignOutDialog() -> impl IntoView {
    let state = use_users();
    let facts = move |user: UserSummary| {
        view! {
            <dl class="confirm-facts">
                <dt>"User"</dt>
                <dd>{user.email.clone()}</dd>
                <dt>"Active sessions"</dt>
                <dd data-testid="force-active-sessions">{thousands(user.active_sessions)}</dd>
            </dl>
            <p>
                "Every session of " {user.name.clone()}
                " ends at once, in every app. Their tokens are refused from the next request; they can sign in again."
            </p>
        }
    };
    let confirm = move |user: UserSummary, reason: String, tell_user: bool| {
        state.force.dispatch(ForceSignOutUser { user_id: user.id, reason, tell_user });
    };
    view! { <ReasonDialog id="force-title" title="Force sign out user" target=state.force_target facts confirm/> }
}

#[component]
pub fn DisableDialog() -> impl IntoView {
    let state = use_users();
    let facts = move |user: UserSummary| {
        view! {
            <p>
                <strong>{user.email.clone()}</strong> " cannot sign in while disabled, and apps are refused new sessions for them. "
                {count_of(user.active_sessions, "active session")} " end now."
            </p>
        }
    };
    let confirm = move |user: UserSummary, reason: String, tell_user: bool| {
        state.set_disabled(user.id, true, reason, tell_user);
    };
    view! { <ReasonDialog id="disable-title" title="Disable user" target=state.disable_target facts confirm/> }
}

#[component]
pub fn AddUserDialog() -> impl IntoView {
    let state = use_users();
    let dialog = NodeRef::<Dialog>::new();
    modal_while(dialog, move || state.add_open.get());
    let (email, name, password) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let role = RwSignal::new(Role::Member);
    // A new dialog starts empty; a refused one keeps what was typed, to correct it.
    Effect::new(move |_| {
        if state.add_open.get() {
            for field in [email, name, password] {
                field.set(String::new());
            }
            role.set(Role::Member);
            state.add_error.set(None);
        }
    });
    let owner_may_add = state.caller.with_value(|caller| caller.role == Role::Owner);
    let roles = Role::ALL.into_iter().filter(move |role| owner_may_add || *role != Role::Owner);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        state.add.dispatch(AddUser {
            email: email.get_untracked(),
            name: name.get_untracked(),
            role: role.get_untracked(),
            password: password.get_untracked(),
        });
    };
    let text_field = move |label: &'static str, kind: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field">
                {label}
                <input type=kind prop:value=move || value.get() on:input=move |event| value.set(event_target_value(&event))/>
            </label>
        }
    };
    view! {
        <dialog node_ref=dialog class="confirm" aria-labelledby="add-title" on:close=move |_| state.add_open.set(false)>
            <h2 id="add-title">"Add user"</h2>
            <form class="dialog-form" on:submit=submit>
                {text_field("Email", "email", email)}
                {text_field("Name", "text", name)}
                <label class="field">
                    "Role"
                    <select on:change=move |event| role.set(Role::parse(&event_target_value(&event)).unwrap_or(Role::Member))>
                        {roles
                            .map(|option| view! { <option value=option.as_str() selected=move || role.get() == option>{option.label()}</option> })
                            .collect_view()}
                    </select>
                </label>
                {text_field("Password", "password", password)}
                <p class="hint">
                    {format!("Optional: only for console access, at least {MIN_PASSWORD_CHARS} characters.")}
                </p>
                <p role="alert" class="form-error" hidden=move || state.add_error.with(Option::is_none)>
                    {move || state.add_error.get()}
                </p>
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| state.add_open.set(false)>"Cancel"</button>
                    <button type="submit" class="button primary" disabled=move || state.add.pending().get()>"Add user"</button>
                </div>
            </form>
        </dialog>
    }
}

#[component]
pub fn SignOutTeamDialog() -> impl IntoView {
    let state = use_users();
    let dialog = NodeRef::<Dialog>::new();
    modal_while(dialog, move || state.team_open.get());
    let confirm = move |_| {
        state.team.dispatch(SignOutTeam {});
        state.team_open.set(false);
    };
    let count = move || state.latest().map_or(0, |page| page.total_active_sessions);
    view! {
        <dialog node_ref=dialog class="confirm" aria-labelledby="team-title" on:close=move |_| state.team_open.set(false)>
            <h2 id="team-title">"Sign out all team sessions?"</h2>
            <p>
                "This ends about " <strong>{move || count_of(count(), "active session")}</strong>
                " of every user in every app. Your own session here stays signed in."
            </p>
            <div class="dialog-actions">
                <button type="button" class="button" on:click=move |_| state.team_open.set(false)>"Cancel"</button>
                <button type="button" class="button danger" on:click=confirm>"Confirm"</button>
            </div>
        </dialog>
    }
}

//! What the Apps page's parts share: the overview, the dialogs' targets, the secret being shown once, the toast
//! and the actions.

use leptos::prelude::*;

use crate::api::apps::{
    load_apps, new_admin_token, new_app_key, register_app, revoke_admin_token, revoke_app_key, update_app,
    NewAdminToken, NewAppKey, RegisterApp, RevokeAdminToken, RevokeAppKey, UpdateApp,
};
use crate::apps::{AppsOverview, IssuedKey, RegisteredApp};
use crate::components::live_events::throttled_session_changes;
use crate::error::ConsoleError;

/// A key or token whose **Revoke** confirmation is open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revoking {
    Key { id: i64, prefix: String, app_name: String },
    Token { id: i64, prefix: String, name: String },
}

/// A secret just issued, shown once: the textbox's name ("API key", "Admin token") and what it is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issued {
    pub title: String,
    pub label: &'static str,
    pub value: String,
}

#[derive(Clone, Copy)]
pub struct AppsState {
    pub overview: Resource<Result<AppsOverview, ConsoleError>>,
    pub register_open: RwSignal<bool>,
    pub register_error: RwSignal<Option<String>>,
    pub edit_target: RwSignal<Option<RegisteredApp>>,
    pub edit_error: RwSignal<Option<String>>,
    pub token_open: RwSignal<bool>,
    pub token_error: RwSignal<Option<String>>,
    pub revoking: RwSignal<Option<Revoking>>,
    pub issued: RwSignal<Option<Issued>>,
    pub toast: RwSignal<Option<String>>,
    pub register: Action<RegisterApp, Result<IssuedKey, ConsoleError>>,
    pub update: Action<UpdateApp, Result<(), ConsoleError>>,
    pub new_key: Action<NewAppKey, Result<IssuedKey, ConsoleError>>,
    pub revoke_key: Action<RevokeAppKey, Result<(), ConsoleError>>,
    pub new_token: Action<NewAdminToken, Result<String, ConsoleError>>,
    pub revoke_token: Action<RevokeAdminToken, Result<(), ConsoleError>>,
}

impl AppsState {
    pub fn new() -> AppsState {
        let changes = throttled_session_changes();
        let register = Action::new(|input: &RegisterApp| register_app(input.form.clone()));
        let update = Action::new(|input: &UpdateApp| update_app(input.form.clone()));
        let new_key = Action::new(|input: &NewAppKey| new_app_key(input.slug.clone()));
        let revoke_key = Action::new(|input: &RevokeAppKey| revoke_app_key(input.key_id));
        let new_token = Action::new(|input: &NewAdminToken| new_admin_token(input.name.clone()));
        let revoke_token = Action::new(|input: &RevokeAdminToken| revoke_admin_token(input.token_id));
        // Fetched again when sessions change anywhere (the active counts, at most every few seconds) and after each
        // action here.
        let overview = Resource::new(
            move || {
                (
                    changes.get(),
                    (register.version().get(), update.version().get(), new_key.version().get()),
                    (revoke_key.version().get(), new_token.version().get(), revoke_token.version().get()),
                )
            },
            |_| load_apps(),
        );
        let state = AppsState {
            overview,
            register_open: RwSignal::new(false),
            register_error: RwSignal::new(None),
            edit_target: RwSignal::new(None),
            edit_error: RwSignal::new(None),
            token_open: RwSignal::new(false),
            token_error: RwSignal::new(None),
            revoking: RwSignal::new(None),
            issued: RwSignal::new(None),
            toast: RwSignal::new(None),
            register,
            update,
            new_key,
            revoke_key,
            new_token,
            revoke_token,
        };
        state.follow_outcomes();
        state
    }

    /// Each action's answer: a new secret opens the shown-once dialog, a refusal is named where it was asked
    /// (in its dialog, or in the toast), a change is confirmed in the toast.
    fn follow_outcomes(self) {
        Effect::new(move |_| match self.register.value().get() {
            Some(Ok(IssuedKey { slug, key })) => {
                self.register_open.set(false);
                self.issued.set(Some(Issued {
                    title: format!("App {slug} registered"),
                    label: "API key",
                    value: key,
                }));
            }
            Some(Err(error)) => self.register_error.set(Some(error.to_string())),
            None => {}
        });
        Effect::new(move |_| match self.update.value().get() {
            Some(Ok(())) => {
                self.edit_target.set(None);
                self.toast
                    .set(Some("App saved. The payload limit applies from each session's next write.".into()));
            }
            Some(Err(error)) => self.edit_error.set(Some(error.to_string())),
            None => {}
        });
        Effect::new(move |_| match self.new_key.value().get() {
            Some(Ok(IssuedKey { slug, key })) => {
                self.issued.set(Some(Issued {
                    title: format!("New key for {slug}"),
                    label: "API key",
                    value: key,
                }));
            }
            Some(Err(error)) => self.toast.set(Some(error.to_string())),
            None => {}
        });
        Effect::new(move |_| match self.new_token.value().get() {
            Some(Ok(token)) => {
                self.token_open.set(false);
                self.issued.set(Some(Issued {
                    title: "Admin token created".into(),
                    label: "Admin token",
                    value: token,
                }));
            }
            Some(Err(error)) => self.token_error.set(Some(error.to_string())),
            None => {}
        });
        Effect::new(move |_| match self.revoke_key.value().get() {
            Some(Ok(())) => {
                self.toast.set(Some("Key revoked. Requests with it are refused from now on.".into()))
            }
            Some(Err(error)) => self.toast.set(Some(error.to_string())),
            None => {}
        });
        Effect::new(move |_| match self.revoke_token.value().get() {
            Some(Ok(())) => {
                self.toast.set(Some("Token revoked. Requests with it are refused from now on.".into()))
            }
            Some(Err(error)) => self.toast.set(Some(error.to_string())),
            None => {}
        });
    }
}

pub fn use_apps() -> AppsState {
    expect_context::<AppsState>()
}

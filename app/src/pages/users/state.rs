//! What the Users page's parts share: the URL's query, the page of users, the dialogs' targets, the toast and
//! the actions.

use leptos::prelude::*;

use crate::api::users::{
    add_user, change_user_role, force_sign_out_user, list_users, set_user_disabled, sign_out_team, AddUser,
    ChangeUserRole, ForceSignOutUser, SetUserDisabled, SignOutTeam,
};
use crate::components::live_events::use_live_events;
use crate::error::ConsoleError;
use crate::format::count_of;
use crate::model::CurrentUser;
use crate::team::{UserPage, UserSummary};
use crate::user_query::UserQuery;

#[derive(Clone, Copy)]
pub struct UsersState {
    /// Who is looking: their own row offers no Disable, Logout All Devices or Role.
    pub caller: StoredValue<CurrentUser>,
    pub query: Memo<UserQuery>,
    pub page: Resource<Result<UserPage, ConsoleError>>,
    /// The user whose Force sign out dialog is open.
    pub force_target: RwSignal<Option<UserSummary>>,
    /// The user whose Disable dialog is open.
    pub disable_target: RwSignal<Option<UserSummary>>,
    pub add_open: RwSignal<bool>,
    /// Why the server refused the user being added, shown in the dialog, which stays open.
    pub add_error: RwSignal<Option<String>>,
    pub team_open: RwSignal<bool>,
    /// Whether the last Disable/Enable sent disabled someone, for its toast.
    last_was_disable: RwSignal<bool>,
    pub toast: RwSignal<Option<String>>,
    pub force: Action<ForceSignOutUser, Result<usize, ConsoleError>>,
    pub disable: Action<SetUserDisabled, Result<usize, ConsoleError>>,
    pub role: Action<ChangeUserRole, Result<(), ConsoleError>>,
    pub add: Action<AddUser, Result<i64, ConsoleError>>,
    pub team: Action<SignOutTeam, Result<u64, ConsoleError>>,
}

impl UsersState {
    pub fn new(caller: CurrentUser, query: Memo<UserQuery>) -> UsersState {
        let live = use_live_events();
        let force = Action::new(|input: &ForceSignOutUser| {
            force_sign_out_user(input.user_id, input.reason.clone(), input.tell_user)
        });
        let disable = Action::new(|input: &SetUserDisabled| {
            set_user_disabled(input.user_id, input.disabled, input.reason.clone(), input.tell_user)
        });
        let role = Action::new(|input: &ChangeUserRole| change_user_role(input.user_id, input.role));
        let add = Action::new(|input: &AddUser| {
            add_user(input.email.clone(), input.name.clone(), input.role, input.password.clone())
        });
        let team = Action::new(|_: &SignOutTeam| sign_out_team());
        // Fetched again for a new query, a change the stream tells of, and after each action here (a refused
        // role change then shows the stored role again).
        let page = Resource::new(
            move || {
                let versions = (force.version().get(), disable.version().get(), role.version().get());
                (
                    query.get(),
                    live.sessions.get(),
                    live.users.get(),
                    versions,
                    add.version().get(),
                    team.version().get(),
                )
            },
            |(query, ..)| list_users(query),
        );
        let state = UsersState {
            caller: StoredValue::new(caller),
            query,
            page,
            force_target: RwSignal::new(None),
            disable_target: RwSignal::new(None),
            add_open: RwSignal::new(false),
            add_error: RwSignal::new(None),
            team_open: RwSignal::new(false),
            last_was_disable: RwSignal::new(true),
            toast: RwSignal::new(None),
            force,
            disable,
            role,
            add,
            team,
        };
        state.announce_outcomes();
        state
    }

    /// The page on screen (kept while a newer one loads), for the dialogs, which open only in the browser.
    pub fn latest(&self) -> Option<UserPage> {
        self.page.get_untracked().and_then(Result::ok)
    }

    /// Disables (with the reason, told to the user or not) or enables a user.
    pub fn set_disabled(&self, user_id: i64, disabled: bool, reason: String, tell_user: bool) {
        self.last_was_disable.set(disabled);
        self.disable.dispatch(SetUserDisabled { user_id, disabled, reason, tell_user });
    }

    fn announce_outcomes(self) {
        let toast = self.toast;
        let say = move |text: String| toast.set(Some(text));
        Effect::new(move |_| {
            if let Some(outcome) = self.force.value().get() {
                say(match outcome {
                    Ok(ended) => {
                        format!("Signed out everywhere: {} ended.", count_of(ended as i64, "session"))
                    }
                    Err(error) => error.to_string(),
                });
            }
        });
        Effect::new(move |_| {
            if let Some(outcome) = self.disable.value().get() {
                let disabled = self.last_was_disable.get_untracked();
                say(match outcome {
                    Ok(ended) if disabled => {
                        format!("User disabled; {} ended.", count_of(ended as i64, "session"))
                    }
                    Ok(_) => "User enabled: they can sign in again.".to_string(),
                    Err(error) => error.to_string(),
                });
            }
        });
        Effect::new(move |_| {
            if let Some(outcome) = self.role.value().get() {
                say(match outcome {
                    Ok(()) => "Role changed.".to_string(),
                    Err(error) => error.to_string(),
                });
            }
        });
        Effect::new(move |_| {
            if let Some(outcome) = self.add.value().get() {
                match outcome {
                    Ok(_) => {
                        self.add_open.set(false);
                        self.add_error.set(None);
                        say("User added.".to_string());
                    }
                    Err(error) => self.add_error.set(Some(error.to_string())),
                }
            }
        });
        Effect::new(move |_| {
            if let Some(outcome) = self.team.value().get() {
                say(match outcome {
                    Ok(ended) => format!(
                        "Signed out {}. You stay signed in here.",
                        count_of(ended as i64, "team session")
                    ),
                    Err(error) => error.to_string(),
                });
            }
        });
    }
}

pub fn use_users() -> UsersState {
    expect_context::<UsersState>()
}

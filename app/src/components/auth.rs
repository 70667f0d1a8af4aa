//! Who is signed in, shared by every page: the sign-in and sign-out actions, and the user they produce.

use leptos::prelude::*;

use crate::api::auth::{login, logout, signed_in_user, Login, Logout};
use crate::error::ConsoleError;
use crate::model::CurrentUser;

#[derive(Clone, Copy)]
pub struct Auth {
    /// Plain `Action`s, not `ServerAction`s, for the reason given on `ConsoleState::revoke`; the sign-in page
    /// reads an error left in the URL itself.
    pub login: Action<Login, Result<(), ConsoleError>>,
    pub logout: Action<Logout, Result<(), ConsoleError>>,
    user: Resource<Result<Option<CurrentUser>, ConsoleError>>,
}

pub enum AuthState {
    SignedIn(CurrentUser),
    Anonymous,
    Failed(ConsoleError),
}

impl Auth {
    pub async fn state(&self) -> AuthState {
        match self.user.await {
            Ok(Some(user)) => AuthState::SignedIn(user),
            Ok(None) => AuthState::Anonymous,
            Err(error) => AuthState::Failed(error),
        }
    }
}

pub fn provide_auth() {
    let login = Action::new(|input: &Login| {
        let Login { email, password, remember_me } = input.clone();
        login(email, password, remember_me)
    });
    let logout = Action::new(|_: &Logout| logout());
    // Refetched after every sign-in or sign-out attempt, so the header and guards follow at once.
    let user = Resource::new(move || (login.version().get(), logout.version().get()), |_| signed_in_user());
    provide_context(Auth { login, logout, user });
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

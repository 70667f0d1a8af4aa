//! Who is signed in, shared by every page: the sign-in and sign-out actions, and the user they produce.

use leptos::prelude::*;

use crate::api::auth::{logout, signed_in_user, Logout};
use crate::error::ConsoleError;
use crate::model::CurrentUser;

#[derive(Clone, Copy)]
pub struct Auth {
    /// A plain `Action`, not a `ServerAction`, for the reason given on `ConsoleState::revoke`.
    pub logout: Action<Logout, Result<(), ConsoleError>>,
    /// Bumped by every sign-in attempt (the sign-in page owns that action, and its code).
    sign_ins: RwSignal<u64>,
    user: Resource<Result<Option<CurrentUser>, ConsoleError>>,
}

pub enum AuthState {
    SignedIn(CurrentUser),
    Anonymous,
    Failed(ConsoleError),
}

impl Auth {
    /// Someone tried to sign in: ask the server again who is signed in.
    pub fn sign_in_attempted(&self) {
        self.sign_ins.update(|n| *n += 1);
    }

    pub async fn state(&self) -> AuthState {
        match self.user.await {
            Ok(Some(user)) => AuthState::SignedIn(user),
            Ok(None) => AuthState::Anonymous,
            Err(error) => AuthState::Failed(error),
        }
    }
}

pub fn provide_auth() {
    let sign_ins = RwSignal::new(0);
    let logout = Action::new(|_: &Logout| logout());
    // Refetched after every sign-in or sign-out attempt, so the header and guards follow at once.
    let user = Resource::new(move || (sign_ins.get(), logout.version().get()), |_| signed_in_user());
    provide_context(Auth { logout, sign_ins, user });
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

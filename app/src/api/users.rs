//! The Users page's server functions, for owners and admins (roles: owners only). Each checks the caller's role
//! before it reads anything; the backend then checks whom the caller may change.

use leptos::prelude::*;

use crate::error::ConsoleError;
use crate::model::Role;
use crate::team::UserPage;
use crate::user_query::UserQuery;

#[server(endpoint = "users", output = crate::api::codec::JsonReply)]
pub async fn list_users(query: UserQuery) -> Result<UserPage, ConsoleError> {
    use crate::backend::{capability, Call, UsersBackend};

    let call = Call::current().await?;
    call.require("list_users", crate::team::manages_users).await?;
    query.check()?;
    capability::<dyn UsersBackend>()?.users_page(&query).await
}

/// **Logout All Devices**: every session of the user in every app ends, with the reason (required).
#[server(endpoint = "users/force_sign_out", output = crate::api::codec::JsonReply)]
pub async fn force_sign_out_user(
    user_id: i64,
    reason: String,
    tell_user: bool,
) -> Result<usize, ConsoleError> {
    use crate::backend::{capability, Call, UsersBackend};

    let call = Call::current().await?;
    let caller = call.require("force_sign_out_user", crate::team::manages_users).await?;
    let reason = crate::team::checked_reason(&reason).map_err(ConsoleError::InvalidInput)?;
    capability::<dyn UsersBackend>()?.force_sign_out(&caller, &call.client, user_id, reason, tell_user).await
}

/// **Disable** (every session ends with the reason, which is required) or **Enable** (no reason).
#[server(endpoint = "users/set_disabled", output = crate::api::codec::JsonReply)]
pub async fn set_user_disabled(
    user_id: i64,
    disabled: bool,
    reason: String,
    tell_user: bool,
) -> Result<usize, ConsoleError> {
    use crate::backend::{capability, Call, Disabling, UsersBackend};

    let call = Call::current().await?;
    let caller = call.require("set_user_disabled", crate::team::manages_users).await?;
    let disabling = if disabled {
        let reason = crate::team::checked_reason(&reason).map_err(ConsoleError::InvalidInput)?;
        Some(Disabling { reason, tell_user })
    } else {
        None
    };
    capability::<dyn UsersBackend>()?.set_disabled(&caller, &call.client, user_id, disabling).await
}

#[server(endpoint = "users/change_role", output = crate::api::codec::JsonReply)]
pub async fn change_user_role(user_id: i64, role: Role) -> Result<(), ConsoleError> {
    use crate::backend::{capability, Call, UsersBackend};

    let call = Call::current().await?;
    let caller = call.require("change_user_role", |role| role == Role::Owner).await?;
    capability::<dyn UsersBackend>()?.change_role(&caller, &call.client, user_id, role).await
}

/// **Add user**: an email, a name, a role and, for console access, a password of 12 characters or more.
#[server(endpoint = "users/add", output = crate::api::codec::JsonReply)]
pub async fn add_user(
    email: String,
    name: String,
    role: Role,
    password: String,
) -> Result<i64, ConsoleError> {
    use crate::backend::{capability, Call, NewUserForm, UsersBackend};

    let call = Call::current().await?;
    let caller = call.require("add_user", crate::team::manages_users).await?;
    if let Some(problem) = crate::team::refuses_adding(&caller, role) {
        return Err(ConsoleError::invalid(problem));
    }
    let password = Some(password).filter(|password| !password.is_empty());
    let form = NewUserForm { email, name, role, password };
    capability::<dyn UsersBackend>()?.add_user(&caller, &call.client, form).await
}

/// **Sign out all team sessions**: every active session of every user and app, except the caller's own.
#[server(endpoint = "users/sign_out_team", output = crate::api::codec::JsonReply)]
pub async fn sign_out_team() -> Result<u64, ConsoleError> {
    use crate::backend::{capability, Call, UsersBackend};

    let call = Call::current().await?;
    let caller = call.require("sign_out_team", crate::team::manages_users).await?;
    capability::<dyn UsersBackend>()?.sign_out_team(&caller, &call.client, call.session_id()).await
}

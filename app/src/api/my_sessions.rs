//! "My sessions": every signed-in user's own sessions, never anyone else's.

use leptos::prelude::*;

use crate::error::ConsoleError;
use crate::model::OwnSessions;

#[server(endpoint = "my_sessions", output = crate::api::codec::JsonReply)]
pub async fn list_my_sessions() -> Result<OwnSessions, ConsoleError> {
    use crate::backend::{capability, Call, MySessionsBackend};

    let call = Call::current().await?;
    let user = call.require("list_my_sessions", |_| true).await?;
    capability::<dyn MySessionsBackend>()?.own_sessions(&user, call.session_id()).await
}

/// **Sign out** one of the user's other sessions. Without JavaScript, a plain form post to this path.
#[server(endpoint = "my_sessions/sign_out", output = crate::api::codec::JsonReply)]
pub async fn sign_out_my_session(session_id: String) -> Result<(), ConsoleError> {
    use crate::backend::{capability, Call, MySessionsBackend};
    use crate::model::SessionId;

    let call = Call::current().await?;
    let user = call.require("sign_out_my_session", |_| true).await?;
    let session_id =
        SessionId::parse(&session_id).ok_or_else(|| ConsoleError::invalid("That is not a session id."))?;
    capability::<dyn MySessionsBackend>()?.sign_out_own(&user, call.session_id(), &session_id).await
}

/// **Sign out all other sessions**: every app, every device but this one. Returns how many ended.
#[server(endpoint = "my_sessions/sign_out_others", output = crate::api::codec::JsonReply)]
pub async fn sign_out_my_other_sessions() -> Result<usize, ConsoleError> {
    use crate::backend::{capability, Call, MySessionsBackend};

    let call = Call::current().await?;
    let user = call.require("sign_out_my_other_sessions", |_| true).await?;
    capability::<dyn MySessionsBackend>()?.sign_out_others(&user, call.session_id()).await
}

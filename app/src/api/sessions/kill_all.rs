use leptos::prelude::*;

use crate::error::ConsoleError;

/// Ends every active session in every app except the caller's own console session; returns how many ended.
#[server(endpoint = "sessions/kill_all", output = crate::api::codec::JsonReply)]
pub async fn kill_all_sessions() -> Result<u64, ConsoleError> {
    use crate::backend::{capability, Call, SessionsBackend};

    let call = Call::current().await?;
    let user = call.require("kill_all_sessions", |role| role.ends_any_session()).await?;
    capability::<dyn SessionsBackend>()?
        .kill_all_sessions(&user, call.session.as_ref().and_then(|session| session.id()), &call.client)
        .await
}

use leptos::prelude::*;

use crate::error::ConsoleError;

/// Ends one session at once: its token is refused on its next use and its payload is deleted. Also posted
/// by the plain form the page renders before its script loads.
#[server(endpoint = "sessions/revoke", output = crate::api::codec::JsonReply)]
pub async fn revoke_session(session_id: String) -> Result<(), ConsoleError> {
    use crate::backend::{capability, Call, SessionsBackend};

    let call = Call::current().await?;
    let user = call.require("revoke_session", |role| role.ends_any_session()).await?;
    let session_id = super::check_session_id(&session_id)?;
    capability::<dyn SessionsBackend>()?.revoke_session(&user, &session_id, &call.client).await
}

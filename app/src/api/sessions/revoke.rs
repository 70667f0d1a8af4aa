use leptos::prelude::*;

use crate::error::ConsoleError;

/// Ends one session at once: its token is refused on its next use and its payload is deleted. Also posted
/// by the plain form the page renders before its script loads.
#[server(endpoint = "sessions/revoke")]
pub async fn revoke_session(session_id: String) -> Result<(), ConsoleError> {
    use crate::backend::Call;

    let call = Call::current().await?;
    let user = call.require("revoke_session", |role| role.ends_any_session()).await?;
    if session_id.len() != 32 || !session_id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(ConsoleError::invalid("A session id is 32 lowercase hexadecimal characters."));
    }
    call.backend.revoke_session(&user, &session_id, &call.client).await
}

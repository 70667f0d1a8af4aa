use leptos::prelude::*;

use crate::error::ConsoleError;
use crate::session_detail::RevealedPayload;

/// Decrypts one session's payload for the caller. The audit event (who, which session, when, from where) is
/// written before anything is decrypted; if it cannot be written, nothing is.
#[server(endpoint = "sessions/reveal_payload", output = crate::api::codec::JsonReply)]
pub async fn reveal_session_payload(session_id: String) -> Result<RevealedPayload, ConsoleError> {
    use crate::backend::{capability, Call, SessionDetailBackend};

    let call = Call::current().await?;
    let user = call.require("reveal_session_payload", |role| role.reads_payloads()).await?;
    let session_id = super::check_session_id(&session_id)?;
    capability::<dyn SessionDetailBackend>()?.reveal_payload(&user, &session_id, &call.client).await
}

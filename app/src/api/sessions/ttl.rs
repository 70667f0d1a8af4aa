use leptos::prelude::*;
use server_fn::codec::Json;

use crate::error::ConsoleError;
use crate::session_detail::TtlChange;

/// Gives an active session a new expiry, within the policy's lifetime; audited. Returns the new expiry
/// (None: unlimited).
#[server(endpoint = "sessions/update_ttl", input = Json, output = crate::api::codec::JsonReply)]
pub async fn update_session_ttl(session_id: String, change: TtlChange) -> Result<Option<i64>, ConsoleError> {
    use crate::backend::{capability, Call, SessionDetailBackend};

    let call = Call::current().await?;
    let user = call.require("update_session_ttl", |role| role.ends_any_session()).await?;
    let session_id = super::check_session_id(&session_id)?;
    capability::<dyn SessionDetailBackend>()?.update_ttl(&user, &session_id, &change, &call.client).await
}

use leptos::prelude::*;

use crate::error::ConsoleError;
use crate::session_detail::SessionDetail;

/// One session in full, without its payload.
#[server(endpoint = "sessions/detail", output = crate::api::codec::JsonReply)]
pub async fn load_session_detail(session_id: String) -> Result<SessionDetail, ConsoleError> {
    use crate::backend::{capability, Call, SessionDetailBackend};

    let call = Call::current().await?;
    let user = call.require("session_detail", |role| role.sees_all_sessions()).await?;
    let session_id = super::check_session_id(&session_id)?;
    capability::<dyn SessionDetailBackend>()?.session_detail(&user, &session_id).await
}

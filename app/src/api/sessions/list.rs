use leptos::prelude::*;

use crate::error::ConsoleError;
use crate::model::SessionPage;
use crate::session_query::SessionQuery;

#[server(endpoint = "sessions/list", output = crate::api::codec::JsonReply)]
pub async fn list_sessions(query: SessionQuery) -> Result<SessionPage, ConsoleError> {
    use crate::backend::{capability, Call, SessionsBackend};

    let call = Call::current().await?;
    let user = call.require("list_sessions", |role| role.sees_all_sessions()).await?;
    query.check()?;
    capability::<dyn SessionsBackend>()?.list_sessions(&user, &query, call.session_id()).await
}

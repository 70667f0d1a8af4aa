//! "My sessions": every signed-in user's own sessions, never anyone else's.

use leptos::prelude::*;

use crate::error::ConsoleError;
use crate::model::OwnSessionView;

#[server(endpoint = "my_sessions", output = crate::api::codec::JsonReply)]
pub async fn list_my_sessions() -> Result<Vec<OwnSessionView>, ConsoleError> {
    use crate::backend::{capability, Call, MySessionsBackend};

    let call = Call::current().await?;
    let user = call.require("list_my_sessions", |_| true).await?;
    capability::<dyn MySessionsBackend>()?.own_sessions(&user, call.session_id()).await
}

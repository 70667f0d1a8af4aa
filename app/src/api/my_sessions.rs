//! "My sessions": every signed-in user's own sessions, never anyone else's.

use leptos::prelude::*;

use crate::error::ConsoleError;
use crate::model::OwnSessionView;

#[server(endpoint = "my_sessions", output = crate::api::codec::JsonReply)]
pub async fn list_my_sessions() -> Result<Vec<OwnSessionView>, ConsoleError> {
    use crate::backend::Call;

    let call = Call::current().await?;
    let user = call.require("list_my_sessions", |_| true).await?;
    call.backend.own_sessions(&user, call.session.as_ref().and_then(|session| session.id())).await
}

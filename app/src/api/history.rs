//! Session history's server function, for owners, admins and billing managers.

use leptos::prelude::*;

use crate::error::ConsoleError;
use crate::history::{HistoryPage, HistoryQuery};

#[server(endpoint = "history", output = crate::api::codec::JsonReply)]
pub async fn list_history(query: HistoryQuery) -> Result<HistoryPage, ConsoleError> {
    use crate::backend::{capability, Call, HistoryBackend};

    let call = Call::current().await?;
    call.require("list_history", crate::routes::HISTORY.allows).await?;
    query.check()?;
    capability::<dyn HistoryBackend>()?.history_page(&query).await
}

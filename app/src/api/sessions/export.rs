use leptos::prelude::*;
use server_fn::codec::Json;

use crate::error::ConsoleError;
use crate::session_detail::ExportFormat;
use crate::session_query::SessionQuery;

/// The JSON file of exactly the rows `query` shows (search, filters, sort, page and page size), in the export
/// format of DESIGN.md. Changes nothing; one audit event names the sessions whose payloads it decrypted.
#[server(endpoint = "sessions/export", input = Json, output = crate::api::codec::JsonReply)]
pub async fn export_sessions(query: SessionQuery, format: ExportFormat) -> Result<String, ConsoleError> {
    use crate::backend::{capability, Call, ExportBackend};

    let call = Call::current().await?;
    let user = call.require("export_sessions", |role| role.reads_payloads()).await?;
    query.check()?;
    capability::<dyn ExportBackend>()?.export_page(&user, &query, format, &call.client).await
}

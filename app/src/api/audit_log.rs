//! The audit log page's server functions, for owners and admins.

use leptos::prelude::*;

use crate::audit_log::{AuditLogPage, AuditLogQuery, ChainCheck};
use crate::error::ConsoleError;

#[server(endpoint = "audit", output = crate::api::codec::JsonReply)]
pub async fn list_audit(query: AuditLogQuery) -> Result<AuditLogPage, ConsoleError> {
    use crate::backend::{capability, AuditLogBackend, Call};

    let call = Call::current().await?;
    call.require("list_audit", crate::routes::AUDIT.allows).await?;
    query.check()?;
    capability::<dyn AuditLogBackend>()?.audit_page(&query).await
}

/// **Verify chain**: starts a check of the whole chain; the page then asks `chain_check` how far it got.
#[server(endpoint = "audit/verify", output = crate::api::codec::JsonReply)]
pub async fn verify_chain() -> Result<ChainCheck, ConsoleError> {
    use crate::backend::{capability, AuditLogBackend, Call};

    let call = Call::current().await?;
    call.require("verify_chain", crate::routes::AUDIT.allows).await?;
    capability::<dyn AuditLogBackend>()?.start_chain_check().await
}

#[server(endpoint = "audit/verify/progress", output = crate::api::codec::JsonReply)]
pub async fn chain_check_progress() -> Result<ChainCheck, ConsoleError> {
    use crate::backend::{capability, AuditLogBackend, Call};

    let call = Call::current().await?;
    call.require("chain_check_progress", crate::routes::AUDIT.allows).await?;
    capability::<dyn AuditLogBackend>()?.chain_check().await
}

//! The Analytics page's server function: owners, admins and billing managers (the route table's rule).

use leptos::prelude::*;

use crate::analytics::{Analytics, AnalyticsQuery};
use crate::error::ConsoleError;

#[server(endpoint = "analytics", output = crate::api::codec::JsonReply)]
pub async fn load_analytics(query: AnalyticsQuery) -> Result<Analytics, ConsoleError> {
    use crate::backend::{capability, AnalyticsBackend, Call};

    let call = Call::current().await?;
    call.require("load_analytics", |role| crate::routes::ANALYTICS.allowed(role)).await?;
    capability::<dyn AnalyticsBackend>()?.analytics(query).await
}

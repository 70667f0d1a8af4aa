//! The Alarms page's server functions, for owners and admins. **Logout All Devices** from an alarm is the Users
//! page's `force_sign_out_user`.

use leptos::prelude::*;

use crate::alarms::AlarmPage;
use crate::error::ConsoleError;

/// Alarms shown per page.
pub const ALARMS_PER_PAGE: u32 = 50;

#[server(endpoint = "alarms", output = crate::api::codec::JsonReply)]
pub async fn list_alarms(page: u32) -> Result<AlarmPage, ConsoleError> {
    use crate::backend::{capability, AlarmsBackend, Call};

    let call = Call::current().await?;
    call.require("list_alarms", crate::routes::ALARMS.allows).await?;
    if !(1..=100_000).contains(&page) {
        return Err(ConsoleError::invalid("The page must be from 1 to 100000."));
    }
    capability::<dyn AlarmsBackend>()?.alarms_page(page, ALARMS_PER_PAGE).await
}

#[server(endpoint = "alarms/acknowledge", output = crate::api::codec::JsonReply)]
pub async fn acknowledge_alarm(alarm_id: i64) -> Result<(), ConsoleError> {
    use crate::backend::{capability, AlarmsBackend, Call};

    let call = Call::current().await?;
    let caller = call.require("acknowledge_alarm", crate::routes::ALARMS.allows).await?;
    capability::<dyn AlarmsBackend>()?.acknowledge(&caller, &call.client, alarm_id).await
}

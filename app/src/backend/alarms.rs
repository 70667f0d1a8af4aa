use async_trait::async_trait;

use super::ClientInfo;
use crate::alarms::AlarmPage;
use crate::error::ConsoleError;
use crate::model::CurrentUser;

/// The Alarms page, for owners and admins (the server functions checked).
#[async_trait]
pub trait AlarmsBackend: Send + Sync + 'static {
    /// Open alarms first; `page` is 1-based.
    async fn alarms_page(&self, page: u32, size: u32) -> Result<AlarmPage, ConsoleError>;

    async fn acknowledge(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        alarm_id: i64,
    ) -> Result<(), ConsoleError>;
}

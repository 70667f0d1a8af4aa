//! The Alarms page: alarms open first, with the user's active sessions for Logout All Devices, and acknowledging.

use async_trait::async_trait;

use app::alarms::{AlarmKind, AlarmPage, AlarmView};
use app::backend::{AlarmsBackend, ClientInfo};
use app::model::CurrentUser;
use app::ConsoleError;

use super::{internal, Console};
use crate::storage::AlarmRow;

#[async_trait]
impl AlarmsBackend for Console {
    async fn alarms_page(&self, page: u32, size: u32) -> Result<AlarmPage, ConsoleError> {
        let offset = i64::from(page - 1) * i64::from(size);
        let rows = self.engine.list_alarms(false, i64::from(size), offset).await?;
        let (open, total) = self.engine.count_alarms().await?;
        Ok(AlarmPage {
            rows: rows.into_iter().map(alarm_view).collect::<Result<_, _>>()?,
            open,
            total,
            page,
            size,
            now_ms: self.engine.now_ms(),
        })
    }

    async fn acknowledge(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        alarm_id: i64,
    ) -> Result<(), ConsoleError> {
        Ok(self.engine.acknowledge_alarm(alarm_id, caller.id, client.ip.clone()).await?)
    }
}

pub fn alarm_view(row: AlarmRow) -> Result<AlarmView, ConsoleError> {
    let kind =
        AlarmKind::parse(&row.kind).ok_or_else(|| internal(format!("unknown alarm kind {:?}", row.kind)))?;
    let acknowledged = match (row.state.as_str(), row.acknowledged_at) {
        ("acknowledged", Some(at)) => {
            Some((row.acknowledged_by_email.unwrap_or_else(|| "a deleted user".into()), at))
        }
        _ => None,
    };
    Ok(AlarmView {
        id: row.id,
        kind,
        user_id: row.user_id,
        subject: row.subject,
        detail: row.detail,
        first_seen_ms: row.first_seen_at,
        last_seen_ms: row.last_seen_at,
        times: row.times,
        acknowledged,
        active_sessions: row.active_sessions,
    })
}

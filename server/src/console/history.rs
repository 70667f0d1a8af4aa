//! Session history: ended sessions with how each ended, who ended it (by the name people know them by) and why.

use async_trait::async_trait;

use app::backend::HistoryBackend;
use app::end_cause::EndCause;
use app::history::{EndedHow, EndedSession, HistoryPage, HistoryQuery};
use app::session_query::Direction;
use app::ConsoleError;

use super::labels::{device_label, session_user};
use super::Console;
use crate::storage::{EndedBy, HistoryQuery as StorageQuery, HistoryRow};

#[async_trait]
impl HistoryBackend for Console {
    async fn history_page(&self, query: &HistoryQuery) -> Result<HistoryPage, ConsoleError> {
        let search = query.q.trim();
        let page = self
            .engine
            .list_history(&StorageQuery {
                how: query.how,
                search: Some(search).filter(|term| !term.is_empty()),
                oldest_first: query.dir == Direction::Asc,
                limit: i64::from(query.size),
                offset: query.offset(),
            })
            .await?;
        Ok(HistoryPage {
            query: query.clone(),
            rows: page.rows.into_iter().map(ended_session).collect(),
            total: page.total,
            total_is_exact: page.total_is_exact,
            now_ms: self.engine.now_ms(),
        })
    }
}

fn ended_session(row: HistoryRow) -> EndedSession {
    let session = &row.session;
    let how = row.ended_how.0;
    let cause = session.end_cause.as_deref().and_then(EndCause::parse);
    EndedSession {
        id: session.id.to_string(),
        user: session_user(session),
        app_name: session.app_name.clone(),
        device: device_label(session),
        ip: session.ip.clone(),
        how,
        expired_by: (how == EndedHow::Expired).then(|| expiry_limit(cause).to_string()),
        ended_at_ms: session.ended_at.unwrap_or(session.updated_at),
        ended_by: ended_by(&row),
        reason: session.end_reason.clone().filter(|reason| !reason.is_empty()),
    }
}

/// Which limit ran out; sessions ended before causes were kept said it only in their reason.
fn expiry_limit(cause: Option<EndCause>) -> &'static str {
    match cause {
        Some(EndCause::Lifetime) => "lifetime",
        Some(EndCause::PayloadTtl) => "payload TTL",
        Some(EndCause::IdleTimeout) => "idle timeout",
        _ => "time limit",
    }
}

/// The admin's email, `the user`, `system` or `admin token <name>`.
fn ended_by(row: &HistoryRow) -> String {
    let session = &row.session;
    match session.ended_by {
        Some(EndedBy::Holder) => "the user".into(),
        Some(EndedBy::User)
            if session.ended_by_user_id.is_some() && session.ended_by_user_id == session.user_id =>
        {
            "the user".into()
        }
        Some(EndedBy::User) => match (&row.ended_by_email, session.ended_by_user_id) {
            (Some(email), _) => email.clone(),
            (None, Some(id)) => format!("a deleted user (#{id})"),
            (None, None) => "a console user".into(),
        },
        Some(EndedBy::AdminToken) => match &row.ended_by_token_name {
            Some(name) => format!("admin token {name}"),
            None => "an admin token".into(),
        },
        Some(EndedBy::System) | None => "system".into(),
    }
}

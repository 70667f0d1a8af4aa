//! The Sessions console's reads and ends: the console's query becomes a storage query, each row a
//! `SessionView`.

use app::model::SessionId;
use async_trait::async_trait;
use tower_sessions::session::Id;

use app::backend::{ClientInfo, SessionsBackend};
use app::model::{CurrentUser, SessionPage, SessionStatus, SessionView};
use app::session_query::{Direction, SessionQuery, SortKey, StatusFilter};
use app::ConsoleError;

use super::labels::{device_label, location, session_user};
use super::{console_actor, token_hash, Console};
use crate::engine::Engine;
use crate::storage::{ListPage, ListQuery, SessionRow, SortColumn};

fn sort_column(key: SortKey) -> SortColumn {
    match key {
        SortKey::User => SortColumn::User,
        SortKey::App => SortColumn::App,
        SortKey::Created => SortColumn::Created,
        SortKey::Expires => SortColumn::Expires,
        SortKey::Status => SortColumn::Status,
        SortKey::LastActive => SortColumn::LastActive,
    }
}

fn view(row: SessionRow, current_hash: Option<&[u8]>) -> SessionView {
    let user = session_user(&row);
    SessionView {
        is_current: current_hash == Some(row.token_hash.as_slice()),
        device: device_label(&row),
        location: location(&row),
        user,
        id: row.id.into_string(),
        app_id: row.app_slug,
        ip: row.ip,
        status: row.status,
        kind: row.kind,
        created_at_ms: row.created_at,
        last_active_at_ms: row.last_active_at,
        expires_at_ms: row.expires_at,
        attribute_count: row.payload_attribute_count,
    }
}

/// The rows and total of the page `query` names, exactly as the table shows them.
pub async fn listed(engine: &Engine, query: &SessionQuery) -> Result<ListPage, ConsoleError> {
    let search = query.q.trim();
    let size = i64::from(query.size);
    let storage_query = ListQuery {
        status: match query.status {
            StatusFilter::All => None,
            status => Some(status.as_str()),
        },
        app_slug: Some(query.app.as_str()).filter(|app| !app.is_empty()),
        search: Some(search).filter(|text| !text.is_empty()),
        sort: sort_column(query.sort),
        descending: query.dir == Direction::Desc,
        limit: size,
        offset: (i64::from(query.page) - 1) * size,
    };
    Ok(engine.list_sessions(&storage_query).await?)
}

pub async fn page(
    engine: &Engine,
    user: &CurrentUser,
    query: &SessionQuery,
    current_hash: Option<Vec<u8>>,
) -> Result<SessionPage, ConsoleError> {
    // Three reads on three pooled connections at once: the page costs the slowest of them, not their sum.
    let (listed, active_count, apps) = tokio::try_join!(
        listed(engine, query),
        async { Ok::<_, ConsoleError>(engine.count_active_sessions().await?) },
        async { Ok::<_, ConsoleError>(engine.app_slugs().await?) },
    )?;
    Ok(SessionPage {
        query: query.clone(),
        rows: listed.rows.into_iter().map(|row| view(row, current_hash.as_deref())).collect(),
        total: listed.total,
        total_is_exact: listed.total_is_exact,
        active_count,
        apps,
        now_ms: engine.now_ms(),
        can_revoke: user.role.ends_any_session(),
    })
}

#[async_trait]
impl SessionsBackend for Console {
    async fn list_sessions(
        &self,
        user: &CurrentUser,
        query: &SessionQuery,
        current: Option<Id>,
    ) -> Result<SessionPage, ConsoleError> {
        page(&self.engine, user, query, current.map(|id| token_hash(&id))).await
    }

    async fn revoke_session(
        &self,
        user: &CurrentUser,
        session_id: &SessionId,
        client: &ClientInfo,
    ) -> Result<(), ConsoleError> {
        let actor = console_actor(user, client.ip.as_deref());
        let ended = self
            .engine
            .end_session(session_id, actor, SessionStatus::Revoked, "revoked in the console")
            .await?;
        // Revoking a session that has already ended changes nothing and is not an error; an unknown id is.
        if !ended && self.engine.session_by_id(session_id).await?.is_none() {
            return Err(ConsoleError::invalid("There is no session with that id."));
        }
        Ok(())
    }

    async fn kill_all_sessions(
        &self,
        user: &CurrentUser,
        current: Option<Id>,
        client: &ClientInfo,
    ) -> Result<u64, ConsoleError> {
        let keep = current.map(|id| token_hash(&id));
        let actor = console_actor(user, client.ip.as_deref());
        Ok(self.engine.revoke_all_active(keep.as_deref(), actor, "Kill All in the console").await?)
    }
}

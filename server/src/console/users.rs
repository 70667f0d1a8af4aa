//! The Users page: people with their sessions' counts, and forcing out, disabling, roles and adding, each under
//! the workspace's rules (`app::team`) and audited by the engine.

use async_trait::async_trait;
use tower_sessions::session::Id;

use app::backend::{ClientInfo, Disabling, NewUserForm, UsersBackend};
use app::model::{CurrentUser, Role};
use app::session_query::Direction;
use app::team::{refuses_acting_on, refuses_role_change, UserPage, UserSummary};
use app::user_query::{UserQuery, UserSortKey};
use app::ConsoleError;

use super::{console_actor, token_hash, Console};
use crate::engine::NewMember;
use crate::secrets::Secret;
use crate::storage::{UserListQuery, UserSortColumn, UserSummaryRow};

#[async_trait]
impl UsersBackend for Console {
    async fn users_page(&self, query: &UserQuery) -> Result<UserPage, ConsoleError> {
        let search = query.q.trim().to_lowercase();
        let page = self
            .engine
            .list_users(&UserListQuery {
                search: Some(search.as_str()).filter(|term| !term.is_empty()),
                sort: sort_column(query.sort),
                descending: query.dir == Direction::Desc,
                limit: i64::from(query.size),
                offset: query.offset(),
            })
            .await?;
        Ok(UserPage {
            query: query.clone(),
            rows: page.rows.into_iter().map(summary).collect(),
            total: page.total,
            total_is_exact: page.total_is_exact,
            total_active_sessions: self.engine.count_active_sessions().await?,
            now_ms: self.engine.now_ms(),
        })
    }

    async fn force_sign_out(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        user_id: i64,
        reason: &str,
        tell_user: bool,
    ) -> Result<usize, ConsoleError> {
        self.may_act_on(caller, user_id).await?;
        let actor = console_actor(caller, client.ip.as_deref());
        Ok(self.engine.force_sign_out(user_id, actor, reason, tell_user).await?.len())
    }

    async fn set_disabled(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        user_id: i64,
        disabling: Option<Disabling<'_>>,
    ) -> Result<usize, ConsoleError> {
        self.may_act_on(caller, user_id).await?;
        let actor = console_actor(caller, client.ip.as_deref());
        match disabling {
            Some(Disabling { reason, tell_user }) => {
                Ok(self.engine.disable_user(user_id, actor, reason, tell_user).await?)
            }
            None => self.engine.enable_user(user_id, actor).await.map(|()| 0).map_err(Into::into),
        }
    }

    async fn change_role(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        user_id: i64,
        role: Role,
    ) -> Result<(), ConsoleError> {
        if let Some(problem) = refuses_role_change(caller, user_id) {
            return Err(ConsoleError::invalid(problem));
        }
        let actor = console_actor(caller, client.ip.as_deref());
        Ok(self.engine.change_role(user_id, role, actor).await?)
    }

    async fn add_user(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        form: NewUserForm,
    ) -> Result<i64, ConsoleError> {
        let member = NewMember {
            email: &form.email,
            name: &form.name,
            role: form.role,
            password: form.password.map(Secret::from),
        };
        let actor = console_actor(caller, client.ip.as_deref());
        Ok(self.engine.add_user(member, actor).await?)
    }

    async fn sign_out_team(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        current: Option<Id>,
    ) -> Result<u64, ConsoleError> {
        let keep = current.map(|id| token_hash(&id));
        let actor = console_actor(caller, client.ip.as_deref());
        Ok(self.engine.revoke_all_active(keep.as_deref(), actor, "Sign out all team sessions").await?)
    }
}

impl Console {
    /// Refuses, with the rule's words, a change the caller may not make to this user.
    async fn may_act_on(&self, caller: &CurrentUser, user_id: i64) -> Result<(), ConsoleError> {
        let target = self.engine.user_summary(user_id).await?;
        match refuses_acting_on(caller, user_id, target.role) {
            Some(problem) => Err(ConsoleError::invalid(problem)),
            None => Ok(()),
        }
    }
}

fn sort_column(key: UserSortKey) -> UserSortColumn {
    match key {
        UserSortKey::Email => UserSortColumn::Email,
        UserSortKey::Name => UserSortColumn::Name,
        UserSortKey::Role => UserSortColumn::Role,
        UserSortKey::Status => UserSortColumn::Status,
        UserSortKey::ActiveSessions => UserSortColumn::ActiveSessions,
        UserSortKey::LastActive => UserSortColumn::LastActive,
        UserSortKey::TotalSessions => UserSortColumn::TotalSessions,
    }
}

fn summary(row: UserSummaryRow) -> UserSummary {
    UserSummary {
        id: row.id,
        email: row.email,
        name: row.display_name,
        role: row.role,
        disabled: row.disabled != 0,
        active_sessions: row.active_sessions,
        total_sessions: row.total_sessions,
        last_active_at_ms: (row.last_active_at > 0).then_some(row.last_active_at),
    }
}

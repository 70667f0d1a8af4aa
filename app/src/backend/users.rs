use async_trait::async_trait;
use tower_sessions::session::Id;

use super::ClientInfo;
use crate::error::ConsoleError;
use crate::model::{CurrentUser, Role};
use crate::team::UserPage;
use crate::user_query::UserQuery;

/// A user to add, as the Add user dialog sends it.
pub struct NewUserForm {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// A console password (checked by the server: 12 characters or more); None for no console access.
    pub password: Option<String>,
}

/// Why a user is disabled, and whether they are told.
pub struct Disabling<'a> {
    pub reason: &'a str,
    pub tell_user: bool,
}

/// The Users page: people, their sessions' counts, and what owners and admins do to them. Each call is made
/// by an owner or admin (the server function checked); the rules on whom they may change are checked here.
#[async_trait]
pub trait UsersBackend: Send + Sync + 'static {
    async fn users_page(&self, query: &UserQuery) -> Result<UserPage, ConsoleError>;

    /// **Logout All Devices**: every active session of the user ends with `reason`. Returns how many.
    async fn force_sign_out(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        user_id: i64,
        reason: &str,
        tell_user: bool,
    ) -> Result<usize, ConsoleError>;

    /// Disables (ending every session with the reason) or, given None, enables a user. Returns how many sessions
    /// ended.
    async fn set_disabled(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        user_id: i64,
        disabling: Option<Disabling<'_>>,
    ) -> Result<usize, ConsoleError>;

    async fn change_role(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        user_id: i64,
        role: Role,
    ) -> Result<(), ConsoleError>;

    /// Adds a user; returns their id.
    async fn add_user(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        form: NewUserForm,
    ) -> Result<i64, ConsoleError>;

    /// **Sign out all team sessions**: every active session except `current`. Returns how many ended.
    async fn sign_out_team(
        &self,
        caller: &CurrentUser,
        client: &ClientInfo,
        current: Option<Id>,
    ) -> Result<u64, ConsoleError>;
}

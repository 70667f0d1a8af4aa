use async_trait::async_trait;

use super::ClientInfo;
use crate::end_cause::SignOutNotice;
use crate::error::ConsoleError;
use crate::model::CurrentUser;

/// Who is calling: console passwords, the user behind a console session, and refusals.
#[async_trait]
pub trait SignInBackend: Send + Sync + 'static {
    /// Checks a console password under the lock-out policy and audits the outcome.
    async fn sign_in(
        &self,
        email: &str,
        password: &str,
        client: &ClientInfo,
    ) -> Result<CurrentUser, ConsoleError>;

    /// The user behind a console session; `None` once the user is deleted or disabled.
    async fn user(&self, user_id: i64) -> Result<Option<CurrentUser>, ConsoleError>;

    /// Why the console session this cookie value names ended, when something other than its own Sign out
    /// ended it (an admin, a disable, a limit) in the last week; None for a live, unknown or forged one.
    async fn sign_out_notice(&self, cookie_value: &str) -> Result<Option<SignOutNotice>, ConsoleError>;

    /// Whether the workspace lets console sign-ins be remembered.
    async fn remember_me_allowed(&self) -> Result<bool, ConsoleError>;

    /// Records a refused call (DESIGN.md: refusals are audited).
    async fn record_refusal(
        &self,
        user: Option<&CurrentUser>,
        action: &str,
        client: &ClientInfo,
    ) -> Result<(), ConsoleError>;
}

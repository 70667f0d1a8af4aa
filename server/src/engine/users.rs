//! Managing people: the list of users with their sessions' counts, forcing a user out everywhere, disabling and
//! enabling, roles, and adding users. Who may ask is the caller's business (`app::team`); what holds whoever asks
//! (the last owner, every session ended with the disabling) is kept here and in storage.

use app::end_cause::EndCause;
use app::model::{Role, SessionStatus};

use super::end::Actor;
use super::{Audience, Engine, EngineError, Event};
use crate::passwords::hash_password;
use crate::secrets::Secret;
use crate::storage::{Disabling, NewUser, UserChange, UserListPage, UserListQuery, UserSummaryRow};

/// A user to add.
pub struct NewMember<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub password: Option<Secret>,
}

impl Engine {
    pub async fn list_users(&self, query: &UserListQuery<'_>) -> Result<UserListPage, EngineError> {
        Ok(self.storage.list_users(query).await?)
    }

    pub async fn user_summary(&self, user_id: i64) -> Result<UserSummaryRow, EngineError> {
        self.storage.user_summary(user_id).await?.ok_or(EngineError::UserNotFound)
    }

    /// **Logout All Devices**: ends every active session of the user in every app, each with `reason`.
    /// Returns the ids it ended.
    pub async fn force_sign_out(
        &self,
        user_id: i64,
        actor: Actor,
        reason: &str,
        share_reason: bool,
    ) -> Result<Vec<String>, EngineError> {
        self.user_summary(user_id).await?;
        self.revoke_user_sessions(user_id, actor, reason, share_reason).await
    }

    /// Disables a user: every active session ends (with `reason`) in the same transaction, and new ones are
    /// refused. Returns how many sessions ended. `share_reason` tells the user why.
    pub async fn disable_user(
        &self,
        user_id: i64,
        actor: Actor,
        reason: &str,
        share_reason: bool,
    ) -> Result<usize, EngineError> {
        let now_ms = self.now_ms();
        let disabling = Disabling {
            end: crate::storage::SessionEnd {
                cause: EndCause::UserDisabled,
                ..actor.ending(SessionStatus::Revoked, reason, share_reason, now_ms)
            },
            session_audit: actor.audit("session.revoked", None, Some(reason.to_string()), now_ms),
        };
        let audit =
            actor.audit("user.disabled", Some(format!("user:{user_id}")), Some(reason.into()), now_ms);
        let change = self.storage.set_user_disabled(user_id, Some(&disabling), &audit).await?;
        let ended = self.user_changed(user_id, change)?;
        if ended > 0 {
            self.events.publish(Event::sessions(Audience::owners([Some(user_id)])));
        }
        Ok(ended)
    }

    pub async fn enable_user(&self, user_id: i64, actor: Actor) -> Result<(), EngineError> {
        let audit = actor.audit("user.enabled", Some(format!("user:{user_id}")), None, self.now_ms());
        let change = self.storage.set_user_disabled(user_id, None, &audit).await?;
        self.user_changed(user_id, change).map(|_| ())
    }

    pub async fn change_role(&self, user_id: i64, role: Role, actor: Actor) -> Result<(), EngineError> {
        let audit = actor.audit(
            "user.role_changed",
            Some(format!("user:{user_id}")),
            Some(role.as_str().into()),
            self.now_ms(),
        );
        let change = self.storage.set_user_role(user_id, role, &audit).await?;
        self.user_changed(user_id, change).map(|_| ())
    }

    /// Adds a user (with a console password, or without console access). Returns the new user's id.
    pub async fn add_user(&self, member: NewMember<'_>, actor: Actor) -> Result<i64, EngineError> {
        let email = usable_email(member.email).ok_or_else(|| {
            EngineError::invalid(format!("{:?} is not an email address.", member.email.trim()))
        })?;
        let name = member.name.trim();
        if name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(EngineError::invalid("A name can have at most 100 characters and no line breaks."));
        }
        let name = if name.is_empty() { default_name(email) } else { name };
        // Hashing takes tens of milliseconds of CPU: off the async workers, as sign-in's checks are.
        let hash = match member.password {
            Some(password) => Some(
                tokio::task::spawn_blocking(move || hash_password(&password))
                    .await
                    .map_err(|error| EngineError::Busy(format!("password hashing stopped: {error}")))?
                    .map_err(|error| EngineError::invalid(error.to_string()))?,
            ),
            None => None,
        };
        let now_ms = self.now_ms();
        let id = self
            .storage
            .create_user(NewUser {
                email,
                display_name: name,
                role: member.role.as_str(),
                password_hash: hash.as_deref(),
                now_ms,
            })
            .await?;
        let audit = actor.audit(
            "user.created",
            Some(format!("user:{id}")),
            Some(member.role.as_str().into()),
            now_ms,
        );
        self.storage.record_audit(&audit).await?;
        self.events.publish(Event::users(id));
        Ok(id)
    }

    fn user_changed(&self, user_id: i64, change: UserChange) -> Result<usize, EngineError> {
        match change {
            UserChange::Done { ended } => {
                self.events.publish(Event::users(user_id));
                Ok(ended.len())
            }
            UserChange::Unchanged => Ok(0),
            UserChange::NoSuchUser => Err(EngineError::UserNotFound),
            UserChange::LastOwner => Err(EngineError::Refused(
                "This is the workspace's last owner: make another user an owner first.".into(),
            )),
        }
    }
}

/// A usable email, trimmed: something@domain.tld, at most 254 characters, no spaces or control characters. The
/// console, the admin API and the command line hold new users to this one rule.
pub fn usable_email(email: &str) -> Option<&str> {
    let email = email.trim();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    valid.then_some(email)
}

/// A new user's name when none is given: the part of the email before the @.
pub fn default_name(email: &str) -> &str {
    email.split('@').next().unwrap_or(email)
}

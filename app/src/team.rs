//! The Users page's domain: a user as the page shows them, a page of users, and the workspace's rules on who
//! may change whom. The rules are plain functions so the page hides what the server would refuse, and the server
//! refuses it whoever asks.

use serde::{Deserialize, Serialize};

use crate::model::{CurrentUser, Role};
use crate::user_query::UserQuery;

/// A reason an admin gives for ending someone's sessions is at most this long.
pub const MAX_REASON_CHARS: usize = 500;

/// A user with their sessions' counts.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    pub active_sessions: i64,
    pub total_sessions: i64,
    /// None when the user never had a session.
    pub last_active_at_ms: Option<i64>,
}

impl UserSummary {
    pub fn status_label(&self) -> &'static str {
        if self.disabled {
            "Disabled"
        } else {
            "Active"
        }
    }

    /// The Sessions page searched for this user.
    pub fn sessions_url(&self) -> String {
        crate::session_query::SessionQuery { q: self.email.clone(), ..Default::default() }.to_url()
    }
}

/// One page of the Users table and what the page around it shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub query: UserQuery,
    pub rows: Vec<UserSummary>,
    /// Users matching the search; a lower bound when `total_is_exact` is false (a search matching very many).
    pub total: i64,
    pub total_is_exact: bool,
    /// Every active session in the workspace (the Sessions page's live count).
    pub total_active_sessions: i64,
    pub now_ms: i64,
}

/// Owners and admins manage users.
pub fn manages_users(role: Role) -> bool {
    matches!(role, Role::Owner | Role::Admin)
}

/// Why `caller` may not disable, enable or force out `target`; None when they may.
pub fn refuses_acting_on(caller: &CurrentUser, target_id: i64, target_role: Role) -> Option<&'static str> {
    if caller.id == target_id {
        return Some(
            "You cannot do this to your own account. Use My sessions to sign out your other sessions.",
        );
    }
    if target_role == Role::Owner && caller.role != Role::Owner {
        return Some("Only an owner can do this to an owner.");
    }
    None
}

/// Why `caller` may not give `target` the role `to`; None when they may. (The last owner is checked by the
/// server, against the stored users.)
pub fn refuses_role_change(caller: &CurrentUser, target_id: i64) -> Option<&'static str> {
    if caller.role != Role::Owner {
        return Some("Only owners can change roles.");
    }
    if caller.id == target_id {
        return Some("You cannot change your own role. Ask another owner.");
    }
    None
}

/// Why `caller` may not add a user with `role`; None when they may.
pub fn refuses_adding(caller: &CurrentUser, role: Role) -> Option<&'static str> {
    if !manages_users(caller.role) {
        return Some("Only owners and admins can add users.");
    }
    if role == Role::Owner && caller.role != Role::Owner {
        return Some("Only an owner can add another owner.");
    }
    None
}

/// An admin's reason, trimmed: required, at most `MAX_REASON_CHARS`, no control characters.
pub fn checked_reason(text: &str) -> Result<&str, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Type a reason: it is kept with each ended session and in the audit log.".into());
    }
    if text.chars().count() > MAX_REASON_CHARS {
        return Err(format!("A reason can have at most {MAX_REASON_CHARS} characters."));
    }
    if text.chars().any(char::is_control) {
        return Err("A reason cannot contain control characters such as line breaks.".into());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: i64, role: Role) -> CurrentUser {
        CurrentUser { id, email: format!("u{id}@example.com"), display_name: format!("U{id}"), role }
    }

    #[test]
    fn admins_manage_members_but_not_owners_and_nobody_acts_on_themselves() {
        let admin = user(2, Role::Admin);
        assert_eq!(refuses_acting_on(&admin, 5, Role::Member), None);
        assert!(refuses_acting_on(&admin, 1, Role::Owner).is_some());
        assert!(refuses_acting_on(&admin, 2, Role::Admin).is_some());
        assert_eq!(refuses_acting_on(&user(1, Role::Owner), 3, Role::Owner), None);
    }

    #[test]
    fn only_owners_change_roles_and_never_their_own() {
        assert!(refuses_role_change(&user(2, Role::Admin), 5).is_some());
        assert!(refuses_role_change(&user(1, Role::Owner), 1).is_some());
        assert_eq!(refuses_role_change(&user(1, Role::Owner), 5), None);
        assert!(refuses_adding(&user(2, Role::Admin), Role::Owner).is_some());
        assert_eq!(refuses_adding(&user(2, Role::Admin), Role::Admin), None);
        assert!(refuses_adding(&user(3, Role::Member), Role::Member).is_some());
    }

    #[test]
    fn a_reason_is_required_trimmed_and_bounded() {
        assert!(checked_reason("   ").is_err());
        assert_eq!(checked_reason("  Security concern "), Ok("Security concern"));
        assert!(checked_reason(&"x".repeat(501)).is_err());
        assert!(checked_reason("two\nlines").is_err());
    }
}

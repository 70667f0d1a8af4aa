//! The console's pages in one table: path, title, navigation label and who may open each. The header's
//! navigation **Main** and every page's guard read it; the router in `lib.rs` names the same paths (a test
//! checks that every row here has its route). A new page is a row here, a route there, and its own files.

use crate::model::Role;

#[derive(Debug)]
pub struct Page {
    pub path: &'static str,
    /// The document title, before " · Roster".
    pub title: &'static str,
    /// The link's text in the navigation.
    pub nav_label: &'static str,
    pub allows: fn(Role) -> bool,
}

impl Page {
    pub fn allowed(&self, role: Role) -> bool {
        (self.allows)(role)
    }
}

fn everyone(_: Role) -> bool {
    true
}

pub const SESSIONS: Page =
    Page { path: "/sessions", title: "Sessions", nav_label: "Sessions", allows: Role::sees_all_sessions };

pub const HISTORY: Page = Page {
    path: "/sessions/history",
    title: "Session history",
    nav_label: "History",
    allows: Role::sees_all_sessions,
};

pub const MY_SESSIONS: Page =
    Page { path: "/my/sessions", title: "My sessions", nav_label: "My sessions", allows: everyone };

pub const USERS: Page =
    Page { path: "/users", title: "Users", nav_label: "Users", allows: crate::team::manages_users };

pub const APPS: Page =
    Page { path: "/apps", title: "Apps", nav_label: "Apps", allows: crate::team::manages_users };

pub const AUDIT: Page =
    Page { path: "/audit", title: "Audit log", nav_label: "Audit log", allows: crate::team::manages_users };

pub const ALARMS: Page =
    Page { path: "/alarms", title: "Alarms", nav_label: "Alarms", allows: crate::team::manages_users };

pub const ANALYTICS: Page =
    Page { path: "/analytics", title: "Analytics", nav_label: "Analytics", allows: Role::sees_all_sessions };

fn owners(role: Role) -> bool {
    role == Role::Owner
}

pub const SETTINGS: Page =
    Page { path: "/settings", title: "Settings", nav_label: "Settings", allows: owners };

/// Every signed-in page, in the navigation's order (the header renders one `NavLink` per row).
pub const PAGES: [&Page; 9] =
    [&SESSIONS, &HISTORY, &MY_SESSIONS, &USERS, &APPS, &AUDIT, &ALARMS, &ANALYTICS, &SETTINGS];

/// The pages `role` may open, in the navigation's order.
pub fn navigation(role: Role) -> impl Iterator<Item = &'static Page> {
    PAGES.into_iter().filter(move |page| page.allowed(role))
}

/// Where a user lands after signing in: the first page of their navigation.
pub fn landing_page(role: Role) -> &'static str {
    navigation(role).next().map_or(MY_SESSIONS.path, |page| page.path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_sees_only_the_pages_it_may_open_and_lands_on_the_first() {
        let paths = |role| navigation(role).map(|page| page.path).collect::<Vec<_>>();
        assert_eq!(
            paths(Role::Owner),
            [
                "/sessions",
                "/sessions/history",
                "/my/sessions",
                "/users",
                "/apps",
                "/audit",
                "/alarms",
                "/analytics",
                "/settings"
            ]
        );
        assert_eq!(
            paths(Role::Admin),
            [
                "/sessions",
                "/sessions/history",
                "/my/sessions",
                "/users",
                "/apps",
                "/audit",
                "/alarms",
                "/analytics"
            ]
        );
        assert_eq!(
            paths(Role::BillingManager),
            ["/sessions", "/sessions/history", "/my/sessions", "/analytics"]
        );
        assert_eq!(paths(Role::Member), ["/my/sessions"]);
        assert_eq!(landing_page(Role::Admin), "/sessions");
        assert_eq!(landing_page(Role::Member), "/my/sessions");
    }

    #[test]
    fn every_page_has_a_distinct_path_and_label() {
        for (i, page) in PAGES.iter().enumerate() {
            for other in &PAGES[i + 1..] {
                assert_ne!(page.path, other.path);
                assert_ne!(page.nav_label, other.nav_label);
            }
        }
    }
}

//! A session row as people read it: the device, the place, the user.

use app::model::{Role, SessionUser};

use crate::storage::SessionRow;

/// "Chrome 120 on Windows 10", or None when the user agent told nothing.
pub fn device_label(row: &SessionRow) -> Option<String> {
    let browser = row.browser.as_ref().map(|name| match &row.browser_version {
        Some(version) => format!("{name} {}", version.split('.').next().unwrap_or(version)),
        None => name.clone(),
    });
    match (browser, &row.os) {
        (Some(browser), Some(os)) => Some(format!("{browser} on {os}")),
        (Some(browser), None) => Some(browser),
        (None, Some(os)) => Some(os.clone()),
        (None, None) => None,
    }
}

/// "Madrid, Spain", the one of them that is known, or None.
pub fn location(row: &SessionRow) -> Option<String> {
    app::format::place(row.city.as_deref(), row.country.as_deref())
}

/// The session's user as the console shows them; None for a guest.
pub fn session_user(row: &SessionRow) -> Option<SessionUser> {
    match (&row.user_email, &row.user_name, row.user_role.as_deref().and_then(Role::parse)) {
        (Some(email), Some(name), Some(role)) => {
            Some(SessionUser { email: email.clone(), name: name.clone(), role })
        }
        _ => None,
    }
}

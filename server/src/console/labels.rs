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

/// The system's everyday name: woothee says "Windows 10" and "Mac OSX"; people say Windows and macOS.
fn system_family(os: &str) -> &str {
    match os {
        "Mac OSX" => "macOS",
        windows if windows.starts_with("Windows") => "Windows",
        other => other,
    }
}

/// "Safari on iPhone", "Chrome on Windows": how My sessions names a device; None when the user agent told
/// nothing ("Unknown Browser").
pub fn browser_on_system(row: &SessionRow) -> Option<String> {
    match (&row.browser, &row.os) {
        (Some(browser), Some(os)) => Some(format!("{browser} on {}", system_family(os))),
        (Some(browser), None) => Some(browser.clone()),
        (None, Some(os)) => Some(format!("Unknown Browser on {}", system_family(os))),
        (None, None) => None,
    }
}

/// "Safari 17.1"
pub fn browser_with_version(row: &SessionRow) -> Option<String> {
    let browser = row.browser.as_ref()?;
    Some(match &row.browser_version {
        Some(version) => format!("{browser} {version}"),
        None => browser.clone(),
    })
}

/// "iOS 17.1", "macOS 10.15.7", "Windows 10" (whose version woothee gives as the NT kernel's, which says less).
pub fn system_with_version(row: &SessionRow) -> Option<String> {
    let os = row.os.as_deref()?;
    let name = match os {
        "iPhone" | "iPad" | "iPod" => "iOS",
        windows if windows.starts_with("Windows") => return Some(windows.to_owned()),
        other => system_family(other),
    };
    Some(match &row.os_version {
        Some(version) => format!("{name} {version}"),
        None => name.to_owned(),
    })
}

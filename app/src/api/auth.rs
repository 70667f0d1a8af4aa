//! Console sign-in and sign-out, and who is signed in.

use leptos::prelude::*;

use crate::error::ConsoleError;
use crate::model::CurrentUser;

/// Console passwords shorter than this are refused wherever one is set.
pub const MIN_PASSWORD_CHARS: usize = 12;
#[cfg(feature = "ssr")]
const MAX_EMAIL_CHARS: usize = 254;
#[cfg(feature = "ssr")]
const MAX_PASSWORD_CHARS: usize = 1024;

#[server(endpoint = "login", output = crate::api::codec::JsonReply)]
pub async fn login(email: String, password: String, remember_me: Option<String>) -> Result<(), ConsoleError> {
    use crate::backend::{session_keys, Call};
    use tower_sessions::Expiry;

    let email = email.trim();
    if email.is_empty() || password.is_empty() {
        return Err(ConsoleError::invalid("Enter your email and password."));
    }
    if email.chars().count() > MAX_EMAIL_CHARS || password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(ConsoleError::InvalidCredentials);
    }
    let call = Call::current().await?;
    let user = call.sign_in.sign_in(email, &password, &call.client).await?;
    let remember = remember_me.is_some() && call.sign_in.remember_me_allowed().await?;
    let session = call.session()?;
    let session_error = |_| ConsoleError::Internal { reference: "session".into() };
    // A new id at every sign-in: a cookie planted before sign-in is never promoted.
    session.cycle_id().await.map_err(session_error)?;
    session.insert(session_keys::USER_ID, user.id).await.map_err(session_error)?;
    session.insert(session_keys::REMEMBER_ME, remember).await.map_err(session_error)?;
    session.insert(session_keys::IP, &call.client.ip).await.map_err(session_error)?;
    session.insert(session_keys::USER_AGENT, &call.client.user_agent).await.map_err(session_error)?;
    // Without "Remember me" the cookie ends with the browser; the server's limits apply either way.
    let expiry = if remember { Expiry::OnInactivity(time::Duration::days(30)) } else { Expiry::OnSessionEnd };
    session.set_expiry(Some(expiry));
    leptos_axum::redirect(user.role.landing_page());
    Ok(())
}

#[server(endpoint = "logout", output = crate::api::codec::JsonReply)]
pub async fn logout() -> Result<(), ConsoleError> {
    use crate::backend::Call;

    let call = Call::current().await?;
    // Ending the session row (ended by its holder) happens in the store's delete.
    call.session()?.flush().await.map_err(|_| ConsoleError::Internal { reference: "session".into() })?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// Who is signed in; `None` for an anonymous visitor (not an error: the login page asks this too).
#[server(endpoint = "signed_in_user", output = crate::api::codec::JsonReply)]
pub async fn signed_in_user() -> Result<Option<CurrentUser>, ConsoleError> {
    use crate::backend::Call;

    Call::current().await?.user().await
}

/// What the sign-in page shows before anyone signs in: whether Remember me is offered, and what it says to
/// someone whose console session was ended while they were away ("An administrator signed you out on 3 Dec
/// 14:05: Security concern"). The notice is read from this browser's own cookie, so it never tells anyone about
/// a session they do not hold.
#[server(endpoint = "sign_in_page", output = crate::api::codec::JsonReply)]
pub async fn sign_in_page() -> Result<crate::end_cause::SignInPage, ConsoleError> {
    use crate::backend::{capability, session_keys, SignInBackend};

    let headers: axum::http::HeaderMap = leptos_axum::extract().await.unwrap_or_default();
    let cookie = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == session_keys::COOKIE || *name == session_keys::SECURE_COOKIE)
        .map(|(_, value)| value.to_string());
    let backend = capability::<dyn SignInBackend>()?;
    let notice = match cookie {
        Some(value) => backend.sign_out_notice(&value).await?,
        None => None,
    };
    Ok(crate::end_cause::SignInPage { notice, remember_me_allowed: backend.remember_me_allowed().await? })
}

//! What a browser may do with Roster's answers: console pages run only their own scripts (Leptos marks the ones
//! it writes into the page with this render's nonce) and may not be framed; no answer is sniffed as another type
//! or leaks its address to other sites; HTTPS is remembered once cookies are Secure.

use axum::http::{header, HeaderValue};
use axum::Router;
use leptos::nonce::use_nonce;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use tower_http::set_header::SetResponseHeaderLayer;

/// Answers that are not pages (the APIs, files, server functions) run nothing and are framed nowhere.
const NOTHING_RUNS: &str = "default-src 'none'; frame-ancestors 'none'";

/// The policy of one page: its own origin's files; scripts also when they carry the render's nonce (the
/// hydration script and the data Leptos streams into the page); WASM compiled by the browser (Chromium asks for
/// `'wasm-unsafe-eval'`); server functions and the event stream on the same origin.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// Called in every page render's context (with the backends): the page's answer carries its nonce's policy.
pub fn send_page_policy() {
    let (Some(nonce), Some(response)) = (use_nonce(), use_context::<ResponseOptions>()) else { return };
    if let Ok(policy) = HeaderValue::from_str(&page_policy(&nonce)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, policy);
    }
}

pub fn with_security_headers(router: Router, secure_cookies: bool) -> Router {
    let router = router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(NOTHING_RUNS),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // Browsers older than `frame-ancestors`.
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        // Not `no-referrer`: with it a browser sends `Origin: null` on form posts, which the cross-site check
        // must refuse; `same-origin` keeps the origin for Roster and tells other sites nothing.
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ));
    if secure_cookies {
        // A browser that has seen Roster over https refuses plain http to it for a year.
        router.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        ))
    } else {
        router
    }
}

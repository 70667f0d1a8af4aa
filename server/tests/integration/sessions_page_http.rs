//! The Sessions page as the server renders it (what a browser shows before the WASM loads): its pager offers
//! every page of an exact total, and no "last page" of a search that matched more than it counts.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

use crate::console_http::TestApp;
use crate::session_list_cases::seed;

/// The attributes of the `<button>` whose text is `label`.
fn button<'a>(html: &'a str, label: &str) -> &'a str {
    let end =
        html.find(&format!(">{label}</button>")).unwrap_or_else(|| panic!("no {label} button in {html}"));
    let start = html[..end].rfind("<button").expect("the button's tag");
    &html[start..end]
}

async fn page(app: &TestApp, cookie: &str, path: &str) -> String {
    let reply =
        app.send(Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap()).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    reply.body
}

/// Rendering the Sessions page nests deeper than a test thread's 2 MiB stack in a debug build (the server runs
/// it on its runtime's threads); this runs the case on a thread of its own with room to spare.
#[test]
fn the_pager_offers_every_page_of_an_exact_total_and_no_last_page_past_a_searchs_cap() {
    std::thread::Builder::new()
        .stack_size(32 * 1024 * 1024)
        .spawn(|| {
            tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(pager_case())
        })
        .unwrap()
        .join()
        .unwrap();
}

async fn pager_case() {
    let app = TestApp::start().await;
    // More "example" matches than a search gathers: its pages are found by walking the sort index.
    seed(&app.db, 11_500).await;
    let cookie = app.signed_in_cookie("owner@example.com").await;

    let all = page(&app, &cookie, "/sessions?size=50").await;
    assert!(!button(&all, "Last page").contains("disabled"), "every page of an exact total is offered");
    assert!(!all.contains("more than"), "the unsearched total is exact");

    // A page in the middle renders its rows on the server, as a shared link to it would.
    let middle = page(&app, &cookie, "/sessions?size=25&page=230").await;
    assert!(middle.contains("5,726–5,750 of"), "the rows of page 230: {middle}");

    let broad = page(&app, &cookie, "/sessions?q=example&size=50").await;
    assert!(broad.contains("more than 1,000 sessions"), "{broad}");
    assert!(broad.contains("Page 1 of 20+"), "the pages counted are the first matches only");
    assert!(button(&broad, "Last page").contains("disabled"), "a total of \"more than\" has no last page");
    assert!(!button(&broad, "Next page").contains("disabled"));
}

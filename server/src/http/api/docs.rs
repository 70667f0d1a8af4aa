//! The API's description: its title, credentials and tags, `GET /api/openapi.json`, and `GET /api/docs`, a
//! page that lists the endpoints without any script (the console's Content-Security-Policy holds for it too).

use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Roster",
        description = "Sessions for apps (`/api/v1`, with an app's API key) and their administration \
                       (`/api/admin`, with an admin token). Errors are `{\"error\": {\"code\", \"message\"}}`.",
    ),
    modifiers(&Credentials),
    tags(
        (name = "sessions", description = "What an app does for its users: create, validate, payload, sign out"),
        (name = "admin", description = "Automation: list and end sessions, disable users, follow the audit log and alarms"),
    )
)]
pub struct ApiDoc;

struct Credentials;

impl Modify for Credentials {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer = |description: &str| {
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some(description)).build(),
            )
        };
        components.add_security_scheme(
            "app_key",
            bearer("An app's API key (`rk_…`), from `roster apps create` or the Apps page"),
        );
        components.add_security_scheme(
            "admin_token",
            bearer("An admin token (`ra_…`), from `roster admin-tokens create` or the Apps page"),
        );
    }
}

async fn openapi_json() -> impl IntoResponse {
    let json = super::description().to_pretty_json().unwrap_or_default();
    ([(header::CONTENT_TYPE, "application/json")], json)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Each operation with its method, path and summary; the JSON is the reference. No script: only the site's
/// style sheet may load.
async fn docs_page() -> impl IntoResponse {
    let description = super::description();
    let mut rows = String::new();
    for (path, item) in &description.paths.paths {
        let operations =
            [("GET", &item.get), ("POST", &item.post), ("PUT", &item.put), ("DELETE", &item.delete)];
        for (method, operation) in operations {
            let Some(operation) = operation else { continue };
            let summary = operation.summary.as_deref().or(operation.description.as_deref()).unwrap_or("");
            rows.push_str(&format!(
                "<tr><td><code>{method}</code></td><td><code>{}</code></td><td>{}</td></tr>\n",
                escape(path),
                escape(summary)
            ));
        }
    }
    let policy = "default-src 'none'; style-src 'self'; frame-ancestors 'none'";
    let page = Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Roster API</title>\
         <link rel=\"stylesheet\" href=\"/pkg/roster.css\"></head><body><main id=\"main\"><h1>Roster API</h1>\
         <p>The full description: <a href=\"/api/openapi.json\">/api/openapi.json</a> (OpenAPI 3.1).</p>\
         <table><thead><tr><th>Method</th><th>Path</th><th>What it does</th></tr></thead><tbody>\n{rows}</tbody></table>\
         </main></body></html>"
    ));
    ([(header::CONTENT_SECURITY_POLICY, policy)], page)
}

pub fn routes() -> Router {
    Router::new().route("/api/openapi.json", get(openapi_json)).route("/api/docs", get(docs_page))
}

//! Every request gets an id (`x-request-id`, kept when a proxy sent one), answered in the reply and carried by
//! every log line written while it is served, so a person's report ("reference …", or the id from the
//! browser's network tab) finds the log entries of that request.

use axum::http::{HeaderName, Request};
use axum::Router;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn traced(router: Router) -> Router {
    let span = |request: &Request<_>| {
        let id = request
            .extensions()
            .get::<RequestId>()
            .and_then(|id| id.header_value().to_str().ok())
            .unwrap_or("-")
            .to_owned();
        tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
    };
    // Layers run outside in: the id is set first, then the span records it, then the reply carries it.
    router
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(span))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

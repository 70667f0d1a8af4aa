//! The oversight pages (History, and the audit log and alarms beside it) share one lazily loaded chunk: each
//! lazy route adds its own loading code to the main WASM, which the Sessions console must keep small, and an
//! admin who opens one of these pages usually opens the others.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use leptos_router::{lazy_route, LazyRoute};

use super::alarms::AlarmsRoutePage;
use super::audit_log::AuditLogRoutePage;
use super::history::HistoryRoutePage;

pub struct OversightRoute {
    path: String,
}

#[lazy_route]
impl LazyRoute for OversightRoute {
    fn data() -> Self {
        OversightRoute { path: use_location().pathname.get_untracked() }
    }

    fn view(this: Self) -> AnyView {
        if this.path == crate::routes::AUDIT.path {
            view! { <AuditLogRoutePage/> }.into_any()
        } else if this.path == crate::routes::ALARMS.path {
            view! { <AlarmsRoutePage/> }.into_any()
        } else {
            view! { <HistoryRoutePage/> }.into_any()
        }
    }
}

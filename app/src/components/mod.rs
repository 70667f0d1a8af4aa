pub mod auth;
pub mod header;
pub mod hydration_mark;
pub mod later;
pub mod live_events;
pub mod modal;
pub mod require_user;
pub mod toast;

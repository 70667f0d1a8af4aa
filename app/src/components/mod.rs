pub mod auth;
pub mod header;
pub mod later;
pub mod require_user;
pub mod toast;

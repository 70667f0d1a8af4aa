pub mod auth;
pub mod header;
pub mod require_user;
pub mod toast;

pub mod login;
pub mod my_sessions;
pub mod not_found;
pub mod sessions;
pub mod settings;
pub mod users;

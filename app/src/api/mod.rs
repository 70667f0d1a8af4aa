//! Server functions, one file per resource. Each checks the caller's role before it reads anything.

pub mod alarms;
pub mod analytics;
pub mod apps;
pub mod audit_log;
pub mod auth;
pub mod codec;
pub mod history;
pub mod my_sessions;
pub mod sessions;
pub mod settings;
pub mod users;

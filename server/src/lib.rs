//! Roster's server: storage, the console's backend, the HTTP application and the operator commands.

pub mod cli;
pub mod clock;
pub mod console_backend;
pub mod console_sessions;
pub mod console_store;
pub mod demo;
pub mod device;
pub mod engine;
pub mod geo;
pub mod http;
pub mod operator;
pub mod passwords;
pub mod payload_keys;
pub mod policy;
pub mod secrets;
pub mod serve;
pub mod storage;

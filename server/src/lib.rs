//! Roster's server: storage, the console's backend, the HTTP application and the operator commands.

// Leptos views are deeply nested types; the Sessions page needs more than the default 128.
#![recursion_limit = "256"]

pub mod alarm_webhook;
pub mod audit_checkpoints;
pub mod cli;
pub mod clock;
pub mod console;
pub mod data_folder;
pub mod demo;
pub mod device;
pub mod engine;
pub mod geo;
pub mod http;
pub mod logging;
pub mod operator;
pub mod passwords;
pub mod payload_keys;
pub mod periodic;
pub mod policy;
pub mod public_url;
pub mod secrets;
pub mod serve;
pub mod storage;

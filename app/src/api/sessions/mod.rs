//! The Sessions console's server functions: every session of every user and app, for owners, admins and
//! billing managers; ending them, for owners and admins.

pub mod kill_all;
pub mod list;
pub mod revoke;

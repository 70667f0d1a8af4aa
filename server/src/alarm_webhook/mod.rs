//! The alarm webhook: every new alarm is posted as a JSON event to the URL the owner set, signed the way
//! Stripe signs its webhooks, retried with backoff, and never in the way of the request that raised it.

mod sender;
mod signature;

pub use sender::{Attempt, WebhookSender};
pub use signature::{new_secret, signature_header};

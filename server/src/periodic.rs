//! Background work on a timer (the activity flush, the expiry sweep, the refusal tally, the key file check):
//! one loop, so each job says only what it does and how it reports a failure.

use std::future::Future;
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

/// Runs `work` every `period` until the process ends; `work` reports its own failures and never stops the loop.
pub fn every<F, Fut>(period: Duration, mut work: F) -> JoinHandle<()>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        // After a long run, carry on from now rather than firing every missed tick at once.
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            work().await;
        }
    })
}

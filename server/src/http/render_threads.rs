//! Console pages and server functions run each on one thread from start to finish.
//!
//! Leptos's server rendering takes a page's resource locks and its Suspense effects' locks in opposite orders on
//! different threads (leptos-rs/leptos#4673; caught under gdb in our end-to-end run: two workers, each holding one
//! lock and waiting for the other's). The page never answered and both workers were lost for good. A page whose
//! work all runs on one thread cannot be caught between those locks, since no task is switched out while it holds
//! one. So each request runs on a single-threaded runtime of its own thread, and the tasks Leptos spawns for it
//! (`tokio::spawn`) land on that same thread. Pages still render side by side on several threads: no reactive
//! value is shared between two requests.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::prelude::Owner;
use tokio::runtime::Handle;
use tracing::Instrument;

/// A page's view tree is rendered by deeply nested calls: an unoptimised build needs more than a thread's
/// default 2 MiB. The main thread's 8 MiB leaves room.
const RENDER_STACK_BYTES: usize = 8 << 20;

struct RenderThreads {
    runtimes: Vec<Handle>,
    next: AtomicUsize,
}

impl RenderThreads {
    fn pick(&self) -> Option<&Handle> {
        if self.runtimes.is_empty() {
            return None;
        }
        let turn = self.next.fetch_add(1, Ordering::Relaxed);
        self.runtimes.get(turn % self.runtimes.len())
    }
}

/// One set per process: tests build many routers, and the threads live as long as the process.
fn render_threads() -> &'static RenderThreads {
    static THREADS: OnceLock<RenderThreads> = OnceLock::new();
    THREADS.get_or_init(|| {
        let count = std::thread::available_parallelism().map_or(2, |cores| cores.get()).max(2);
        let runtimes: Vec<Handle> = (0..count).filter_map(start_render_thread).collect();
        if runtimes.is_empty() {
            tracing::warn!("no render thread could start: pages render on the shared workers");
        }
        RenderThreads { runtimes, next: AtomicUsize::new(0) }
    })
}

fn start_render_thread(number: usize) -> Option<Handle> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let started = std::thread::Builder::new()
        .name(format!("roster-render-{number}"))
        .stack_size(RENDER_STACK_BYTES)
        .spawn(move || {
            match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(runtime) => {
                    let _ = sender.send(Some(runtime.handle().clone()));
                    // Runs the tasks handed to it, and its timers and sockets, until the process ends.
                    runtime.block_on(std::future::pending::<()>());
                }
                Err(error) => {
                    tracing::warn!(%error, "a render thread could not start its runtime");
                    let _ = sender.send(None);
                }
            }
        });
    match started {
        Ok(_) => receiver.recv().ok().flatten(),
        Err(error) => {
            tracing::warn!(%error, "a render thread could not start");
            None
        }
    }
}

/// Middleware: runs the rest of the request on the next render thread and hands its answer back.
pub async fn render_on_one_thread(request: Request, next: Next) -> Response {
    let Some(runtime) = render_threads().pick() else {
        return next.run(request).await;
    };
    // The request's span (its request id) goes with it, so its logs still carry the id.
    let request = WithoutLeftoverOwner(Box::pin(next.run(request).instrument(tracing::Span::current())));
    match runtime.spawn(request).await {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(%error, "a page stopped while rendering");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Polls a request with no reactive owner current. Leptos leaves the owner of a page it rendered current on its
/// thread after the render yields; a server function polled next on that thread would make its own owner a child
/// of that page's, and have it cleaned up, mid-call, when the page's is dropped.
struct WithoutLeftoverOwner<F>(Pin<Box<F>>);

impl<F: Future> Future for WithoutLeftoverOwner<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<F::Output> {
        if let Some(leftover) = Owner::current() {
            // Only stops it being current: the page holding it still owns it.
            leftover.unset();
        }
        self.0.as_mut().poll(context)
    }
}

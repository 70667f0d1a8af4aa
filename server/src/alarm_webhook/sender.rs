//! Posting one signed event to the webhook's URL. The schedule of retries, and how many deliveries may be under
//! way at once, live here too; the engine decides what to send and records how it went.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, USER_AGENT};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::signature::signature_header;
use app::alarm_webhook::SIGNATURE_HEADER;

/// The waits before the second, third, … attempt: six attempts over about two and a half hours, as receivers
/// that are down for a deploy or an incident come back.
const RETRY_DELAYS: [Duration; 5] = [
    Duration::from_secs(10),
    Duration::from_secs(60),
    Duration::from_secs(5 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(2 * 3_600),
];
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Deliveries (each with its retries) under way at once; alarms beyond it are logged and not posted, so a
/// receiver that is down cannot pile up tasks without bound.
const MAX_IN_FLIGHT: usize = 256;

/// How one attempt went: delivered when the receiver answered 2xx.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub delivered: bool,
    pub detail: String,
}

/// Cheap to clone: every clone shares the client and the in-flight limit.
#[derive(Clone, Debug)]
pub struct WebhookSender {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Built on first use: a server that never posts never loads the TLS roots.
    client: OnceLock<Result<reqwest::Client, String>>,
    retry_delays: Vec<Duration>,
    in_flight: Arc<Semaphore>,
}

impl Default for WebhookSender {
    fn default() -> Self {
        WebhookSender::with_retry_delays(RETRY_DELAYS.to_vec())
    }
}

impl WebhookSender {
    /// A sender with its own schedule (tests retry in milliseconds).
    pub fn with_retry_delays(retry_delays: Vec<Duration>) -> WebhookSender {
        WebhookSender {
            inner: Arc::new(Inner {
                client: OnceLock::new(),
                retry_delays,
                in_flight: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
            }),
        }
    }

    pub fn retry_delays(&self) -> &[Duration] {
        &self.inner.retry_delays
    }

    /// A place for one more delivery, or None when as many as allowed are under way.
    pub fn start_delivery(&self) -> Option<OwnedSemaphorePermit> {
        self.inner.in_flight.clone().try_acquire_owned().ok()
    }

    /// Posts `body` once, signed with `secret` at `at_secs`. Redirects are not followed: a receiver answers
    /// where it was configured, or the attempt fails.
    pub async fn post(&self, url: &str, secret: &str, body: &[u8], at_secs: i64) -> Attempt {
        let client = match self.client() {
            Ok(client) => client,
            Err(problem) => return Attempt { delivered: false, detail: problem },
        };
        let sent = client
            .post(url)
            .header(CONTENT_TYPE, "application/json")
            .header(USER_AGENT, concat!("Roster-Webhook/", env!("CARGO_PKG_VERSION")))
            .header(SIGNATURE_HEADER, signature_header(secret, at_secs, body))
            .body(body.to_vec())
            .send()
            .await;
        match sent {
            Ok(answer) => {
                let status = answer.status();
                Attempt { delivered: status.is_success(), detail: format!("HTTP {status}") }
            }
            Err(error) => Attempt { delivered: false, detail: describe(&error) },
        }
    }

    fn client(&self) -> Result<&reqwest::Client, String> {
        let built = self.inner.client.get_or_init(|| {
            reqwest::Client::builder()
                .timeout(ATTEMPT_TIMEOUT)
                .connect_timeout(CONNECT_TIMEOUT)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|error| format!("the HTTP client could not start: {error}"))
        });
        built.as_ref().map_err(Clone::clone)
    }
}

/// An attempt's failure in words, without the URL (a receiver's URL may carry a token of its own).
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        format!("no answer within {} seconds", ATTEMPT_TIMEOUT.as_secs())
    } else if error.is_connect() {
        "could not connect to the receiver".into()
    } else if error.is_builder() {
        "the URL cannot be requested".into()
    } else {
        let mut text = error.to_string();
        if let Some(url) = error.url() {
            text = text.replace(url.as_str(), "the receiver");
        }
        format!("the request failed: {text}")
    }
}

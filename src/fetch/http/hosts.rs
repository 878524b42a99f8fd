//! Hosts that could not be reached, remembered for a while, so a batch of
//! badges from an issuer whose host does not resolve or does not answer costs
//! one attempt, not one per badge.
//!
//! Each host (name and port) is in one of three states: a first attempt is
//! under way (other requests to it wait for that attempt instead of opening
//! connections of their own), it answered, or it could not be reached (the
//! name did not resolve, the connection was refused or timed out, no answer
//! came in time). A host that could not be reached fails every request at
//! once with the same error until [`NetPolicy::remember_unreachable`] has
//! passed; then it is tried again.
//!
//! [`NetPolicy::remember_unreachable`]: super::NetPolicy::remember_unreachable

use crate::fetch::FetchError;
use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use url::Url;

/// More hosts than a run ever needs; past it, settled hosts are forgotten.
const MAX_HOSTS: usize = 4096;

enum State {
    /// The first attempt is under way.
    Trying,
    /// The host answered.
    Answered,
    /// The host could not be reached at `since`, with this error.
    Unreachable { since: Instant, error: FetchError },
}

/// What every request to a host learns about it.
pub(super) struct Hosts {
    states: Mutex<HashMap<String, State>>,
    changed: Condvar,
    memory: Duration,
}

/// Whether a request may go ahead.
pub(super) enum Entry<'a> {
    /// It may (and reports how it went through the [`Attempt`]).
    Go(Attempt<'a>),
    /// The host could not be reached a short while ago: this error, for the
    /// URL asked.
    Unreachable(FetchError),
    /// The first attempt of another request did not end before `until`.
    TimedOut,
}

/// One request's attempt at a host. Dropped without a verdict (the policy
/// refused the address, the client could not start ...), it lets the next
/// request try.
pub(super) struct Attempt<'a> {
    hosts: &'a Hosts,
    key: String,
    first: bool,
}

/// The key of a URL's host: the name or address and the port.
pub(super) fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default().to_ascii_lowercase(),
        url.port_or_known_default().unwrap_or(0)
    )
}

impl Hosts {
    pub(super) fn new(memory: Duration) -> Hosts {
        Hosts {
            states: Mutex::new(HashMap::new()),
            changed: Condvar::new(),
            memory,
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, State>> {
        self.states.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits, until `until` at the latest, while another request makes the
    /// first attempt at `key`; then says whether this request may go ahead.
    pub(super) fn enter(&self, key: &str, url: &str, until: Instant) -> Entry<'_> {
        let mut states = self.lock();
        loop {
            match states.get(key) {
                Some(State::Answered) => return Entry::Go(self.attempt(key, false)),
                Some(State::Unreachable { since, error }) if since.elapsed() < self.memory => {
                    return Entry::Unreachable(for_url(error, url));
                }
                Some(State::Trying) => {
                    let Some(left) = until.checked_duration_since(Instant::now()) else {
                        return Entry::TimedOut;
                    };
                    states = self
                        .changed
                        .wait_timeout(states, left)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0;
                }
                None | Some(State::Unreachable { .. }) => {
                    if states.len() >= MAX_HOSTS {
                        states.retain(|_, s| matches!(s, State::Trying));
                    }
                    states.insert(key.to_owned(), State::Trying);
                    return Entry::Go(self.attempt(key, true));
                }
            }
        }
    }

    fn attempt(&self, key: &str, first: bool) -> Attempt<'_> {
        Attempt {
            hosts: self,
            key: key.to_owned(),
            first,
        }
    }

    fn settle(&self, key: &str, state: Option<State>) {
        let mut states = self.lock();
        match state {
            Some(s) => states.insert(key.to_owned(), s),
            None => states.remove(key),
        };
        drop(states);
        self.changed.notify_all();
    }
}

impl Attempt<'_> {
    /// The host answered (whatever the status).
    pub(super) fn answered(mut self) {
        if self.first {
            self.first = false;
            self.hosts.settle(&self.key, Some(State::Answered));
        }
    }

    /// The host could not be reached: later requests fail with `error` at
    /// once for a while.
    pub(super) fn unreachable(mut self, error: &FetchError) {
        self.first = false;
        let state = State::Unreachable {
            since: Instant::now(),
            error: error.clone(),
        };
        self.hosts.settle(&self.key, Some(state));
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if self.first {
            self.hosts.settle(&self.key, None);
        }
    }
}

/// `error`, as the answer for `url`.
fn for_url(error: &FetchError, url: &str) -> FetchError {
    match error {
        FetchError::Unreachable { reason, .. } => FetchError::Unreachable {
            url: url.to_owned(),
            reason: reason.clone(),
        },
        FetchError::Timeout { seconds, .. } => FetchError::Timeout {
            url: url.to_owned(),
            seconds: *seconds,
        },
        other => other.clone(),
    }
}

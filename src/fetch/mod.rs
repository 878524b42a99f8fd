//! The only network code: fetch a document over http(s) under a strict policy,
//! and remember every document fetched so badges stay verifiable offline.
//!
//! Everything else in the crate sees the network only through the [`Fetch`]
//! trait, so verification can run against the live web, the offline document
//! cache, or both.
//!
//! - [`http`]: [`HttpFetch`], the live network under a [`NetPolicy`] (the only
//!   code that opens connections);
//! - [`cache`]: [`CachingFetch`], which fetches each URL at most once per run,
//!   keeps every document in the [`Store`](crate::store::Store), serves stored
//!   copies when the network fails or in offline mode, and lets pinned
//!   documents (files the user supplied) win over the network;
//! - [`dir`]: [`DirFetch`], a folder served under a base URL (a folder
//!   checked before it is published, and tests).
//!
//! This module must not interpret documents: what a document means, and
//! whether its origin fits the badge, is the verifier's business.

pub mod cache;
pub mod dir;
pub mod http;

pub use cache::{cache_key, import_dir, pin_file, CacheError, CachingFetch};
pub use dir::DirFetch;
pub use http::{HttpFetch, NetPolicy};

use serde::Serialize;
use std::any::{Any, TypeId};
use std::sync::{Arc, Mutex, PoisonError};

/// A document as fetched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fetched {
    /// The URL asked for.
    pub url: String,
    /// The URL finally answered, after redirects.
    pub final_url: String,
    /// The HTTP status of the final answer (200, 404, 410 ...). Non-2xx
    /// answers are returned, not turned into errors: a 410 means "revoked".
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body (at most the body cap).
    #[serde(skip)]
    pub body: Vec<u8>,
    /// When it was fetched, seconds since the Unix epoch (UTC).
    pub fetched_at: i64,
    /// Where it came from: the network now, or the offline cache.
    pub source: Source,
}

/// Where a fetched document came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Fetched from the network during this run.
    Network,
    /// Read from the document cache (fetched earlier, or pinned by the user).
    Cache,
}

/// Why a document could not be had. None of these is evidence against a
/// badge: verification reports them as "could not check".
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The URL is not http or https, or is malformed.
    #[error("{0} is not an http or https URL")]
    BadUrl(String),
    /// The network policy refused it (private address, https-to-http redirect ...).
    #[error("{0}")]
    Refused(String),
    /// The host could not be reached (DNS, connection refused, TLS failure).
    #[error("could not reach {url} ({reason})")]
    Unreachable {
        /// The URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The host did not answer in time.
    #[error("{url} did not answer within {seconds} s")]
    Timeout {
        /// The URL.
        url: String,
        /// The limit that was hit.
        seconds: u64,
    },
    /// The body was larger than the cap.
    #[error("{url} sent more than {limit} bytes, Satchel's limit for a document")]
    TooLarge {
        /// The URL.
        url: String,
        /// The cap.
        limit: usize,
    },
    /// Too many redirects.
    #[error("{url} redirected more than {limit} times")]
    TooManyRedirects {
        /// The URL.
        url: String,
        /// The cap.
        limit: usize,
    },
    /// Offline mode, and the document is not in the cache.
    #[error("{0} is not in Satchel's offline document cache")]
    NotCached(String),
}

/// Something that can fetch documents.
pub trait Fetch: Send + Sync {
    /// Fetches `url` (http or https) and returns the final answer, whatever its status.
    fn get(&self, url: &str) -> Result<Fetched, FetchError>;

    /// Like [`get`](Fetch::get), but the answer may be shared with every other
    /// caller in this run, together with what callers derived from it (see
    /// [`SharedDoc::derive`]). A fetcher that memoizes (such as
    /// [`CachingFetch`]) returns the same [`SharedDoc`] for the same URL, so a
    /// document linked from 10,000 badges is parsed once; the default wraps
    /// [`get`](Fetch::get) and shares nothing.
    fn get_shared(&self, url: &str) -> Result<Arc<SharedDoc>, FetchError> {
        self.get(url).map(|f| Arc::new(SharedDoc::new(f)))
    }
}

/// A fetched document shared within one run, with values derived from it.
///
/// The fetch layer does not interpret documents: a caller computes what it
/// needs (parsed JSON, a parsed key …) with [`derive`](SharedDoc::derive),
/// and the value is kept, one per type, for every later caller.
pub struct SharedDoc {
    /// The document.
    pub fetched: Fetched,
    derived: Mutex<Vec<(TypeId, Arc<dyn Any + Send + Sync>)>>,
}

impl std::fmt::Debug for SharedDoc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedDoc")
            .field("fetched", &self.fetched)
            .finish_non_exhaustive()
    }
}

impl SharedDoc {
    /// A document with nothing derived yet.
    pub fn new(fetched: Fetched) -> SharedDoc {
        SharedDoc {
            fetched,
            derived: Mutex::new(Vec::new()),
        }
    }

    /// The value of type `T` derived from this document: computed by `make`
    /// the first time, then shared. (Two threads asking at once may both
    /// compute it; one result is kept. `make` must depend only on the
    /// document.)
    pub fn derive<T: Any + Send + Sync>(&self, make: impl FnOnce(&Fetched) -> T) -> Arc<T> {
        let id = TypeId::of::<T>();
        if let Some(found) = self.find::<T>(id) {
            return found;
        }
        let made: Arc<T> = Arc::new(make(&self.fetched));
        let mut derived = self.derived.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, v)) = derived.iter().find(|(t, _)| *t == id) {
            if let Ok(v) = Arc::clone(v).downcast::<T>() {
                return v;
            }
        }
        derived.push((id, made.clone() as Arc<dyn Any + Send + Sync>));
        made
    }

    fn find<T: Any + Send + Sync>(&self, id: TypeId) -> Option<Arc<T>> {
        let derived = self.derived.lock().unwrap_or_else(PoisonError::into_inner);
        derived
            .iter()
            .find(|(t, _)| *t == id)
            .and_then(|(_, v)| Arc::clone(v).downcast::<T>().ok())
    }
}

/// Parses `url` and accepts it only when it is absolute http or https with a host.
pub(crate) fn parse_http_url(url: &str) -> Result<url::Url, FetchError> {
    let bad = || FetchError::BadUrl(url.to_owned());
    let parsed = url::Url::parse(url.trim()).map_err(|_| bad())?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad());
    }
    Ok(parsed)
}

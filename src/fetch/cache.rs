//! [`CachingFetch`]: the offline document cache in front of the network.
//!
//! - Within one run each unique URL is fetched at most once, even when many
//!   threads ask for it at the same time; later askers get the same answer
//!   (errors included, so a dead host costs one timeout, not ten).
//! - Online, every document fetched is kept in the [`Store`] (source
//!   `network`), so the badge can be verified later without a network.
//! - When the network fails (unreachable or timed out) and the store has the
//!   document, the stored copy is returned with [`Source::Cache`] and its
//!   original `fetched_at`; the verifier says how old it is.
//! - Offline (no inner fetcher), only stored documents are served; anything
//!   else is [`FetchError::NotCached`].
//! - Pinned documents (files the user supplied with `satchel cache add` or
//!   `import-dir`, see [`pin_file`] and [`import_dir`]) always win over the
//!   network: the user pinned them.
//!
//! The cache key of a URL is the parsed URL without its fragment
//! ([`cache_key`]), so `…/keys#key-1` and `…/keys` share one document.
//!
//! It must not: open connections itself (that is the inner [`Fetch`]),
//! interpret documents, or let a failed cache write fail a fetch (write
//! failures are collected in [`CachingFetch::store_errors`]).

use super::{parse_http_url, Fetch, FetchError, Fetched, SharedDoc, Source};
use crate::store::{DocumentRecord, DocumentSummary, Store, StoreError, StoredDocument};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, RwLock};

/// Largest number of files [`import_dir`] takes from one directory tree.
pub const MAX_IMPORT_FILES: usize = 100_000;

/// The key a URL's document is stored under: the URL parsed (so spelling
/// differences such as a missing `/` path or upper-case host disappear) and
/// without its fragment. Only http and https URLs have keys.
pub fn cache_key(url: &str) -> Result<String, FetchError> {
    let mut parsed = parse_http_url(url)?;
    parsed.set_fragment(None);
    Ok(parsed.into())
}

type Answer = Result<Fetched, FetchError>;
type SharedAnswer = Result<Arc<SharedDoc>, FetchError>;

/// A [`Fetch`] that remembers: see the [module docs](self).
pub struct CachingFetch<'a> {
    inner: Option<&'a dyn Fetch>,
    store: &'a Mutex<Store>,
    /// One answer per cache key, shared by every thread that asks.
    memo: Mutex<HashMap<String, Arc<OnceLock<SharedAnswer>>>>,
    /// The answers by the exact URL asked for (whose `url` is that URL), so a
    /// repeated question costs one hash look-up, not a URL parse.
    exact: RwLock<HashMap<String, SharedAnswer>>,
    store_errors: Mutex<Vec<String>>,
}

impl<'a> CachingFetch<'a> {
    /// A cache in front of `inner`; `None` is offline mode (stored documents only).
    pub fn new(inner: Option<&'a dyn Fetch>, store: &'a Mutex<Store>) -> CachingFetch<'a> {
        CachingFetch {
            inner,
            store,
            memo: Mutex::new(HashMap::new()),
            exact: RwLock::new(HashMap::new()),
            store_errors: Mutex::new(Vec::new()),
        }
    }

    /// A cache in front of the network fetcher `inner`.
    pub fn online(inner: &'a dyn Fetch, store: &'a Mutex<Store>) -> CachingFetch<'a> {
        CachingFetch::new(Some(inner), store)
    }

    /// Offline mode: only stored documents, never the network.
    pub fn offline(store: &'a Mutex<Store>) -> CachingFetch<'a> {
        CachingFetch::new(None, store)
    }

    /// Whether this cache never uses the network.
    pub fn is_offline(&self) -> bool {
        self.inner.is_none()
    }

    /// The store reads and writes that failed during this run (one sentence
    /// each). A failed write does not fail the fetch; the document just is not
    /// kept for next time.
    pub fn store_errors(&self) -> Vec<String> {
        lock(&self.store_errors).clone()
    }

    fn note(&self, url: &str, e: &StoreError) {
        let mut errors = lock(&self.store_errors);
        if errors.len() < 100 {
            errors.push(format!("{url} was not kept in the document cache: {e}"));
        }
    }

    fn stored(&self, key: &str) -> Option<StoredDocument> {
        match lock(self.store).get_document(key) {
            Ok(found) => found,
            Err(e) => {
                self.note(key, &e);
                None
            }
        }
    }

    fn keep(&self, key: &str, doc: &Fetched) {
        let record = DocumentRecord {
            url: key,
            final_url: &doc.final_url,
            status: doc.status,
            content_type: doc.content_type.as_deref(),
            body: &doc.body,
            fetched_at: doc.fetched_at,
        };
        if let Err(e) = lock(self.store).put_document(&record, false) {
            self.note(key, &e);
        }
    }

    /// The one real lookup for `key` in this run.
    fn lookup(&self, key: &str, asked: &str) -> Answer {
        let stored = self.stored(key);
        if let Some(doc) = stored.as_ref().filter(|d| d.pinned) {
            return Ok(from_store(doc.clone(), asked));
        }
        let Some(inner) = self.inner else {
            return stored
                .map(|d| from_store(d, asked))
                .ok_or_else(|| FetchError::NotCached(asked.to_owned()));
        };
        match inner.get(asked) {
            Ok(fetched) => {
                if worth_keeping(fetched.status) {
                    self.keep(key, &fetched);
                }
                Ok(fetched)
            }
            Err(e @ (FetchError::Unreachable { .. } | FetchError::Timeout { .. })) => {
                stored.map(|d| from_store(d, asked)).ok_or(e)
            }
            Err(e) => Err(e),
        }
    }
}

impl Fetch for CachingFetch<'_> {
    fn get(&self, url: &str) -> Result<Fetched, FetchError> {
        self.get_shared(url).map(|doc| doc.fetched.clone())
    }

    fn get_shared(&self, url: &str) -> Result<Arc<SharedDoc>, FetchError> {
        if let Some(answer) = self
            .exact
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(url)
        {
            return answer.clone();
        }
        let key = cache_key(url)?;
        let cell = Arc::clone(lock(&self.memo).entry(key.clone()).or_default());
        // Threads asking for the same key wait here for the first one.
        let answer =
            cell.get_or_init(|| self.lookup(&key, url).map(|f| Arc::new(SharedDoc::new(f))));
        let answer = match answer {
            // Asked with another spelling or fragment: the same document,
            // named as asked.
            Ok(doc) if doc.fetched.url != url => Ok(Arc::new(SharedDoc::new(Fetched {
                url: url.to_owned(),
                ..doc.fetched.clone()
            }))),
            other => other.clone(),
        };
        let mut exact = self.exact.write().unwrap_or_else(PoisonError::into_inner);
        exact.entry(url.to_owned()).or_insert(answer).clone()
    }
}

/// Answers worth keeping for offline use: successes and the definitive
/// "gone" answers (404, 410: a revoked assertion must stay revoked offline).
/// Server errors and the like would only overwrite a good copy.
fn worth_keeping(status: u16) -> bool {
    (200..300).contains(&status) || status == 404 || status == 410
}

fn from_store(doc: StoredDocument, asked: &str) -> Fetched {
    Fetched {
        url: asked.to_owned(),
        final_url: doc.final_url,
        status: doc.status,
        content_type: doc.content_type,
        body: doc.body,
        fetched_at: doc.fetched_at,
        source: Source::Cache,
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The guarded data stays consistent (SQLite has its own transactions;
    // the maps are only inserted into), so a panic elsewhere is no reason to stop.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Why a file or directory could not be pinned. Messages are one sentence
/// naming the file or URL.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum CacheError {
    /// The URL (or base URL) is not absolute http or https.
    #[error("{0} is not an http or https URL")]
    BadUrl(String),
    /// A file or directory could not be read.
    #[error("{path}: could not read it ({reason})")]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// A file is larger than a document may be.
    #[error("{path}: the file is larger than Satchel's limit of {limit} bytes for a document")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The cap.
        limit: usize,
    },
    /// A file name is not UTF-8, so it has no URL.
    #[error("{0}: the file name is not UTF-8 text, so it cannot be part of a URL")]
    BadFileName(PathBuf),
    /// The directory tree holds more files than Satchel imports at once.
    #[error("{path}: more than {limit} files; import a smaller directory")]
    TooManyFiles {
        /// The directory.
        path: PathBuf,
        /// The cap.
        limit: usize,
    },
    /// The database failed.
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// Keeps the file at `path` as the document for `url`, pinned: it wins over
/// the network from now on. Returns the stored document's summary.
pub fn pin_file(store: &Store, url: &str, path: &Path) -> Result<DocumentSummary, CacheError> {
    let key = cache_key(url).map_err(|_| CacheError::BadUrl(url.to_owned()))?;
    pin_one(store, &key, path)?;
    summary(store, &key, path)
}

/// Pins every file under `dir` as the document for `base_url` + its path
/// relative to `dir` (with `/` separators): `DIR/keys/k1.json` answers for
/// `BASE/keys/k1.json`. Hidden files and directories (names starting with
/// `.`) are skipped; symbolic links to directories are not followed. All or
/// nothing: on an error nothing is pinned. Returns how many files were pinned.
pub fn import_dir(store: &Store, dir: &Path, base_url: &str) -> Result<usize, CacheError> {
    let mut base = parse_http_url(base_url).map_err(|_| CacheError::BadUrl(base_url.to_owned()))?;
    base.set_query(None);
    base.set_fragment(None);
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files)?;
    files.sort();
    store.atomically(|s| {
        for (rel, path) in &files {
            // "./" keeps a name like `c:x.json` from reading as a scheme.
            let url = base
                .join(&format!("./{rel}"))
                .map_err(|_| CacheError::BadUrl(format!("{base}{rel}")))?;
            let key = cache_key(url.as_str()).map_err(|_| CacheError::BadUrl(url.to_string()))?;
            pin_one(s, &key, path)?;
        }
        Ok(files.len())
    })
}

fn pin_one(store: &Store, key: &str, path: &Path) -> Result<(), CacheError> {
    let body = read_capped(path)?;
    store.put_document(
        &DocumentRecord {
            url: key,
            final_url: key,
            status: 200,
            content_type: content_type_for(path),
            body: &body,
            fetched_at: crate::clock::now(),
        },
        true,
    )?;
    Ok(())
}

fn summary(store: &Store, key: &str, path: &Path) -> Result<DocumentSummary, CacheError> {
    let doc = store.get_document(key)?.ok_or_else(|| CacheError::Read {
        path: path.to_path_buf(),
        reason: "it was not kept".to_owned(),
    })?;
    Ok(DocumentSummary {
        size: doc.body.len() as u64,
        url: doc.url,
        final_url: doc.final_url,
        status: doc.status,
        content_type: doc.content_type,
        sha256: doc.sha256,
        fetched_at: doc.fetched_at,
        source: doc.source,
        pinned: doc.pinned,
    })
}

/// A plain reason for an I/O error, without the "(os error N)" tail.
fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "there is no such file or directory".to_owned(),
        K::PermissionDenied => "permission denied".to_owned(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(at) => text[..at].to_owned(),
                None => text,
            }
        }
    }
}

fn read_capped(path: &Path) -> Result<Vec<u8>, CacheError> {
    use std::io::Read;
    let limit = crate::limits::MAX_DOCUMENT_BYTES;
    let read_err = |e: std::io::Error| CacheError::Read {
        path: path.to_path_buf(),
        reason: io_reason(&e),
    };
    let file = std::fs::File::open(path).map_err(read_err)?;
    let mut body = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut body)
        .map_err(read_err)?;
    if body.len() > limit {
        return Err(CacheError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    Ok(body)
}

/// The `Content-Type` a pinned file is served with, by extension.
fn content_type_for(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "json" | "jsonld" => "application/ld+json",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "pem" | "jwt" | "jws" | "txt" => "text/plain",
        "html" | "htm" => "text/html",
        _ => return None,
    })
}

/// Collects (relative URL path, file) for every visible file under `dir`.
fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> Result<(), CacheError> {
    let read_err = |path: &Path, e: std::io::Error| CacheError::Read {
        path: path.to_path_buf(),
        reason: io_reason(&e),
    };
    for entry in std::fs::read_dir(dir).map_err(|e| read_err(dir, e))? {
        let entry = entry.map_err(|e| read_err(dir, e))?;
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type().map_err(|e| read_err(&path, e))?;
        if kind.is_dir() {
            walk(root, &path, out)?;
        } else if kind.is_file() || (kind.is_symlink() && path.is_file()) {
            if out.len() >= MAX_IMPORT_FILES {
                return Err(CacheError::TooManyFiles {
                    path: root.to_path_buf(),
                    limit: MAX_IMPORT_FILES,
                });
            }
            out.push((relative_url_path(root, &path)?, path));
        }
    }
    Ok(())
}

/// `root/a/b c.json` → `a/b%20c.json`: `/` separators, and the characters
/// that would change a URL's meaning (`%`, `?`, `#`) escaped; the URL parser
/// escapes the rest.
fn relative_url_path(root: &Path, path: &Path) -> Result<String, CacheError> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut parts = Vec::new();
    for part in rel.components() {
        let text = part
            .as_os_str()
            .to_str()
            .ok_or_else(|| CacheError::BadFileName(path.to_path_buf()))?;
        parts.push(
            text.replace('%', "%25")
                .replace('?', "%3F")
                .replace('#', "%23"),
        );
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_keys_drop_the_fragment_and_normalize() {
        assert_eq!(
            cache_key("https://Example.org/keys#key-1").unwrap(),
            "https://example.org/keys"
        );
        assert_eq!(
            cache_key("https://example.org").unwrap(),
            "https://example.org/"
        );
        assert!(matches!(
            cache_key("ftp://example.org/"),
            Err(FetchError::BadUrl(_))
        ));
        assert!(matches!(cache_key("not a url"), Err(FetchError::BadUrl(_))));
    }

    #[test]
    fn relative_paths_use_slashes_and_escape_url_syntax() {
        let root = Path::new("/r");
        assert_eq!(
            relative_url_path(root, Path::new("/r/a/b c.json")).unwrap(),
            "a/b c.json"
        );
        assert_eq!(
            relative_url_path(root, Path::new("/r/q?x#y%.json")).unwrap(),
            "q%3Fx%23y%25.json"
        );
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(
            content_type_for(Path::new("a.JSON")),
            Some("application/ld+json")
        );
        assert_eq!(content_type_for(Path::new("a.svg")), Some("image/svg+xml"));
        assert_eq!(content_type_for(Path::new("a.pem")), Some("text/plain"));
        assert_eq!(content_type_for(Path::new("a")), None);
    }
}

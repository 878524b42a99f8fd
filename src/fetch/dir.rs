//! [`DirFetch`]: a folder served as if it were published under a base URL,
//! so a folder can be verified before it is uploaded (and tests can serve
//! documents from files) with the answers the HTTP client would give.
//!
//! `https://issuer.example/badges/` + `out/` answers
//! `https://issuer.example/badges/issuer.json` with `out/issuer.json`
//! (status 200), a missing file (or a folder without `index.html`) with a 404
//! answer, and a URL outside the base with [`FetchError::Unreachable`]. A path
//! that would leave the folder (`..`, an encoded `/` or `\`, a symbolic link
//! pointing outside it) is [`FetchError::Refused`]. The query and fragment
//! are ignored, as a static web server does; a path ending in `/` means its
//! `index.html`. The `Content-Type` is the one a static host gives for the
//! file's extension. Bodies are capped like the HTTP client's.
//!
//! [`DirFetch::sharing`] makes [`Fetch::get_shared`] keep each successful
//! answer for the life of the `DirFetch` (and its clones), so what is derived
//! from a document (a parsed key, a status list's checked proof) is made
//! once: for a folder that does not change under it (files may be added).

use super::{Fetch, FetchError, Fetched, SharedDoc, Source};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// A folder served under a base URL.
#[derive(Clone, Debug)]
pub struct DirFetch {
    base: url::Url,
    root: PathBuf,
    shared: Shared,
}

/// The successful answers of [`Fetch::get_shared`], by URL, when shared.
#[derive(Clone, Default)]
struct Shared(Option<Arc<Mutex<Answers>>>);

/// Successful answers by URL.
type Answers = HashMap<String, Arc<SharedDoc>>;

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(m) => {
                let n = m.lock().unwrap_or_else(PoisonError::into_inner).len();
                write!(f, "Shared({n} documents)")
            }
            None => write!(f, "NotShared"),
        }
    }
}

impl DirFetch {
    /// Serves `root` at `base` (an http or https URL; a missing final `/` is
    /// added).
    pub fn new(base: &str, root: impl Into<PathBuf>) -> Result<DirFetch, FetchError> {
        let mut base = super::parse_http_url(base)?;
        base.set_query(None);
        base.set_fragment(None);
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        Ok(DirFetch {
            base,
            root: root.into(),
            shared: Shared::default(),
        })
    }

    /// Keeps every successful answer and what is derived from it for the
    /// life of this fetcher (see the [module docs](self)): for a folder that
    /// does not change while it is used.
    pub fn sharing(mut self) -> DirFetch {
        self.shared = Shared(Some(Arc::default()));
        self
    }

    /// The base URL.
    pub fn base(&self) -> &str {
        self.base.as_str()
    }

    /// The folder's path for `url`: `None` when `url` is outside the base,
    /// an error when it would leave the folder.
    fn file_for(&self, url: &url::Url) -> Result<Option<PathBuf>, String> {
        let same_origin = url.scheme() == self.base.scheme()
            && url.host_str() == self.base.host_str()
            && url.port_or_known_default() == self.base.port_or_known_default();
        let Some(rest) = url
            .path()
            .strip_prefix(self.base.path())
            .filter(|_| same_origin)
        else {
            return Ok(None);
        };
        let mut path = self.root.clone();
        for segment in rest.split('/') {
            let name = percent_encoding::percent_decode_str(segment)
                .decode_utf8()
                .map_err(|_| "its path is not UTF-8 text")?;
            if name == ".." || name == "." || name.contains(['/', '\\', '\0']) {
                return Err("its path leads out of the folder".to_owned());
            }
            if !name.is_empty() {
                path.push(name.as_ref());
            }
        }
        if rest.is_empty() || rest.ends_with('/') {
            path.push("index.html");
        }
        Ok(Some(path))
    }
}

/// The `Content-Type` a static web host sends for `path`.
pub fn content_type_for(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("json") => "application/json",
        Some("jsonld") => "application/ld+json",
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("pem") => "application/x-pem-file",
        Some("jwt" | "jws") => "application/jwt",
        _ => "application/octet-stream",
    }
}

impl Fetch for DirFetch {
    fn get_shared(&self, url: &str) -> Result<Arc<SharedDoc>, FetchError> {
        let Some(shared) = &self.shared.0 else {
            return self.get(url).map(|f| Arc::new(SharedDoc::new(f)));
        };
        let kept = shared
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(url)
            .cloned();
        if let Some(doc) = kept {
            return Ok(doc);
        }
        let doc = Arc::new(SharedDoc::new(self.get(url)?));
        if (200..300).contains(&doc.fetched.status) {
            shared
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(url.to_owned())
                .or_insert_with(|| Arc::clone(&doc));
        }
        Ok(doc)
    }

    fn get(&self, url: &str) -> Result<Fetched, FetchError> {
        let parsed = super::parse_http_url(url)?;
        let refused = |why: &str| FetchError::Refused(format!("{url}: {why}"));
        let file = match self.file_for(&parsed) {
            Ok(Some(file)) => file,
            Ok(None) => {
                return Err(FetchError::Unreachable {
                    url: url.to_owned(),
                    reason: format!(
                        "it is outside {}, which is served from {}",
                        self.base,
                        self.root.display()
                    ),
                })
            }
            Err(why) => return Err(refused(&why)),
        };
        let answer = |status: u16, content_type: &str, body: Vec<u8>| Fetched {
            url: url.to_owned(),
            final_url: url.to_owned(),
            status,
            content_type: Some(content_type.to_owned()),
            body,
            fetched_at: crate::clock::now(),
            source: Source::Network,
        };
        let not_found = || {
            Ok(answer(
                404,
                "text/plain; charset=utf-8",
                b"Not Found".to_vec(),
            ))
        };
        // A symbolic link (anywhere on the way) must not lead out of the folder.
        let (Ok(root), Ok(real)) = (self.root.canonicalize(), file.canonicalize()) else {
            return not_found();
        };
        if !real.starts_with(&root) {
            return Err(refused("it is a link that leads out of the folder"));
        }
        if !real.is_file() {
            return not_found();
        }
        let limit = crate::limits::MAX_DOCUMENT_BYTES;
        let mut body = Vec::new();
        std::fs::File::open(&real)
            .and_then(|f| f.take(limit as u64 + 1).read_to_end(&mut body))
            .map_err(|e| FetchError::Unreachable {
                url: url.to_owned(),
                reason: format!("{} could not be read ({e})", real.display()),
            })?;
        if body.len() > limit {
            return Err(FetchError::TooLarge {
                url: url.to_owned(),
                limit,
            });
        }
        Ok(answer(200, content_type_for(&file), body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, DirFetch) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("keys")).unwrap();
        std::fs::write(root.join("issuer.json"), br#"{"id":"x"}"#).unwrap();
        std::fs::write(root.join("keys/k.pem"), b"PEM").unwrap();
        std::fs::write(root.join("index.html"), b"<p>hi</p>").unwrap();
        std::fs::write(dir.path().join("secret.json"), b"secret").unwrap();
        let fetch = DirFetch::new("https://issuer.example/badges", &root).unwrap();
        (dir, fetch)
    }

    #[test]
    fn a_sharing_fetcher_reads_a_found_file_once_and_a_missing_one_again() {
        let (dir, plain) = site();
        let url = "https://issuer.example/badges/issuer.json";
        let a = plain.get_shared(url).unwrap();
        assert!(!Arc::ptr_eq(&a, &plain.get_shared(url).unwrap()));
        let fetch = plain.sharing();
        let a = fetch.get_shared(url).unwrap();
        std::fs::write(dir.path().join("site/issuer.json"), b"{}").unwrap();
        let b = fetch.clone().get_shared(url).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(b.fetched.body, br#"{"id":"x"}"#);
        let late = "https://issuer.example/badges/late.json";
        assert_eq!(fetch.get_shared(late).unwrap().fetched.status, 404);
        std::fs::write(dir.path().join("site/late.json"), b"{}").unwrap();
        assert_eq!(fetch.get_shared(late).unwrap().fetched.status, 200);
    }

    #[test]
    fn files_are_served_with_the_type_a_web_host_gives() {
        let (_dir, fetch) = site();
        assert_eq!(fetch.base(), "https://issuer.example/badges/");
        let got = fetch
            .get("https://issuer.example/badges/issuer.json?v=2#top")
            .unwrap();
        assert_eq!(
            (got.status, got.body.as_slice()),
            (200, &br#"{"id":"x"}"#[..])
        );
        assert_eq!(got.content_type.as_deref(), Some("application/json"));
        assert_eq!(got.url, "https://issuer.example/badges/issuer.json?v=2#top");
        let key = fetch
            .get("https://issuer.example:443/badges/keys/k.pem")
            .unwrap();
        assert_eq!(key.content_type.as_deref(), Some("application/x-pem-file"));
        let index = fetch.get("https://issuer.example/badges/").unwrap();
        assert_eq!(index.body, b"<p>hi</p>");
        assert_eq!(
            index.content_type.as_deref(),
            Some("text/html; charset=utf-8")
        );
    }

    #[test]
    fn a_missing_file_or_a_folder_is_a_404_answer() {
        let (_dir, fetch) = site();
        for url in [
            "https://issuer.example/badges/nothing.json",
            "https://issuer.example/badges/keys",
            "https://issuer.example/badges/keys/",
        ] {
            let got = fetch.get(url).unwrap();
            assert_eq!(got.status, 404, "{url}");
        }
    }

    #[test]
    fn urls_outside_the_base_are_unreachable() {
        let (_dir, fetch) = site();
        for url in [
            "https://other.example/badges/issuer.json",
            "http://issuer.example/badges/issuer.json",
            "https://issuer.example:8443/badges/issuer.json",
            "https://issuer.example/badgesx/issuer.json",
            "https://issuer.example/secret.json",
            // Dot segments are resolved by URL parsing: this is /secret.json.
            "https://issuer.example/badges/%2e%2e/secret.json",
        ] {
            assert!(
                matches!(fetch.get(url), Err(FetchError::Unreachable { .. })),
                "{url}"
            );
        }
        assert!(matches!(
            fetch.get("file:///etc/passwd"),
            Err(FetchError::BadUrl(_))
        ));
    }

    #[test]
    fn paths_that_leave_the_folder_are_refused() {
        let (dir, fetch) = site();
        for url in [
            "https://issuer.example/badges/..%2fsecret.json",
            "https://issuer.example/badges/..%5csecret.json",
            "https://issuer.example/badges/a%00b",
        ] {
            assert!(
                matches!(fetch.get(url), Err(FetchError::Refused(_))),
                "{url}"
            );
        }
        #[cfg(unix)]
        {
            let root = dir.path().join("site");
            std::os::unix::fs::symlink(dir.path().join("secret.json"), root.join("out.json"))
                .unwrap();
            std::os::unix::fs::symlink(dir.path(), root.join("up")).unwrap();
            std::os::unix::fs::symlink(root.join("issuer.json"), root.join("in.json")).unwrap();
            for url in [
                "https://issuer.example/badges/out.json",
                "https://issuer.example/badges/up/secret.json",
            ] {
                match fetch.get(url) {
                    Err(FetchError::Refused(why)) => assert!(why.contains("link"), "{why}"),
                    other => panic!("{url}: {other:?}"),
                }
            }
            let inside = fetch.get("https://issuer.example/badges/in.json").unwrap();
            assert_eq!(inside.status, 200);
        }
        let _ = dir;
    }
}

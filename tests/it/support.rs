//! Shared helpers: where the shared corpus is, small generated images.

use satchel::fetch::{DirFetch, Fetch, FetchError, Fetched, Source};
use std::path::PathBuf;

/// The shared corpus of real public badges: `SATCHEL_CORPUS`, or
/// `../shared/fixtures/public` beside the project. `None` (with a message)
/// when it is absent; with `CI=true` its absence fails the test.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("SATCHEL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/public")
        });
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "CI=true but the shared badge corpus is missing at {} (set SATCHEL_CORPUS)",
            dir.display()
        );
    }
    eprintln!(
        "skipped the shared corpus: {} does not exist (set SATCHEL_CORPUS)",
        dir.display()
    );
    None
}

/// A real, decodable RGBA PNG of `w`×`h` pixels made with the `png` crate,
/// with a `tEXt` "Software" chunk so baking has another chunk to keep.
pub fn make_png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        enc.add_text_chunk("Software".to_owned(), "Satchel tests".to_owned())
            .unwrap();
        let mut writer = enc.write_header().unwrap();
        let mut data = vec![0u8; (w * h * 4) as usize];
        for (i, px) in data.chunks_mut(4).enumerate() {
            let (x, y) = (i as u32 % w, i as u32 / w);
            px.copy_from_slice(&[
                (x * 255 / w.max(1)) as u8,
                (y * 255 / h.max(1)) as u8,
                128,
                255,
            ]);
        }
        writer.write_image_data(&data).unwrap();
    }
    out
}

/// Builds one PNG chunk with a correct CRC.
pub fn chunk(ty: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = Vec::with_capacity(data.len() + 12);
    c.extend_from_slice(&(data.len() as u32).to_be_bytes());
    c.extend_from_slice(ty);
    c.extend_from_slice(data);
    c.extend_from_slice(&crc32(ty, data).to_be_bytes());
    c
}

fn crc32(ty: &[u8; 4], data: &[u8]) -> u32 {
    // CRC-32 (IEEE), bitwise: tests must not share the code under test.
    let mut crc = 0xffff_ffffu32;
    for &b in ty.iter().chain(data) {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Splits a PNG into (type, whole chunk bytes) pairs.
pub fn chunks(png: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    let mut out = Vec::new();
    let mut pos = 8;
    while pos + 12 <= png.len() {
        let len = u32::from_be_bytes(png[pos..pos + 4].try_into().unwrap()) as usize;
        let ty: [u8; 4] = png[pos + 4..pos + 8].try_into().unwrap();
        out.push((ty, png[pos..pos + 12 + len].to_vec()));
        pos += 12 + len;
    }
    out
}

/// An OB 2.0 hosted assertion used across tests.
pub const OB2_ASSERTION: &str = r#"{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"https://badges.example.org/assertions/42","recipient":{"type":"email","hashed":true,"salt":"deadsea","identity":"sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942"},"badge":{"type":"BadgeClass","id":"https://badges.example.org/classes/rust","name":"Rust Ranger","description":"Wrote safe systems code.","image":"https://badges.example.org/rust.png","criteria":{"narrative":"Ship a crate."},"issuer":{"type":"Issuer","id":"https://badges.example.org/issuer","name":"Example Guild","url":"https://example.org"}},"issuedOn":"2024-05-01T12:00:00Z","verification":{"type":"hosted"}}"#;

/// Compares `actual` with the expectation file `tests/data/NAME`, or rewrites
/// the file when `UPDATE_EXPECT` is set (review the diff like code). On a
/// mismatch the panic lists the lines that went (`-`) and came (`+`).
pub fn check_expectation(name: &str, actual: &str) {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected == actual {
        return;
    }
    let (exp, act): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let mut diff = String::new();
    exp.iter()
        .filter(|l| !act.contains(l))
        .for_each(|l| diff.push_str(&format!("- {l}\n")));
    act.iter()
        .filter(|l| !exp.contains(l))
        .for_each(|l| diff.push_str(&format!("+ {l}\n")));
    panic!("results differ from tests/data/{name} (rerun with UPDATE_EXPECT=1 and review the diff):\n{diff}");
}

/// Every file under `dir`, recursively, sorted by path.
pub fn files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out
}

/// Runs the `satchel` binary on the data directory `data` (private
/// addresses refused unless the arguments allow them) and waits for it.
pub fn satchel_in(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_satchel"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("SATCHEL_ALLOW_PRIVATE_NETWORK")
        .output()
        .unwrap()
}

/// An offline web for verification tests: documents written into a
/// temporary folder and read back by [`DirFetch`], folders served under a
/// base URL, answers with other statuses, failures; every request logged.
/// A URL nothing serves is unreachable, as a host that does not exist.
pub struct Web {
    files: tempfile::TempDir,
    written: std::collections::HashSet<String>,
    sites: Vec<DirFetch>,
    answers: std::collections::HashMap<String, Result<(u16, Vec<u8>), FetchError>>,
    log: std::sync::Mutex<Vec<(String, Option<Vec<u8>>)>>,
}

impl Default for Web {
    fn default() -> Web {
        Web::new()
    }
}

impl Web {
    /// Nothing served.
    pub fn new() -> Web {
        Web {
            files: tempfile::tempdir().unwrap(),
            written: Default::default(),
            sites: Vec::new(),
            answers: Default::default(),
            log: Default::default(),
        }
    }

    /// Serves the folder `dir` under `base` (a missing file answers 404).
    pub fn site(mut self, base: &str, dir: &std::path::Path) -> Web {
        self.sites.push(DirFetch::new(base, dir).unwrap());
        self
    }

    /// The folder and the base URL that serve `url` among the written documents.
    fn origin(&self, url: &str) -> (String, PathBuf) {
        let u = url::Url::parse(url).unwrap();
        let host = match u.port() {
            Some(p) => format!("{}_{p}", u.host_str().unwrap_or("")),
            None => u.host_str().unwrap_or("").to_owned(),
        };
        let base = format!(
            "{}://{}/",
            u.scheme(),
            &u[url::Position::BeforeHost..url::Position::AfterPort]
        );
        (base, self.files.path().join(u.scheme()).join(host))
    }

    /// Serves `body` at `url` with `status` (a 200 answer is a file that
    /// [`DirFetch`] reads).
    pub fn serve(mut self, url: &str, status: u16, body: impl Into<Vec<u8>>) -> Web {
        self.put(url, status, body);
        self
    }

    /// [`serve`](Web::serve) in place.
    pub fn put(&mut self, url: &str, status: u16, body: impl Into<Vec<u8>>) {
        let body = body.into();
        self.answers.remove(url);
        if status != 200 {
            self.written.remove(url);
            self.answers.insert(url.to_owned(), Ok((status, body)));
            return;
        }
        let (_, root) = self.origin(url);
        let u = url::Url::parse(url).unwrap();
        let mut file = root;
        for segment in u.path().split('/').filter(|s| !s.is_empty()) {
            let name = percent_encoding::percent_decode_str(segment)
                .decode_utf8()
                .unwrap();
            file.push(name.as_ref());
        }
        if u.path().ends_with('/') {
            file.push("index.html");
        }
        let other = self.written.iter().find(|w| {
            w.as_str() != url
                && self.origin(w).1 == self.origin(url).1
                && url::Url::parse(w).unwrap().path() == u.path()
        });
        assert!(other.is_none(), "{url} and {other:?} would be one file");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, body).unwrap();
        self.written.insert(url.to_owned());
    }

    /// Serves `body` at `url` with status 200, in place.
    pub fn add(&mut self, url: &str, body: impl Into<Vec<u8>>) {
        self.put(url, 200, body);
    }

    /// Makes `url` fail with `err`.
    pub fn fail(mut self, url: &str, err: FetchError) -> Web {
        self.written.remove(url);
        self.answers.insert(url.to_owned(), Err(err));
        self
    }

    /// The body served with status 200 at `url`, if any.
    pub fn body(&self, url: &str) -> Option<Vec<u8>> {
        if !self.written.contains(url) {
            return None;
        }
        let (base, root) = self.origin(url);
        DirFetch::new(&base, root)
            .unwrap()
            .get(url)
            .ok()
            .map(|f| f.body)
    }

    /// Forgets what was asked for so far.
    pub fn forget(&self) {
        self.log.lock().unwrap().clear();
    }

    /// Every URL asked for, in order.
    pub fn requested(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .map(|(u, _)| u.clone())
            .collect()
    }

    /// Every document answered, once each, in order.
    pub fn answered(&self) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = Vec::new();
        for (u, b) in self.log.lock().unwrap().iter() {
            if let Some(b) = b {
                if !out.iter().any(|(x, _)| x == u) {
                    out.push((u.clone(), b.clone()));
                }
            }
        }
        out
    }

    fn answer(&self, url: &str) -> Result<Fetched, FetchError> {
        match self.answers.get(url) {
            Some(Ok((status, body))) => {
                return Ok(Fetched {
                    url: url.to_owned(),
                    final_url: url.to_owned(),
                    status: *status,
                    content_type: Some("text/plain".to_owned()),
                    body: body.clone(),
                    fetched_at: satchel::clock::now(),
                    source: Source::Network,
                })
            }
            Some(Err(e)) => return Err(e.clone()),
            None => {}
        }
        if self.written.contains(url) {
            let (base, root) = self.origin(url);
            return DirFetch::new(&base, root).unwrap().get(url);
        }
        let base_of = |s: &DirFetch| url.starts_with(s.base());
        match self.sites.iter().find(|s| base_of(s)) {
            Some(site) => site.get(url),
            None => Err(FetchError::Unreachable {
                url: url.to_owned(),
                reason: "no such host in the test world".to_owned(),
            }),
        }
    }
}

impl Fetch for Web {
    fn get(&self, url: &str) -> Result<Fetched, FetchError> {
        let got = self.answer(url);
        let body = got.as_ref().ok().map(|f| f.body.clone());
        self.log.lock().unwrap().push((url.to_owned(), body));
        got
    }
}

//! A real HTTP/1.1 server for tests, std only, on `127.0.0.1` and a random
//! port, answering from a table of routes in background threads.
//!
//! ```text
//! let server = TestServer::start([
//!     ("/assertion.json", Route::json(r#"{"badge":"{{base}}/badge.json"}"#)),
//!     ("/old", Route::redirect("/assertion.json")),
//!     ("/gone", Route::status(410)),
//!     ("/hang", Route::never_answer()),
//! ]);
//! let url = server.url("/assertion.json"); // http://127.0.0.1:PORT/assertion.json
//! assert_eq!(server.count("/assertion.json"), 0);
//! ```
//!
//! `{{base}}` in a body or a redirect target is replaced by
//! `http://127.0.0.1:PORT`, so documents can point at each other.
//! [`TestServer::serve_dir`] serves a directory of fixtures. Every request
//! path seen is recorded ([`TestServer::requests`], [`TestServer::count`]).
//! [`TestServer::connections`] counts accepted connections. Unknown paths
//! answer 404. Each connection answers one request and closes.
//! Dropping the server stops it and joins all its threads (hung and endless
//! routes included). It never contacts anything: it only listens on loopback.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How a route answers.
#[derive(Clone, Debug)]
enum Kind {
    /// Status, headers and body (after the delay).
    Respond,
    /// Accept the connection, read the request, and never answer.
    NeverAnswer,
    /// Send headers, then body bytes as fast as possible until the client hangs up.
    EndlessBody,
    /// Send headers, then one body byte per interval, forever.
    Trickle(Duration),
}

/// One route's answer.
#[derive(Clone, Debug)]
pub struct Route {
    kind: Kind,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
}

impl Route {
    /// `status` with a `Content-Type` and a body.
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Route {
        Route {
            kind: Kind::Respond,
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    /// 200 with a `Content-Type` and a body.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Route {
        Route::new(200, content_type, body)
    }

    /// 200 `application/ld+json`.
    pub fn json(body: impl Into<Vec<u8>>) -> Route {
        Route::new(200, "application/ld+json", body)
    }

    /// Just a status, with a short text body saying it.
    pub fn status(status: u16) -> Route {
        Route::new(status, "text/plain", format!("status {status}"))
    }

    /// 302 to `to` (a path like `/next`, or an absolute URL; `{{base}}` works).
    pub fn redirect(to: &str) -> Route {
        Route::redirect_with(302, to)
    }

    /// A redirect with this status (301, 303, 307, 308 ...).
    pub fn redirect_with(status: u16, to: &str) -> Route {
        Route {
            kind: Kind::Respond,
            status,
            headers: vec![("Location".into(), to.into())],
            body: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    /// Accepts the connection and holds it open without answering, until the
    /// client hangs up or the server is dropped.
    pub fn never_answer() -> Route {
        Route {
            kind: Kind::NeverAnswer,
            ..Route::status(200)
        }
    }

    /// 200 with a body that never ends (no `Content-Length`), sent as fast as
    /// the client reads, until it hangs up or the server is dropped.
    pub fn endless_body() -> Route {
        Route {
            kind: Kind::EndlessBody,
            ..Route::ok("application/ld+json", Vec::new())
        }
    }

    /// 200 with a body that never ends, one byte per `every`.
    pub fn trickle(every: Duration) -> Route {
        Route {
            kind: Kind::Trickle(every),
            ..Route::ok("application/ld+json", Vec::new())
        }
    }

    /// Adds (or replaces) a header.
    pub fn header(mut self, name: &str, value: &str) -> Route {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Waits this long before answering.
    pub fn delay(mut self, delay: Duration) -> Route {
        self.delay = delay;
        self
    }

    /// Answers with this status instead.
    pub fn with_status(mut self, status: u16) -> Route {
        self.status = status;
        self
    }
}

/// One request the server saw.
#[derive(Clone, Debug)]
pub struct Seen {
    /// The request target as sent (path and query).
    pub path: String,
    /// The request headers, names lower-cased.
    pub headers: Vec<(String, String)>,
}

struct State {
    base: String,
    routes: Mutex<HashMap<String, Route>>,
    seen: Mutex<Vec<Seen>>,
    stop: AtomicBool,
    connections: Mutex<Vec<JoinHandle<()>>>,
    accepted: AtomicUsize,
}

impl State {
    fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

/// A running test server; stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<State>,
    accept: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server answering `routes` (path → answer).
    pub fn start<P: Into<String>>(routes: impl IntoIterator<Item = (P, Route)>) -> TestServer {
        TestServer::start_at(0, routes)
    }

    /// Starts a server on this port of 127.0.0.1 (0: any free port).
    pub fn start_at<P: Into<String>>(
        port: u16,
        routes: impl IntoIterator<Item = (P, Route)>,
    ) -> TestServer {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(State {
            base: format!("http://{addr}"),
            routes: Mutex::new(routes.into_iter().map(|(p, r)| (p.into(), r)).collect()),
            seen: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
            connections: Mutex::new(Vec::new()),
            accepted: AtomicUsize::new(0),
        });
        let accept_state = Arc::clone(&state);
        let accept = std::thread::Builder::new()
            .name(format!("test-server-{}", addr.port()))
            .spawn(move || accept_loop(listener, accept_state))
            .expect("spawn the accept thread");
        TestServer {
            addr,
            state,
            accept: Some(accept),
        }
    }

    /// Serves every file under `dir` at `/relative/path`, with a
    /// `Content-Type` by extension (`.json` → `application/ld+json`, `.png`,
    /// `.svg`, `.pem` and `.jwt` → `text/plain`, else
    /// `application/octet-stream`).
    pub fn serve_dir(dir: &Path) -> TestServer {
        TestServer::serve_dir_with(dir, Vec::<(String, Route)>::new())
    }

    /// [`serve_dir`](TestServer::serve_dir), with some paths answered by
    /// `overrides` instead (or added).
    pub fn serve_dir_with<P: Into<String>>(
        dir: &Path,
        overrides: impl IntoIterator<Item = (P, Route)>,
    ) -> TestServer {
        let mut routes = HashMap::new();
        add_files(dir, dir, &mut routes);
        for (path, route) in overrides {
            routes.insert(path.into(), route);
        }
        TestServer::start(routes)
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        self.state.base.clone()
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.state.base)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        self.state.accepted.load(Ordering::SeqCst)
    }

    /// Adds or replaces a route while the server runs.
    pub fn set(&self, path: &str, route: Route) {
        self.state
            .routes
            .lock()
            .unwrap()
            .insert(path.to_owned(), route);
    }

    /// Every request target seen, in order.
    pub fn requests(&self) -> Vec<String> {
        self.state
            .seen
            .lock()
            .unwrap()
            .iter()
            .map(|s| s.path.clone())
            .collect()
    }

    /// How many requests asked for exactly `path`.
    pub fn count(&self, path: &str) -> usize {
        self.state
            .seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.path == path)
            .count()
    }

    /// Header `name` of the last request for `path`.
    pub fn header_of(&self, path: &str, name: &str) -> Option<String> {
        let name = name.to_ascii_lowercase();
        self.state
            .seen
            .lock()
            .unwrap()
            .iter()
            .rev()
            .find(|s| s.path == path)
            .and_then(|s| s.headers.iter().find(|(n, _)| *n == name))
            .map(|(_, v)| v.clone())
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        let connections = std::mem::take(&mut *self.state.connections.lock().unwrap());
        for c in connections {
            let _ = c.join();
        }
    }
}

fn add_files(root: &Path, dir: &Path, routes: &mut HashMap<String, Route>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            add_files(root, &path, routes);
            continue;
        }
        let rel = path.strip_prefix(root).unwrap();
        let url_path: String = rel
            .components()
            .map(|c| format!("/{}", c.as_os_str().to_string_lossy()))
            .collect();
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let content_type = match ext.as_str() {
            "json" | "jsonld" => "application/ld+json",
            "png" => "image/png",
            "svg" => "image/svg+xml",
            "pem" | "jwt" | "jws" | "txt" => "text/plain",
            _ => "application/octet-stream",
        };
        let body = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        routes.insert(url_path, Route::ok(content_type, body));
    }
}

fn accept_loop(listener: TcpListener, state: Arc<State>) {
    for stream in listener.incoming() {
        if state.stopping() {
            break;
        }
        let Ok(stream) = stream else { continue };
        state.accepted.fetch_add(1, Ordering::SeqCst);
        let conn_state = Arc::clone(&state);
        let handle = std::thread::spawn(move || serve(stream, &conn_state));
        let mut connections = state.connections.lock().unwrap();
        connections.retain(|h| !h.is_finished());
        connections.push(handle);
    }
}

/// Reads up to the end of the request head; `None` if the client went away
/// or the server is stopping.
fn read_head(stream: &mut TcpStream, state: &State) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if state.stopping() || head.len() > 64 * 1024 {
            return None;
        }
        match stream.read(&mut buf) {
            Ok(0) => return None,
            Ok(n) => head.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(head)
}

fn parse_head(head: &[u8]) -> Seen {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n");
    let path = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("")
        .to_owned();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Seen { path, headers }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        410 => "Gone",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn substitute(bytes: &[u8], base: &str) -> Vec<u8> {
    const MARK: &[u8] = b"{{base}}";
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = rest.windows(MARK.len()).position(|w| w == MARK) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(base.as_bytes());
        rest = &rest[at + MARK.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// Sleeps `total` in short steps; `false` if the server started stopping.
fn pause(total: Duration, state: &State) -> bool {
    let step = Duration::from_millis(10);
    let mut slept = Duration::ZERO;
    while slept < total {
        if state.stopping() {
            return false;
        }
        std::thread::sleep(step.min(total - slept));
        slept += step;
    }
    !state.stopping()
}

/// Writes all of `bytes`, retrying on write timeouts; `false` when the
/// client is gone or the server is stopping.
fn write_all(stream: &mut TcpStream, mut bytes: &[u8], state: &State) -> bool {
    while !bytes.is_empty() {
        if state.stopping() {
            return false;
        }
        match stream.write(bytes) {
            Ok(0) => return false,
            Ok(n) => bytes = &bytes[n..],
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) => {}
            Err(_) => return false,
        }
    }
    true
}

fn serve(mut stream: TcpStream, state: &State) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let _ = stream.set_write_timeout(Some(Duration::from_millis(50)));
    let Some(head) = read_head(&mut stream, state) else {
        return;
    };
    let seen = parse_head(&head);
    let target = seen.path.clone();
    state.seen.lock().unwrap().push(seen);
    let route = {
        let routes = state.routes.lock().unwrap();
        let path_only = target.split('?').next().unwrap_or("");
        routes
            .get(&target)
            .or_else(|| routes.get(path_only))
            .cloned()
            .unwrap_or_else(|| Route::status(404))
    };
    if !pause(route.delay, state) {
        return;
    }
    let mut head = format!("HTTP/1.1 {} {}\r\n", route.status, reason(route.status));
    for (name, value) in &route.headers {
        let value =
            String::from_utf8_lossy(&substitute(value.as_bytes(), &state.base)).into_owned();
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("Connection: close\r\n");
    match route.kind {
        Kind::Respond => {
            let body = substitute(&route.body, &state.base);
            head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
            if write_all(&mut stream, head.as_bytes(), state) {
                write_all(&mut stream, &body, state);
            }
            let _ = stream.flush();
            let _ = stream.shutdown(std::net::Shutdown::Write);
            // Let the client read everything before the socket closes.
            let mut sink = [0u8; 512];
            for _ in 0..20 {
                match stream.read(&mut sink) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                    Err(_) => break,
                }
            }
        }
        Kind::NeverAnswer => {
            let mut sink = [0u8; 512];
            while !state.stopping() {
                match stream.read(&mut sink) {
                    Ok(0) => return,
                    Ok(_) => {}
                    Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                    Err(_) => return,
                }
            }
        }
        Kind::EndlessBody => {
            head.push_str("\r\n");
            if !write_all(&mut stream, head.as_bytes(), state) {
                return;
            }
            let chunk = vec![b' '; 16 * 1024];
            while write_all(&mut stream, &chunk, state) {}
        }
        Kind::Trickle(every) => {
            head.push_str("\r\n");
            if !write_all(&mut stream, head.as_bytes(), state) {
                return;
            }
            while pause(every, state) && write_all(&mut stream, b" ", state) {}
        }
    }
}

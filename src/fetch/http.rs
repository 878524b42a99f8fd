//! [`HttpFetch`]: the one place Satchel talks to the network.
//!
//! It fetches one http(s) document under a [`NetPolicy`] and nothing else:
//!
//! - only `http` and `https` URLs, `GET` only, no cookies, no proxies, no
//!   `Referer`, no content decoding (so no decompression bombs);
//! - redirects are followed by hand, at most [`NetPolicy::max_redirects`] of
//!   them, and every hop is checked again: never from https down to http, and
//!   never to a private, local or other special-purpose address (the IANA
//!   IPv4 and IPv6 Special-Purpose Address Registries: loopback, RFC 1918,
//!   link local, unique local, CGNAT, documentation, benchmarking, reserved,
//!   Teredo ...; IPv4 carried in IPv6 (mapped, NAT64, 6to4) judged by the
//!   IPv4 address; `localhost` names refused without asking DNS) unless
//!   [`NetPolicy::allow_private`] says so, and never to an address that is no
//!   destination (unspecified, broadcast, multicast) at all. Address literals
//!   are judged after the URL parser has read them, so every spelling
//!   (`2130706433`, `0x7f.1`, `[::ffff:7f00:1]` ...) is the same address
//!   ([`check_host`]);
//! - the host of each hop is resolved here, the addresses are checked, and
//!   the connection goes to exactly those checked addresses (a pinned DNS
//!   answer), so a DNS server cannot swap in `127.0.0.1` between the check and
//!   the connection;
//! - the body is read incrementally and refused past [`NetPolicy::max_body`],
//!   and the whole fetch (DNS, connect, headers, body) is bounded by
//!   [`NetPolicy::total_timeout`]: an endless or trickling body ends in bounded
//!   time and memory. (A single stalled read can wait at most the time that was
//!   left when its hop started, so the worst case is under twice the limit.)
//!
//! A host that could not be reached (its name does not resolve, the
//! connection is refused or times out, no answer comes in time) is
//! remembered for [`NetPolicy::remember_unreachable`]: later requests to it
//! fail at once with the same error, and while the first attempt at a host is
//! under way the others wait for it, so 3,000 badges of a dead issuer cost one
//! attempt, not 3,000.
//!
//! Non-2xx answers (404, 410 ...) are answers, not errors: they come back as a
//! [`Fetched`] with their status and body, because a 410 means "revoked".
//!
//! It must not: interpret documents, cache them (that is
//! [`CachingFetch`](super::cache::CachingFetch)), or retry.
//!
//! The client is a blocking one (it runs its own small I/O thread). Call
//! [`HttpFetch::get`] from an ordinary thread, not from inside an async
//! runtime.

mod hosts;

use super::{parse_http_url, Fetch, FetchError, Fetched, Source};
use hosts::{host_key, Entry, Hosts};
use reqwest::blocking::{Client, Response};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION};
use std::collections::HashMap;
use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::sync::{mpsc, Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};
use url::{Host, Url};

/// The `Accept` header sent with every request: JSON-LD first, then JSON,
/// then the two badge image formats, then anything.
pub const ACCEPT_HEADER: &str =
    "application/ld+json, application/json;q=0.9, image/png;q=0.8, image/svg+xml;q=0.8, */*;q=0.5";

/// The environment variable that allows private and local network addresses
/// (value `1`, `true` or `yes`); see [`NetPolicy::from_env`].
pub const ALLOW_PRIVATE_ENV: &str = "SATCHEL_ALLOW_PRIVATE_NETWORK";

/// How long a host that could not be reached is remembered by default (see
/// [`NetPolicy::remember_unreachable`]): a whole batch, while a fetcher that
/// lives long (the desktop app's) still tries again after a passing outage.
pub const UNREACHABLE_MEMORY: Duration = Duration::from_secs(5 * 60);

/// What the network code is allowed to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetPolicy {
    /// Contact private, local and other special-purpose addresses (loopback,
    /// RFC 1918, link local, unique local, CGNAT, documentation, reserved ...;
    /// see the module docs). Off by default: a badge must not be able to make
    /// Satchel probe the user's own network.
    pub allow_private: bool,
    /// The longest wait for a TCP (and TLS) connection to one host.
    pub connect_timeout: Duration,
    /// The longest a whole fetch may take, redirects and body included.
    pub total_timeout: Duration,
    /// The largest body accepted, in bytes.
    pub max_body: usize,
    /// The most redirects followed.
    pub max_redirects: usize,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// How long a host that could not be reached (no DNS answer, connection
    /// refused or timed out, no answer in time) is remembered: within it,
    /// requests to that host fail at once with the same error.
    pub remember_unreachable: Duration,
}

impl Default for NetPolicy {
    /// Private addresses refused, connect 10 s, total 30 s, body
    /// [`MAX_DOCUMENT_BYTES`](crate::limits::MAX_DOCUMENT_BYTES), 5 redirects,
    /// unreachable hosts remembered for [`UNREACHABLE_MEMORY`].
    fn default() -> NetPolicy {
        NetPolicy {
            allow_private: false,
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            max_body: crate::limits::MAX_DOCUMENT_BYTES,
            max_redirects: 5,
            user_agent: concat!(
                "Satchel/",
                env!("CARGO_PKG_VERSION"),
                " (Open Badges backpack)"
            )
            .to_owned(),
            remember_unreachable: UNREACHABLE_MEMORY,
        }
    }
}

impl NetPolicy {
    /// The default policy, with [`allow_private`](NetPolicy::allow_private)
    /// turned on when [`ALLOW_PRIVATE_ENV`] is `1`, `true` or `yes`.
    pub fn from_env() -> NetPolicy {
        let allow = std::env::var(ALLOW_PRIVATE_ENV)
            .map(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
            .unwrap_or(false);
        NetPolicy {
            allow_private: allow,
            ..NetPolicy::default()
        }
    }
}

/// Fetches documents over http and https under a [`NetPolicy`].
///
/// One `HttpFetch` keeps one connection pool; share it (it is `Sync`) rather
/// than making one per document.
pub struct HttpFetch {
    policy: NetPolicy,
    pins: Arc<PinnedNames>,
    client: OnceLock<Result<Client, String>>,
    hosts: Hosts,
}

impl HttpFetch {
    /// A fetcher with this policy. The HTTP client itself is started on the
    /// first fetch.
    pub fn new(policy: NetPolicy) -> HttpFetch {
        HttpFetch {
            pins: Arc::new(PinnedNames::default()),
            client: OnceLock::new(),
            hosts: Hosts::new(policy.remember_unreachable),
            policy,
        }
    }

    /// The policy this fetcher follows.
    pub fn policy(&self) -> &NetPolicy {
        &self.policy
    }

    fn client(&self, url: &str) -> Result<&Client, FetchError> {
        let built = self.client.get_or_init(|| {
            Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .no_proxy()
                .referer(false)
                .connect_timeout(self.policy.connect_timeout)
                .timeout(self.policy.total_timeout)
                .user_agent(self.policy.user_agent.clone())
                .dns_resolver(Arc::clone(&self.pins))
                .build()
                .map_err(|e| deepest_message(&e))
        });
        built.as_ref().map_err(|reason| FetchError::Unreachable {
            url: url.to_owned(),
            reason: format!("the HTTP client could not start: {reason}"),
        })
    }

    /// The time left of the total budget, or a timeout error.
    fn remaining(&self, started: Instant, url: &str) -> Result<Duration, FetchError> {
        self.policy
            .total_timeout
            .checked_sub(started.elapsed())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| self.timeout(url))
    }

    fn timeout(&self, url: &str) -> FetchError {
        FetchError::Timeout {
            url: url.to_owned(),
            seconds: whole_seconds(self.policy.total_timeout),
        }
    }

    /// Resolves and checks the host of one hop, and pins the checked
    /// addresses so the connection goes to exactly those.
    fn check_and_pin(&self, hop: &Url, asked: &str, within: Duration) -> Result<(), FetchError> {
        check_literal(hop, self.policy.allow_private)?;
        match hop.host() {
            None | Some(Host::Ipv4(_) | Host::Ipv6(_)) => Ok(()),
            Some(Host::Domain(name)) => {
                let port = hop.port_or_known_default().unwrap_or(80);
                let found = resolve(name, port, within).map_err(|e| match e {
                    Resolved::TimedOut => self.timeout(asked),
                    Resolved::Failed(reason) => FetchError::Unreachable {
                        url: asked.to_owned(),
                        reason,
                    },
                })?;
                let allowed = allowed_addrs(name, &found, self.policy.allow_private)?;
                self.pins.pin(name, allowed);
                Ok(())
            }
        }
    }

    /// Sends the request of one hop, after the host check, under the
    /// memory of unreachable hosts.
    fn send(&self, hop: &Url, asked: &str, started: Instant) -> Result<Response, FetchError> {
        let until = started + self.policy.total_timeout;
        let attempt = match self.hosts.enter(&host_key(hop), asked, until) {
            Entry::Go(attempt) => attempt,
            Entry::Unreachable(e) => return Err(e),
            Entry::TimedOut => return Err(self.timeout(asked)),
        };
        let within = self.remaining(started, asked)?;
        if let Err(e) = self.check_and_pin(hop, asked, within) {
            // A name that did not resolve is unreachable; a refusal is not.
            if matches!(
                e,
                FetchError::Unreachable { .. } | FetchError::Timeout { .. }
            ) {
                attempt.unreachable(&e);
            }
            return Err(e);
        }
        let client = self.client(asked)?;
        let within = self.remaining(started, asked)?;
        let sent = client
            .get(hop.clone())
            .header(ACCEPT, ACCEPT_HEADER)
            .timeout(within)
            .send();
        match sent {
            Ok(response) => {
                attempt.answered();
                Ok(response)
            }
            Err(e) => {
                let error = self.request_error(asked, &e);
                // No connection, or no answer in a fair share of the time.
                let timed_out = matches!(error, FetchError::Timeout { .. })
                    && within * 2 >= self.policy.total_timeout;
                if e.is_connect() || timed_out {
                    attempt.unreachable(&error);
                }
                Err(error)
            }
        }
    }

    fn request_error(&self, url: &str, e: &reqwest::Error) -> FetchError {
        if e.is_timeout() || has_timeout_source(e) {
            return self.timeout(url);
        }
        FetchError::Unreachable {
            url: url.to_owned(),
            reason: short_reason(e),
        }
    }

    fn read_body(
        &self,
        mut response: Response,
        url: &str,
        started: Instant,
    ) -> Result<Vec<u8>, FetchError> {
        let max = self.policy.max_body;
        let too_large = || FetchError::TooLarge {
            url: url.to_owned(),
            limit: max,
        };
        let declared = response.content_length();
        if declared.is_some_and(|n| n > max as u64) {
            return Err(too_large());
        }
        let start_capacity = declared
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0)
            .min(max)
            .min(1024 * 1024);
        let mut body = Vec::with_capacity(start_capacity);
        let mut chunk = vec![0u8; 16 * 1024];
        loop {
            if started.elapsed() >= self.policy.total_timeout {
                return Err(self.timeout(url));
            }
            match response.read(&mut chunk) {
                Ok(0) => return Ok(body),
                Ok(n) => {
                    if body.len().saturating_add(n) > max {
                        return Err(too_large());
                    }
                    body.extend_from_slice(&chunk[..n]);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.body_error(url, &e)),
            }
        }
    }

    fn body_error(&self, url: &str, e: &std::io::Error) -> FetchError {
        if e.kind() == std::io::ErrorKind::TimedOut {
            return self.timeout(url);
        }
        if let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<reqwest::Error>()) {
            return self.request_error(url, inner);
        }
        FetchError::Unreachable {
            url: url.to_owned(),
            reason: format!("the connection broke while reading the document ({e})"),
        }
    }
}

impl Fetch for HttpFetch {
    fn get(&self, url: &str) -> Result<Fetched, FetchError> {
        let started = Instant::now();
        let mut hop = parse_http_url(url)?;
        let mut redirects = 0usize;
        loop {
            let response = self.send(&hop, url, started)?;
            let status = response.status().as_u16();
            if is_redirect(status) {
                if let Some(location) = response.headers().get(LOCATION) {
                    if redirects >= self.policy.max_redirects {
                        return Err(FetchError::TooManyRedirects {
                            url: url.to_owned(),
                            limit: self.policy.max_redirects,
                        });
                    }
                    let location = String::from_utf8_lossy(location.as_bytes()).into_owned();
                    hop = redirect_target(&hop, &location)?;
                    redirects += 1;
                    continue;
                }
            }
            let content_type = response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty());
            let body = self.read_body(response, url, started)?;
            return Ok(Fetched {
                url: url.to_owned(),
                final_url: hop.to_string(),
                status,
                content_type,
                body,
                fetched_at: crate::clock::now(),
                source: Source::Network,
            });
        }
    }
}

fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// The next hop of a redirect from `current` to `location` (absolute or
/// relative), or why it is refused: not http(s), or https down to http.
pub(crate) fn redirect_target(current: &Url, location: &str) -> Result<Url, FetchError> {
    let next = current.join(location.trim()).map_err(|_| {
        FetchError::Refused(format!(
            "{current} redirected to {location:?}, which is not a valid URL"
        ))
    })?;
    if !matches!(next.scheme(), "http" | "https") {
        return Err(FetchError::Refused(format!(
            "{current} redirected to {next}, which is not an http or https URL"
        )));
    }
    if current.scheme() == "https" && next.scheme() == "http" {
        return Err(FetchError::Refused(format!(
            "{current} redirected to {next}, a downgrade from https to http, which Satchel does not follow"
        )));
    }
    Ok(next)
}

/// What an address is, as a destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reach {
    /// A public unicast address: always allowed.
    Public,
    /// Loopback, private, link-local, documentation, benchmarking, reserved
    /// and other special-purpose ranges: allowed only with
    /// [`NetPolicy::allow_private`].
    Private,
    /// Not a destination at all (unspecified, "this network", broadcast,
    /// multicast): never contacted. (Linux connects `0.0.0.0` to the machine
    /// itself.)
    Never,
}

/// Classifies an address by the IANA IPv4 and IPv6 Special-Purpose Address
/// Registries; IPv4 addresses carried in IPv6 (mapped, NAT64, 6to4) are
/// judged by the IPv4 address they carry.
fn reach(ip: IpAddr) -> Reach {
    match ip {
        IpAddr::V4(v4) => reach_v4(v4),
        IpAddr::V6(v6) => reach_v6(v6),
    }
}

fn reach_v4(ip: Ipv4Addr) -> Reach {
    let bits = u32::from(ip);
    let within =
        |net: [u8; 4], len: u32| bits >> (32 - len) == u32::from(Ipv4Addr::from(net)) >> (32 - len);
    if within([0, 0, 0, 0], 8) || within([224, 0, 0, 0], 4) || ip.is_broadcast() {
        return Reach::Never;
    }
    const SPECIAL: [([u8; 4], u32); 13] = [
        ([10, 0, 0, 0], 8),      // private
        ([100, 64, 0, 0], 10),   // shared address space (CGNAT)
        ([127, 0, 0, 0], 8),     // loopback
        ([169, 254, 0, 0], 16),  // link local
        ([172, 16, 0, 0], 12),   // private
        ([192, 0, 0, 0], 24),    // IETF protocol assignments
        ([192, 0, 2, 0], 24),    // documentation (TEST-NET-1)
        ([192, 88, 99, 0], 24),  // 6to4 relay anycast
        ([192, 168, 0, 0], 16),  // private
        ([198, 18, 0, 0], 15),   // benchmarking
        ([198, 51, 100, 0], 24), // documentation (TEST-NET-2)
        ([203, 0, 113, 0], 24),  // documentation (TEST-NET-3)
        ([240, 0, 0, 0], 4),     // reserved
    ];
    if SPECIAL.iter().any(|&(net, len)| within(net, len)) {
        Reach::Private
    } else {
        Reach::Public
    }
}

fn reach_v6(ip: Ipv6Addr) -> Reach {
    let bits = u128::from(ip);
    let within = |net: &str, len: u32| {
        let net = u128::from(net.parse::<Ipv6Addr>().unwrap_or(Ipv6Addr::UNSPECIFIED));
        bits >> (128 - len) == net >> (128 - len)
    };
    let low_v4 = || Ipv4Addr::from(bits as u32);
    if ip.is_unspecified() || within("ff00::", 8) {
        return Reach::Never;
    }
    // IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::a.b.c.d), 6to4 (2002:a.b.c.d::/48).
    if within("::ffff:0:0", 96) || within("64:ff9b::", 96) {
        return reach_v4(low_v4());
    }
    if within("2002::", 16) {
        return reach_v4(Ipv4Addr::from((bits >> 80) as u32));
    }
    const SPECIAL: [(&str, u32); 10] = [
        ("::", 96),          // loopback (::1) and IPv4-compatible (deprecated)
        ("64:ff9b:1::", 48), // local-use IPv4/IPv6 translation
        ("100::", 64),       // discard-only
        ("2001::", 23),      // IETF protocol assignments, Teredo (2001::/32) included
        ("2001:db8::", 32),  // documentation
        ("3fff::", 20),      // documentation
        ("fc00::", 7),       // unique local
        ("fe80::", 10),      // link local
        ("fec0::", 10),      // site local (deprecated)
        ("5f00::", 16),      // segment routing (SRv6) SIDs
    ];
    if SPECIAL.iter().any(|&(net, len)| within(net, len)) {
        Reach::Private
    } else {
        Reach::Public
    }
}

/// Whether `ip` may be contacted under this setting.
fn may_contact(ip: IpAddr, allow_private: bool) -> bool {
    match reach(ip) {
        Reach::Public => true,
        Reach::Private => allow_private,
        Reach::Never => false,
    }
}

/// The message for a refused address.
fn refusal(host: Option<&str>, ip: Option<IpAddr>, allow_private: bool) -> FetchError {
    let what = match (host, ip) {
        (Some(name), Some(ip)) => format!("{name} ({ip})"),
        (Some(name), None) => name.to_owned(),
        (None, Some(ip)) => ip.to_string(),
        (None, None) => "the host".to_owned(),
    };
    if allow_private {
        return FetchError::Refused(format!(
            "{what} is not an address a document can come from (unspecified, broadcast or multicast); Satchel does not contact it"
        ));
    }
    FetchError::Refused(format!(
        "{what} is a private or local network address; Satchel does not contact those unless private network addresses are allowed"
    ))
}

/// Refuses an address that may not be contacted under this setting.
pub(crate) fn check_ip(
    ip: IpAddr,
    host: Option<&str>,
    allow_private: bool,
) -> Result<(), FetchError> {
    if may_contact(ip, allow_private) {
        Ok(())
    } else {
        Err(refusal(host, Some(ip), allow_private))
    }
}

/// Whether a host name always means this machine (`localhost` and
/// `*.localhost`, RFC 6761, with or without the trailing dot): such a name is
/// refused without asking DNS.
fn is_local_name(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// Judges the host of an http(s) `url` without resolving or connecting: an
/// address literal, in any spelling the URL parser accepts (`2130706433`,
/// `0177.0.0.1`, `0x7f.1`, `127.1`, `[::ffff:7f00:1]`, a trailing dot ...),
/// is checked against the special-purpose ranges, and so is a name that
/// always means this machine (`localhost`). Any other name passes here; its
/// addresses are checked when a fetch resolves it.
pub fn check_host(url: &str, allow_private: bool) -> Result<(), FetchError> {
    check_literal(&parse_http_url(url)?, allow_private)
}

fn check_literal(hop: &Url, allow_private: bool) -> Result<(), FetchError> {
    match hop.host() {
        None => Err(FetchError::BadUrl(hop.to_string())),
        Some(Host::Ipv4(ip)) => check_ip(IpAddr::V4(ip), None, allow_private),
        Some(Host::Ipv6(ip)) => check_ip(IpAddr::V6(ip), None, allow_private),
        Some(Host::Domain(name)) if !allow_private && is_local_name(name) => {
            Err(refusal(Some(name), None, false))
        }
        Some(Host::Domain(_)) => Ok(()),
    }
}

/// The addresses of `host` that may be contacted (every address of the
/// answer is checked; only the allowed ones are kept); refused when none may.
fn allowed_addrs(
    host: &str,
    found: &[SocketAddr],
    allow_private: bool,
) -> Result<Vec<SocketAddr>, FetchError> {
    let allowed: Vec<SocketAddr> = found
        .iter()
        .copied()
        .filter(|a| may_contact(a.ip(), allow_private))
        .collect();
    match (allowed.is_empty(), found.first()) {
        (false, _) => Ok(allowed),
        (true, Some(first)) => Err(refusal(Some(host), Some(first.ip()), allow_private)),
        (true, None) => Err(FetchError::Refused(format!("{host} has no addresses"))),
    }
}

enum Resolved {
    TimedOut,
    Failed(String),
}

/// Resolves `host` with the system resolver, giving up after `within` (the
/// lookup thread is left to finish on its own; it holds nothing).
fn resolve(host: &str, port: u16, within: Duration) -> Result<Vec<SocketAddr>, Resolved> {
    let (tx, rx) = mpsc::channel();
    let name = host.to_owned();
    std::thread::Builder::new()
        .name("satchel-dns".to_owned())
        .spawn(move || {
            let found = (name.as_str(), port)
                .to_socket_addrs()
                .map(|addrs| addrs.take(64).collect::<Vec<_>>());
            let _ = tx.send(found);
        })
        .map_err(|e| Resolved::Failed(format!("could not start a name lookup ({e})")))?;
    match rx.recv_timeout(within) {
        Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
        Ok(Ok(_)) => Err(Resolved::Failed("the name has no addresses".to_owned())),
        Ok(Err(_)) => Err(Resolved::Failed(format!(
            "the name {host} could not be resolved"
        ))),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Resolved::TimedOut),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(Resolved::Failed(format!(
            "the name {host} could not be resolved"
        ))),
    }
}

/// The DNS answers that were checked, by host name. The HTTP client resolves
/// names only through this table, so it connects to checked addresses only.
#[derive(Default)]
struct PinnedNames {
    names: Mutex<HashMap<String, Vec<SocketAddr>>>,
}

/// More names than a run ever needs; past it the table starts over.
const MAX_PINNED_NAMES: usize = 4096;

impl PinnedNames {
    fn pin(&self, host: &str, addrs: Vec<SocketAddr>) {
        let host = host.to_ascii_lowercase();
        let mut names = self.names.lock().unwrap_or_else(PoisonError::into_inner);
        if names.len() >= MAX_PINNED_NAMES && !names.contains_key(&host) {
            names.clear();
        }
        names.insert(host, addrs);
    }
}

impl Resolve for PinnedNames {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_ascii_lowercase();
        let found = if let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() {
            // An address literal was checked before the request was sent.
            Some(vec![SocketAddr::new(ip, 0)])
        } else {
            self.names
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get(&host)
                .cloned()
        };
        Box::pin(async move {
            match found {
                Some(addrs) => Ok(Box::new(addrs.into_iter()) as Addrs),
                None => Err(format!("{host} was not checked before connecting").into()),
            }
        })
    }
}

fn whole_seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

fn has_timeout_source(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return true;
            }
        }
        source = s.source();
    }
    false
}

/// A short, plain reason for a failed request.
fn short_reason(e: &reqwest::Error) -> String {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind as K;
            let plain = match io.kind() {
                K::ConnectionRefused => Some("connection refused"),
                K::ConnectionReset => Some("connection reset"),
                K::ConnectionAborted => Some("connection aborted"),
                K::NotConnected | K::BrokenPipe => Some("connection closed"),
                K::UnexpectedEof => Some("the connection closed early"),
                K::AddrNotAvailable => Some("address not available"),
                _ => None,
            };
            if let Some(p) = plain {
                return p.to_owned();
            }
        }
        source = s.source();
    }
    let deepest = deepest_message(e);
    let lower = deepest.to_ascii_lowercase();
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        format!("TLS failure: {deepest}")
    } else {
        deepest
    }
}

/// The message of the innermost cause of an error.
fn deepest_message(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last: &(dyn std::error::Error + 'static) = e;
    while let Some(s) = last.source() {
        last = s;
    }
    let text = last.to_string();
    let text = text.trim().trim_end_matches('.');
    if text.is_empty() {
        "unknown error".to_owned()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn https_to_http_redirect_is_refused_and_says_so() {
        let err = redirect_target(&url("https://a.example/x"), "http://a.example/y").unwrap_err();
        let FetchError::Refused(msg) = err else {
            panic!("not Refused: {err:?}")
        };
        assert!(msg.contains("downgrade from https to http"), "{msg}");
        assert!(msg.contains("http://a.example/y"), "{msg}");
    }

    #[test]
    fn redirect_targets_resolve_relative_and_allow_upgrades_and_other_origins() {
        let from = url("http://a.example/dir/x");
        assert_eq!(
            redirect_target(&from, "y").unwrap().as_str(),
            "http://a.example/dir/y"
        );
        assert_eq!(
            redirect_target(&from, "/z?q=1").unwrap().as_str(),
            "http://a.example/z?q=1"
        );
        assert_eq!(
            redirect_target(&from, "https://b.example/")
                .unwrap()
                .as_str(),
            "https://b.example/"
        );
        let secure = url("https://a.example/x");
        assert_eq!(
            redirect_target(&secure, "//b.example/k").unwrap().as_str(),
            "https://b.example/k"
        );
        assert_eq!(
            redirect_target(&secure, "https://c.example/")
                .unwrap()
                .as_str(),
            "https://c.example/"
        );
    }

    #[test]
    fn redirects_to_other_schemes_are_refused() {
        for to in [
            "file:///etc/passwd",
            "ftp://a.example/",
            "data:,hi",
            "javascript:alert(1)",
        ] {
            let err = redirect_target(&url("http://a.example/"), to).unwrap_err();
            assert!(
                matches!(&err, FetchError::Refused(m) if m.contains("not an http or https URL")),
                "{to}: {err:?}"
            );
        }
        let err = redirect_target(&url("http://a.example/"), "http://[::1").unwrap_err();
        assert!(matches!(err, FetchError::Refused(m) if m.contains("not a valid URL")));
    }

    #[test]
    fn never_addresses_stay_refused_when_private_ones_are_allowed() {
        for ip in [
            "0.0.0.0",
            "0.1.2.3",
            "224.0.0.1",
            "239.255.255.255",
            "255.255.255.255",
            "::",
            "ff02::1",
            "::ffff:0.0.0.0",
            "64:ff9b::e000:1",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert_eq!(reach(ip), Reach::Never, "{ip}");
            let err = check_ip(ip, None, true).unwrap_err();
            assert!(
                err.to_string().contains("Satchel does not contact it"),
                "{err}"
            );
        }
        for ip in ["127.0.0.1", "10.0.0.1", "fe80::1", "::ffff:192.168.0.1"] {
            let ip: IpAddr = ip.parse().unwrap();
            assert_eq!(reach(ip), Reach::Private, "{ip}");
            assert!(check_ip(ip, None, true).is_ok(), "{ip}");
        }
    }

    #[test]
    fn the_refusal_names_how_to_allow_private_addresses() {
        let err = check_ip("192.168.0.7".parse().unwrap(), Some("printer.lan"), false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "printer.lan (192.168.0.7) is a private or local network address; Satchel does not contact those unless private network addresses are allowed"
        );
        assert!(check_ip("192.168.0.7".parse().unwrap(), None, true).is_ok());
        assert!(check_ip("93.184.215.14".parse().unwrap(), None, false).is_ok());
    }

    #[test]
    fn mixed_dns_answers_keep_only_public_addresses() {
        let found: Vec<SocketAddr> = vec![
            "127.0.0.1:443".parse().unwrap(),
            "93.184.215.14:443".parse().unwrap(),
        ];
        let kept = allowed_addrs("mixed.example", &found, false).unwrap();
        assert_eq!(
            kept,
            vec!["93.184.215.14:443".parse::<SocketAddr>().unwrap()]
        );
        assert_eq!(allowed_addrs("mixed.example", &found, true).unwrap(), found);
        let err = allowed_addrs("local.example", &found[..1], false).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("local.example (127.0.0.1) is a private"));
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let p = NetPolicy::default();
        assert!(!p.allow_private);
        assert_eq!(p.connect_timeout, Duration::from_secs(10));
        assert_eq!(p.total_timeout, Duration::from_secs(30));
        assert_eq!(p.max_body, crate::limits::MAX_DOCUMENT_BYTES);
        assert_eq!(p.max_redirects, 5);
        assert!(p.user_agent.starts_with("Satchel/"));
        assert_eq!(whole_seconds(Duration::from_millis(1500)), 2);
        assert_eq!(whole_seconds(Duration::from_secs(1)), 1);
    }
}

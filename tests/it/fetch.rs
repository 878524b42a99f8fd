//! The network and the offline document cache, against a real HTTP server on
//! 127.0.0.1 (`server.rs`), the real `HttpFetch` and a real SQLite file.

use crate::server::{Route, TestServer};
use satchel::fetch::{
    import_dir, pin_file, CacheError, CachingFetch, Fetch, FetchError, HttpFetch, NetPolicy, Source,
};
use satchel::store::{DocumentSource, Store};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The test server is on loopback, so tests allow private addresses.
fn local() -> NetPolicy {
    NetPolicy {
        allow_private: true,
        ..NetPolicy::default()
    }
}

fn quick(total: Duration) -> NetPolicy {
    NetPolicy {
        connect_timeout: Duration::from_secs(1),
        total_timeout: total,
        ..local()
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn store_in(dir: &tempfile::TempDir) -> Mutex<Store> {
    Mutex::new(Store::open(&dir.path().join("satchel.sqlite3")).unwrap())
}

#[test]
fn a_document_is_fetched_with_status_type_and_body() {
    let server = TestServer::start([("/a.json", Route::json(r#"{"id":"{{base}}/a.json"}"#))]);
    let fetched = HttpFetch::new(local()).get(&server.url("/a.json")).unwrap();
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.url, server.url("/a.json"));
    assert_eq!(fetched.final_url, server.url("/a.json"));
    assert_eq!(fetched.content_type.as_deref(), Some("application/ld+json"));
    assert_eq!(
        fetched.body,
        format!(r#"{{"id":"{}/a.json"}}"#, server.base()).into_bytes()
    );
    assert_eq!(fetched.source, Source::Network);
    assert!((fetched.fetched_at - now()).abs() <= 5);
    assert_eq!(server.requests(), vec!["/a.json"]);
}

#[test]
fn the_request_says_what_it_accepts_and_who_asks() {
    let server = TestServer::start([("/x", Route::json("{}"))]);
    HttpFetch::new(local()).get(&server.url("/x")).unwrap();
    assert_eq!(
        server.header_of("/x", "accept").as_deref(),
        Some("application/ld+json, application/json;q=0.9, image/png;q=0.8, image/svg+xml;q=0.8, */*;q=0.5")
    );
    assert!(server
        .header_of("/x", "user-agent")
        .is_some_and(|ua| ua.starts_with("Satchel/")));
    assert_eq!(server.header_of("/x", "cookie"), None);
    assert_eq!(server.header_of("/x", "referer"), None);
}

#[test]
fn not_found_and_gone_are_answers_not_errors() {
    let server = TestServer::start([
        ("/revoked", Route::status(410)),
        ("/broken", Route::status(500)),
    ]);
    let fetch = HttpFetch::new(local());
    let gone = fetch.get(&server.url("/revoked")).unwrap();
    assert_eq!(
        (gone.status, gone.body.as_slice()),
        (410, &b"status 410"[..])
    );
    let missing = fetch.get(&server.url("/nowhere")).unwrap();
    assert_eq!(missing.status, 404);
    assert_eq!(fetch.get(&server.url("/broken")).unwrap().status, 500);
}

#[test]
fn private_addresses_are_refused_by_default_with_the_way_to_allow_them() {
    let server = TestServer::start([("/a.json", Route::json("{}"))]);
    let strict = HttpFetch::new(NetPolicy::default());
    for url in [
        server.url("/a.json"),
        format!("http://localhost:{}/a.json", server.port()),
    ] {
        let err = strict.get(&url).unwrap_err();
        let FetchError::Refused(msg) = &err else {
            panic!("{url}: not refused: {err:?}")
        };
        assert!(
            msg.contains("is a private or local network address; Satchel does not contact those unless private network addresses are allowed"),
            "{msg}"
        );
    }
    let err = strict.get(&server.url("/a.json")).unwrap_err();
    assert!(
        err.to_string().starts_with("127.0.0.1 is a private"),
        "{err}"
    );
    assert_eq!(
        server.requests(),
        Vec::<String>::new(),
        "nothing was contacted"
    );

    let open = HttpFetch::new(local());
    assert_eq!(open.get(&server.url("/a.json")).unwrap().status, 200);
}

#[test]
fn a_host_name_is_resolved_checked_and_connected_to() {
    let server = TestServer::start([("/a.json", Route::json("{}"))]);
    let url = format!("http://localhost:{}/a.json", server.port());
    let fetched = HttpFetch::new(local()).get(&url).unwrap();
    assert_eq!(
        (fetched.status, fetched.final_url.as_str()),
        (200, url.as_str())
    );
    assert_eq!(server.count("/a.json"), 1);
}

#[test]
fn only_http_and_https_urls_are_fetched() {
    let fetch = HttpFetch::new(local());
    for url in [
        "ftp://127.0.0.1/a",
        "file:///etc/passwd",
        "data:application/json,{}",
        "not a url",
        "/relative/path",
        "",
    ] {
        assert_eq!(
            fetch.get(url).unwrap_err(),
            FetchError::BadUrl(url.to_owned()),
            "{url}"
        );
    }
}

#[test]
fn a_chain_of_three_redirects_is_followed_to_the_final_url() {
    let server = TestServer::start([
        ("/one", Route::redirect("/two")),
        ("/two", Route::redirect_with(301, "{{base}}/three")),
        ("/three", Route::redirect_with(307, "end.json")),
        ("/end.json", Route::json(r#"{"ok":true}"#)),
    ]);
    let fetched = HttpFetch::new(local()).get(&server.url("/one")).unwrap();
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.url, server.url("/one"));
    assert_eq!(fetched.final_url, server.url("/end.json"));
    assert_eq!(fetched.body, br#"{"ok":true}"#);
    assert_eq!(
        server.requests(),
        vec!["/one", "/two", "/three", "/end.json"]
    );
}

#[test]
fn five_redirects_are_followed_and_six_are_refused() {
    let mut routes: Vec<(String, Route)> = (0..6)
        .map(|i| (format!("/r{i}"), Route::redirect(&format!("/r{}", i + 1))))
        .collect();
    routes.push(("/r6".into(), Route::json("{}")));
    let server = TestServer::start(routes);
    let fetch = HttpFetch::new(local());
    let five = fetch.get(&server.url("/r1")).unwrap();
    assert_eq!(five.final_url, server.url("/r6"));
    let err = fetch.get(&server.url("/r0")).unwrap_err();
    assert_eq!(
        err,
        FetchError::TooManyRedirects {
            url: server.url("/r0"),
            limit: 5
        }
    );
    assert_eq!(server.count("/r6"), 1, "the sixth hop was not requested");
}

#[test]
fn a_redirect_to_another_origin_is_followed() {
    let other = TestServer::start([("/key.json", Route::json(r#"{"key":1}"#))]);
    // Another port, and a name instead of an address: a different origin.
    let target = format!("http://localhost:{}/key.json", other.port());
    let server = TestServer::start([("/key", Route::redirect_with(308, &target))]);
    let fetched = HttpFetch::new(local()).get(&server.url("/key")).unwrap();
    assert_eq!(fetched.final_url, target);
    assert_eq!(fetched.body, br#"{"key":1}"#);
    assert_eq!((server.count("/key"), other.count("/key.json")), (1, 1));
}

#[test]
fn a_redirect_to_another_scheme_is_refused_mid_chain() {
    // Every hop is checked, not just the first. (The https-to-http downgrade
    // needs TLS on loopback; `fetch::http`'s unit tests cover it.)
    let server = TestServer::start([("/go", Route::redirect("file:///etc/passwd"))]);
    let err = HttpFetch::new(local()).get(&server.url("/go")).unwrap_err();
    assert!(
        matches!(&err, FetchError::Refused(m) if m.contains("file:///etc/passwd") && m.contains("not an http or https URL")),
        "{err:?}"
    );
}

#[test]
fn a_server_that_never_answers_times_out_on_time() {
    let server = TestServer::start([("/hang", Route::never_answer())]);
    let fetch = HttpFetch::new(quick(Duration::from_secs(1)));
    let started = Instant::now();
    let err = fetch.get(&server.url("/hang")).unwrap_err();
    let took = started.elapsed();
    assert_eq!(
        err,
        FetchError::Timeout {
            url: server.url("/hang"),
            seconds: 1
        }
    );
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(3),
        "{took:?}"
    );
}

#[test]
fn a_slow_answer_within_the_limit_is_fine() {
    let server =
        TestServer::start([("/slow", Route::json("{}").delay(Duration::from_millis(300)))]);
    let fetched = HttpFetch::new(quick(Duration::from_secs(5)))
        .get(&server.url("/slow"))
        .unwrap();
    assert_eq!(fetched.status, 200);
}

#[test]
fn an_endless_body_stops_at_the_cap_in_bounded_time() {
    let server = TestServer::start([("/endless", Route::endless_body())]);
    let fetch = HttpFetch::new(NetPolicy {
        max_body: 64 * 1024,
        ..quick(Duration::from_secs(10))
    });
    let started = Instant::now();
    let err = fetch.get(&server.url("/endless")).unwrap_err();
    assert_eq!(
        err,
        FetchError::TooLarge {
            url: server.url("/endless"),
            limit: 64 * 1024
        }
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_declared_length_over_the_cap_is_refused_before_reading() {
    let server = TestServer::start([("/big", Route::json(vec![b' '; 100_000]))]);
    let fetch = HttpFetch::new(NetPolicy {
        max_body: 50_000,
        ..local()
    });
    assert!(matches!(
        fetch.get(&server.url("/big")),
        Err(FetchError::TooLarge { limit: 50_000, .. })
    ));
    let exact = HttpFetch::new(NetPolicy {
        max_body: 100_000,
        ..local()
    });
    assert_eq!(exact.get(&server.url("/big")).unwrap().body.len(), 100_000);
}

#[test]
fn a_trickling_body_hits_the_total_timeout() {
    let server = TestServer::start([("/drip", Route::trickle(Duration::from_millis(20)))]);
    let fetch = HttpFetch::new(quick(Duration::from_secs(1)));
    let started = Instant::now();
    let err = fetch.get(&server.url("/drip")).unwrap_err();
    assert!(
        matches!(err, FetchError::Timeout { seconds: 1, .. }),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_closed_port_is_unreachable() {
    let port = {
        let server = TestServer::start(Vec::<(String, Route)>::new());
        server.port()
    };
    let url = format!("http://127.0.0.1:{port}/a.json");
    let err = HttpFetch::new(local()).get(&url).unwrap_err();
    assert!(
        matches!(&err, FetchError::Unreachable { url: u, .. } if *u == url),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with(&format!("could not reach {url} (")),
        "{err}"
    );
}

#[test]
fn the_cache_fetches_each_url_once_per_run_across_threads() {
    let server = TestServer::start([
        (
            "/a.json",
            Route::json(r#"{"a":1}"#).delay(Duration::from_millis(200)),
        ),
        ("/b.json", Route::json(r#"{"b":1}"#)),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let http = HttpFetch::new(local());
    let cache = CachingFetch::online(&http, &store);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for i in 0..10 {
                    let url = if i % 2 == 0 {
                        server.url("/a.json")
                    } else {
                        server.url("/a.json#key-1")
                    };
                    let got = cache.get(&url).unwrap();
                    assert_eq!(got.body, br#"{"a":1}"#);
                    assert_eq!(got.url, url, "the asked URL is reported back");
                }
                cache.get(&server.url("/b.json")).unwrap();
            });
        }
    });
    assert_eq!(server.count("/a.json"), 1);
    assert_eq!(server.count("/b.json"), 1);
    assert!(cache.store_errors().is_empty());
    // Kept in the store for next time.
    let kept = store
        .lock()
        .unwrap()
        .get_document(&server.url("/a.json"))
        .unwrap()
        .unwrap();
    assert_eq!(kept.body, br#"{"a":1}"#);
    assert_eq!(kept.source, DocumentSource::Network);
}

#[test]
fn errors_are_remembered_for_the_run_too() {
    let server = TestServer::start([("/hang", Route::never_answer())]);
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let http = HttpFetch::new(quick(Duration::from_millis(500)));
    let cache = CachingFetch::online(&http, &store);
    let started = Instant::now();
    for _ in 0..3 {
        assert!(matches!(
            cache.get(&server.url("/hang")),
            Err(FetchError::Timeout { .. })
        ));
    }
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.count("/hang"), 1);
}

#[test]
fn offline_mode_serves_stored_documents_only() {
    let server = TestServer::start([("/a.json", Route::json(r#"{"a":1}"#))]);
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let http = HttpFetch::new(local());
    let first = CachingFetch::online(&http, &store)
        .get(&server.url("/a.json"))
        .unwrap();

    let offline = CachingFetch::offline(&store);
    assert!(offline.is_offline());
    let again = offline.get(&server.url("/a.json")).unwrap();
    assert_eq!(again.source, Source::Cache);
    assert_eq!(again.fetched_at, first.fetched_at);
    assert_eq!(again.body, first.body);
    assert_eq!(again.final_url, first.final_url);
    let other = server.url("/b.json");
    assert_eq!(
        offline.get(&other).unwrap_err(),
        FetchError::NotCached(other.clone())
    );
    assert_eq!(server.requests(), vec!["/a.json"], "offline never asks");
}

#[test]
fn a_stored_copy_answers_when_the_server_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let http = HttpFetch::new(quick(Duration::from_secs(2)));
    let server = TestServer::start([
        ("/a.json", Route::json(r#"{"a":1}"#)),
        ("/revoked", Route::status(410)),
    ]);
    let (url, revoked) = (server.url("/a.json"), server.url("/revoked"));
    let first = CachingFetch::online(&http, &store).get(&url).unwrap();
    CachingFetch::online(&http, &store).get(&revoked).unwrap();
    drop(server);

    let next_run = CachingFetch::online(&http, &store);
    let stored = next_run.get(&url).unwrap();
    assert_eq!(stored.source, Source::Cache);
    assert_eq!(stored.fetched_at, first.fetched_at);
    assert_eq!(stored.body, br#"{"a":1}"#);
    let gone = next_run.get(&revoked).unwrap();
    assert_eq!((gone.status, gone.source), (410, Source::Cache));
    // Nothing stored and nothing reachable: the network error stands.
    let missing = url.replace("/a.json", "/never.json");
    assert!(matches!(
        next_run.get(&missing),
        Err(FetchError::Unreachable { .. })
    ));
}

#[test]
fn pinned_documents_win_over_the_network() {
    let server = TestServer::start([("/key.json", Route::json(r#"{"from":"server"}"#))]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("key.json");
    std::fs::write(&file, r#"{"from":"user"}"#).unwrap();
    let store = store_in(&dir);
    let pinned = pin_file(&store.lock().unwrap(), &server.url("/key.json"), &file).unwrap();
    assert_eq!(pinned.size, 15);
    assert_eq!(pinned.source, DocumentSource::Pinned);
    assert_eq!(pinned.sha256.len(), 64);

    let http = HttpFetch::new(local());
    let got = CachingFetch::online(&http, &store)
        .get(&server.url("/key.json"))
        .unwrap();
    assert_eq!(got.body, br#"{"from":"user"}"#);
    assert_eq!(got.source, Source::Cache);
    assert_eq!(got.content_type.as_deref(), Some("application/ld+json"));
    assert_eq!(server.count("/key.json"), 0, "the network was not asked");
}

#[test]
fn pinning_refuses_bad_urls_missing_files_and_huge_files() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
    let file = dir.path().join("k.json");
    std::fs::write(&file, "{}").unwrap();
    assert_eq!(
        pin_file(&store, "ftp://example.org/k", &file).unwrap_err(),
        CacheError::BadUrl("ftp://example.org/k".into())
    );
    let missing = dir.path().join("missing.json");
    let err = pin_file(&store, "https://example.org/k", &missing).unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("{}: could not read it (", missing.display())),
        "{err}"
    );
    let huge = dir.path().join("huge.json");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(satchel::limits::MAX_DOCUMENT_BYTES as u64 + 1)
        .unwrap();
    assert!(matches!(
        pin_file(&store, "https://example.org/k", &huge),
        Err(CacheError::TooLarge { .. })
    ));
    assert!(store.list_documents().unwrap().is_empty());
}

#[test]
fn import_dir_maps_files_to_base_plus_relative_path() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("mirror");
    std::fs::create_dir_all(root.join("keys/2024")).unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join("issuer.json"), "{}").unwrap();
    std::fs::write(root.join("keys/k1.pem"), "-----BEGIN PUBLIC KEY-----").unwrap();
    std::fs::write(root.join("keys/2024/a b.json"), "{}").unwrap();
    std::fs::write(root.join(".hidden.json"), "{}").unwrap();
    std::fs::write(root.join(".git/config"), "x").unwrap();
    let store = Store::open(&dir.path().join("s.sqlite3")).unwrap();

    let n = import_dir(&store, &root, "https://example.org/badges").unwrap();
    assert_eq!(n, 3);
    let urls: Vec<String> = store
        .list_documents()
        .unwrap()
        .into_iter()
        .map(|d| d.url)
        .collect();
    assert_eq!(
        urls,
        vec![
            "https://example.org/badges/issuer.json",
            "https://example.org/badges/keys/2024/a%20b.json",
            "https://example.org/badges/keys/k1.pem",
        ]
    );
    let key = store
        .get_document("https://example.org/badges/keys/k1.pem")
        .unwrap()
        .unwrap();
    assert!(key.pinned);
    assert_eq!(key.content_type.as_deref(), Some("text/plain"));

    // Offline, the cache answers for those URLs (the fragment is ignored).
    let shared = Mutex::new(store);
    let offline = CachingFetch::offline(&shared);
    let doc = offline
        .get("https://example.org/badges/issuer.json#main")
        .unwrap();
    assert_eq!(
        (doc.body.as_slice(), doc.source),
        (&b"{}"[..], Source::Cache)
    );

    let store = shared.into_inner().unwrap();
    assert_eq!(
        import_dir(&store, &root, "file:///tmp/").unwrap_err(),
        CacheError::BadUrl("file:///tmp/".into())
    );
    assert!(matches!(
        import_dir(&store, &dir.path().join("nope"), "https://example.org/"),
        Err(CacheError::Read { .. })
    ));
}

#[test]
fn a_served_directory_verifies_against_the_cache_and_the_network_alike() {
    // The test server's directory mode and the importer agree on paths.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(root.join("keys")).unwrap();
    std::fs::write(root.join("issuer.json"), r#"{"key":"{{base}}/keys/k.pem"}"#).unwrap();
    std::fs::write(root.join("keys/k.pem"), "PEM").unwrap();
    let server = TestServer::serve_dir_with(&root, [("/gone.json", Route::status(410))]);
    let http = HttpFetch::new(local());
    let issuer = http.get(&server.url("/issuer.json")).unwrap();
    assert_eq!(issuer.content_type.as_deref(), Some("application/ld+json"));
    assert_eq!(
        issuer.body,
        format!(r#"{{"key":"{}/keys/k.pem"}}"#, server.base()).into_bytes()
    );
    let key = http.get(&server.url("/keys/k.pem")).unwrap();
    assert_eq!(
        (key.body.as_slice(), key.content_type.as_deref()),
        (&b"PEM"[..], Some("text/plain"))
    );
    assert_eq!(http.get(&server.url("/gone.json")).unwrap().status, 410);

    let store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
    assert_eq!(import_dir(&store, &root, &server.base()).unwrap(), 2);
    let shared = Mutex::new(store);
    let offline = CachingFetch::offline(&shared);
    assert_eq!(
        offline.get(&server.url("/keys/k.pem")).unwrap().body,
        b"PEM"
    );
}

#[test]
fn shared_documents_are_one_per_url_per_run_and_derived_values_are_made_once() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let server = TestServer::start([("/k.json", Route::json(r#"{"k":1}"#))]);
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let http = HttpFetch::new(local());
    let cache = CachingFetch::online(&http, &store);
    let made = AtomicUsize::new(0);
    let url = server.url("/k.json");
    let first = cache.get_shared(&url).unwrap();
    let parse = |f: &satchel::fetch::Fetched| {
        made.fetch_add(1, Ordering::SeqCst);
        serde_json::from_slice::<serde_json::Value>(&f.body).unwrap()
    };
    assert_eq!(first.derive(parse)["k"], 1);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..25 {
                    let doc = cache.get_shared(&url).unwrap();
                    assert!(Arc::ptr_eq(&doc, &first), "one shared document per URL");
                    assert_eq!(doc.derive(parse)["k"], 1);
                }
            });
        }
    });
    // Computed once, by the first caller; every other caller shares it.
    assert_eq!(made.load(Ordering::SeqCst), 1);
    // Another type derived from the same document is its own value.
    assert_eq!(*first.derive(|f| f.body.len()), 7);
    // Another spelling of the same URL is the same document, named as asked.
    let with_fragment = format!("{url}#key-1");
    let other = cache.get_shared(&with_fragment).unwrap();
    assert_eq!(other.fetched.url, with_fragment);
    assert_eq!(other.fetched.body, first.fetched.body);
    assert_eq!(cache.get(&with_fragment).unwrap().url, with_fragment);
    assert_eq!(server.count("/k.json"), 1);
    // Errors are shared too, and a bad URL is refused without a request.
    assert!(matches!(
        cache.get_shared("ftp://example.org/x"),
        Err(FetchError::BadUrl(_))
    ));
}

/// Every IANA special-purpose range (first and last address), and the
/// public neighbours just outside it.
const SPECIAL_RANGES: &[(&str, &str, &str)] = &[
    // (first, last, a public address just outside, or "")
    ("0.0.0.0", "0.255.255.255", "1.0.0.0"),
    ("10.0.0.0", "10.255.255.255", "11.0.0.0"),
    ("100.64.0.0", "100.127.255.255", "100.128.0.0"),
    ("127.0.0.0", "127.255.255.255", "128.0.0.0"),
    ("169.254.0.0", "169.254.255.255", "169.255.0.0"),
    ("172.16.0.0", "172.31.255.255", "172.32.0.0"),
    ("192.0.0.0", "192.0.0.255", "192.0.1.0"),
    ("192.0.2.0", "192.0.2.255", "192.0.3.0"),
    ("192.88.99.0", "192.88.99.255", "192.88.100.0"),
    ("192.168.0.0", "192.168.255.255", "192.169.0.0"),
    ("198.18.0.0", "198.19.255.255", "198.20.0.0"),
    ("198.51.100.0", "198.51.100.255", "198.51.101.0"),
    ("203.0.113.0", "203.0.113.255", "203.0.114.0"),
    ("224.0.0.0", "239.255.255.255", "223.255.255.255"),
    ("240.0.0.0", "255.255.255.254", "100.63.255.255"),
    ("255.255.255.255", "255.255.255.255", "172.15.255.255"),
    ("::", "::", "::ffff:1.0.0.0"),
    ("::1", "::1", "2606:4700::1"),
    ("::ffff:0.0.0.0", "::ffff:0.255.255.255", "::ffff:8.8.8.8"),
    (
        "::ffff:127.0.0.1",
        "::ffff:10.255.255.255",
        "::ffff:93.184.216.34",
    ),
    ("::2", "::ffff:ffff", "1::"),
    ("64:ff9b::7f00:1", "64:ff9b::c0a8:101", "64:ff9b::808:808"),
    (
        "64:ff9b:1::",
        "64:ff9b:1:ffff:ffff:ffff:ffff:ffff",
        "64:ff9b:2::",
    ),
    ("100::", "100::ffff:ffff:ffff:ffff", "100:0:0:1::"),
    (
        "2001::",
        "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff",
        "2001:200::",
    ),
    ("2001:0:4136:e378::1", "2001:0:ffff::", "2001:4860::8888"),
    (
        "2001:db8::",
        "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
        "2001:db9::",
    ),
    ("2002:7f00:1::", "2002:c0a8:ffff:ffff::", "2002:808:808::"),
    (
        "fc00::",
        "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "fbff::1",
    ),
    (
        "fe80::",
        "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "2a00:1450::1",
    ),
    (
        "fec0::",
        "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "2400:cb00::1",
    ),
    (
        "ff00::",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "2606:4700::1",
    ),
];

fn url_of(ip: &str) -> String {
    if ip.contains(':') {
        format!("http://[{ip}]/badge.json")
    } else {
        format!("http://{ip}/badge.json")
    }
}

#[test]
fn every_special_purpose_range_is_refused_and_its_public_neighbours_are_not() {
    use satchel::fetch::http::check_host;
    for &(first, last, outside) in SPECIAL_RANGES {
        for ip in [first, last] {
            let url = url_of(ip);
            let err = check_host(&url, false).expect_err(&url);
            assert!(
                matches!(&err, FetchError::Refused(m) if m.contains("Satchel does not contact")),
                "{url}: {err:?}"
            );
        }
        let url = url_of(outside);
        assert_eq!(check_host(&url, false), Ok(()), "{url}");
    }
    for public in [
        "93.184.216.34",
        "2606:4700::1",
        "8.8.8.8",
        "2a00:1450:4001::",
    ] {
        assert_eq!(check_host(&url_of(public), false), Ok(()), "{public}");
    }
}

#[test]
fn every_spelling_of_a_local_address_is_refused() {
    use satchel::fetch::http::check_host;
    for url in [
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f.1/",
        "http://0x7F000001/",
        "http://127.1/",
        "http://127.0.1/",
        "http://127.0.0.1./",
        "http://%31%32%37.0.0.1/",
        "http://\u{ff11}\u{ff12}\u{ff17}.0.0.1/",
        "https://0/",
        "http://0.0.0.0:8080/",
        "http://3232235777/",
        "http://0xa9.0xfe.0xa9.0xfe/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[0:0:0:0:0:ffff:127.0.0.1]/",
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::127.0.0.1]/",
        "http://[2002:7f00:0001::]/",
        "http://[0::1]/",
        "http://[fe80::1]:8080/",
        "http://localhost/",
        "http://localhost./",
        "http://LOCALHOST:8080/",
        "http://api.localhost./",
    ] {
        let err = check_host(url, false).expect_err(url);
        assert!(
            matches!(&err, FetchError::Refused(m) if m.contains("Satchel does not contact")),
            "{url}: {err:?}"
        );
    }
    // The same spellings of a public address are allowed, judged without
    // connecting; and with private addresses allowed, loopback is.
    for url in [
        "http://1572395042/",
        "http://0x5d.0xb8.0xd8.0x22/",
        "http://93.184.216.34./",
        "http://[::ffff:93.184.216.34]/",
        "http://[64:ff9b::5db8:d822]/",
        "http://[2606:4700::1]/",
        "http://badges.example.org./",
    ] {
        assert_eq!(check_host(url, false), Ok(()), "{url}");
    }
    assert_eq!(check_host("http://0x7f.1/", true), Ok(()));
    assert_eq!(check_host("http://localhost./", true), Ok(()));
}

#[test]
fn a_redirect_to_an_address_that_is_never_contacted_is_refused() {
    // Every hop is checked: the test server is allowed (private addresses are
    // on), the unspecified and multicast addresses it redirects to never are.
    let server = TestServer::start([
        ("/mapped", Route::redirect("http://[::ffff:0:0]/secret")),
        ("/multicast", Route::redirect("http://224.0.0.1/secret")),
    ]);
    // Linux connects 0.0.0.0 to the machine itself: this would reach /secret.
    let zero = format!("http://0.0.0.0:{}/secret", server.port());
    server.set("/zero", Route::redirect(&zero));
    let fetch = HttpFetch::new(local());
    for path in ["/zero", "/mapped", "/multicast"] {
        let err = fetch.get(&server.url(path)).unwrap_err();
        assert!(
            matches!(&err, FetchError::Refused(m) if m.contains("Satchel does not contact it")),
            "{path}: {err:?}"
        );
    }
    assert_eq!(server.count("/secret"), 0);
}

/// A port of 127.0.0.1 with nothing listening on it (a server was there).
fn closed_port() -> u16 {
    TestServer::start(Vec::<(String, Route)>::new()).port()
}

#[test]
fn a_host_that_could_not_be_reached_is_not_tried_again_for_a_while() {
    let port = closed_port();
    let url = |p: &str| format!("http://127.0.0.1:{port}{p}");
    let http = HttpFetch::new(local());
    let first = http.get(&url("/a.json")).unwrap_err();
    assert!(
        first
            .to_string()
            .starts_with(&format!("could not reach {} (", url("/a.json"))),
        "{first}"
    );
    // Something answers on the port now, but the fetcher remembers the
    // refusal: the same error, for the URL asked, without a connection.
    let server = TestServer::start_at(port, [("/b.json", Route::json("{}"))]);
    let again = http.get(&url("/b.json")).unwrap_err();
    let FetchError::Unreachable { url: u, reason } = &again else {
        panic!("not unreachable: {again:?}")
    };
    assert_eq!(u, &url("/b.json"));
    assert!(matches!(&first, FetchError::Unreachable { reason: r, .. } if r == reason));
    assert_eq!(server.connections(), 0);
    // Another host (same address, another port) is not affected.
    let other = TestServer::start([("/c.json", Route::json("{}"))]);
    assert_eq!(http.get(&other.url("/c.json")).unwrap().status, 200);
    // A fetcher that forgets at once tries again, and is answered.
    let forgetful = HttpFetch::new(NetPolicy {
        remember_unreachable: Duration::ZERO,
        ..local()
    });
    let port2 = closed_port();
    let url2 = format!("http://127.0.0.1:{port2}/b.json");
    assert!(forgetful.get(&url2).is_err());
    let server2 = TestServer::start_at(port2, [("/b.json", Route::json("{}"))]);
    assert_eq!(forgetful.get(&url2).unwrap().status, 200);
    assert_eq!(server2.connections(), 1);
}

#[test]
fn a_host_that_never_answers_costs_one_connection_across_threads() {
    let paths: Vec<String> = (0..16).map(|i| format!("/a/{i}.json")).collect();
    let server = TestServer::start(paths.iter().map(|p| (p.clone(), Route::never_answer())));
    let http = HttpFetch::new(quick(Duration::from_secs(1)));
    let errors: Vec<FetchError> = std::thread::scope(|s| {
        let handles: Vec<_> = paths
            .iter()
            .map(|p| s.spawn(|| http.get(&server.url(p)).unwrap_err()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (path, err) in paths.iter().zip(&errors) {
        assert_eq!(
            err,
            &FetchError::Timeout {
                url: server.url(path),
                seconds: 1
            }
        );
    }
    assert_eq!(server.connections(), 1, "{:?}", server.requests());
}

#[test]
fn importing_badges_of_dead_hosts_costs_one_attempt_per_host_and_says_could_not_check() {
    use crate::backpack::assertion;
    use crate::support::make_png;
    use satchel::backpack::{self, ImportInput, ImportOptions, ItemOutcome};
    use satchel::bake::{bake, Slot};
    use std::sync::atomic::AtomicBool;

    const N: usize = 24;
    // Every document the badges link to hangs: the assertions and their badge class.
    let silent = TestServer::start(
        (0..N)
            .map(|i| format!("/a/{i}.json"))
            .chain(["/listener.json".to_owned()])
            .map(|p| (p, Route::never_answer())),
    );
    let closed = format!("http://127.0.0.1:{}", closed_port());
    let mut inputs = Vec::new();
    for (base, host) in [(silent.base(), "silent"), (closed.clone(), "closed")] {
        for i in 0..N {
            let served = assertion(i, "listener").replace("{{base}}", &base);
            inputs.push(ImportInput::Bytes {
                name: format!("{host}-{i}.png"),
                bytes: bake(&make_png(8, 8), &served, Slot::OpenBadges).unwrap(),
            });
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let http = HttpFetch::new(quick(Duration::from_secs(1)));
    let fetch = CachingFetch::online(&http, &store);
    let report = backpack::import(
        &store,
        &fetch,
        &inputs,
        &ImportOptions {
            now: Some(crate::backpack::NOW),
            ..ImportOptions::default()
        },
        &|_| {},
        &AtomicBool::new(false),
    );
    assert_eq!(report.count(ItemOutcome::Imported), 2 * N, "{report:#?}");
    for item in &report.items {
        assert_eq!(
            item.status,
            Some(satchel::verify::Verdict::Unverifiable),
            "{item:?}"
        );
        let reason = item.reason.as_deref().unwrap_or_default();
        assert!(reason.contains("could not reach"), "{item:?}");
    }
    assert_eq!(silent.connections(), 1, "{:?}", silent.requests());
}

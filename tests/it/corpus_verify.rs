//! The whole shared corpus verified offline through the document cache, the
//! way a user would: `satchel cache import-dir` / `cache add` for the URL
//! mappings SOURCES.md gives, then `verify` with the network off.
//!
//! Unlike `ob2.rs` and `ob3.rs` (whose test-side `World` answers URLs from
//! files), nothing here stands in for the network: documents come from a real
//! [`Store`] through [`CachingFetch::offline`], which never opens a connection.
//! The mappings are the ones those `World`s use:
//!
//! - `ob2/hosted/assets/` answers for `https://example.org/`,
//!   `http://example.org/` and `https://www.example.org/` (`import_dir`);
//! - the DCC status lists and did:web documents, and the 1EdTech bit-string
//!   test list, at the URLs SOURCES.md names (`pin_file`, one file each:
//!   their URLs do not mirror the file names);
//! - the OB 2.0 extension contexts (`contexts/`) and their JSON Schemas
//!   (`tests/data/ob2-extensions/`) at their published URLs;
//! - a presented OB 2.0 hosted assertion is also pinned at its own id, as
//!   `ob2.rs`'s `world_with_self` serves it (upstream validates the JSON as
//!   given), and the OB 1.0 sample gets the `a.com` documents `ob2.rs`
//!   serves it. Those ids collide (most are `…/beths-robotics-badge.json`),
//!   so each such file gets a store of its own.
//!
//! One line per badge-like file (`path: verdict [failed checks]`) is compared
//! with `tests/data/corpus-verdicts.expected`. Regenerate with
//! `UPDATE_EXPECT=1 cargo test -p satchel --test it corpus_verify` and review
//! the diff like code.
//!
//! Known difference from `ob2.rs`'s `World`: there, a missing file under the
//! example.org prefixes answers HTTP 404; the cache has no 404 to give for a
//! URL nobody stored, so offline it is "not cached" (could not check). This
//! turns `ob2/baked-png/mozbackpack_legacy_text_url_404.png` and
//! `ob2/baked-png/vcore_baked_heart_ob2.png` from invalid into unverifiable;
//! both are among the outcomes SOURCES.md allows ("invalid/unverifiable",
//! "not resolvable offline").

use satchel::fetch::{import_dir, pin_file, CachingFetch, Fetch, FetchError, Fetched, Source};
use satchel::inspect::{inspect_path, Inspection};
use satchel::store::Store;
use satchel::verify::{verify, CheckStatus, Options, Report, Verdict};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// `ob2.rs`'s clock, 2025-01-01T00:00:00Z, for everything under `ob2/`.
const OB2_NOW: i64 = 1_735_689_600;
/// `ob3.rs`'s clock, 2026-06-01T00:00:00Z, for `ob3/` and `clr2/`.
const OB3_NOW: i64 = 1_780_272_000;

/// The hosts `ob2/hosted/assets/` answers for.
const EXAMPLE_ORG: [&str; 3] = [
    "https://example.org/",
    "http://example.org/",
    "https://www.example.org/",
];

const DCC: &str = "ob3/dcc-vc-test-fixtures";
const DCC_STATUS_LISTS: &str =
    "https://digitalcredentials.github.io/vc-test-fixtures/statusLists/didkey-ed25519Signature2020/";
const DCC_REGISTRY_LIST: &str = "https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/src/test-fixtures/status/e5WK8CbZ1GjycuPombrj";
const DCC_DIDS: &str = "https://digitalcredentials.github.io/vc-test-fixtures/dids/";
const EDTECH_TEST_LIST: &str = "https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist";

/// Files verified with another corpus file pinned at that file's id, as
/// `ob2.rs` does (besides every top-level JSON in `ob2/hosted/`, which is
/// pinned at its own id: see [`served_at_its_id`]).
const SERVED_AT_ID: &[(&str, &str)] = &[
    // The PNG holds basic-assertion.json.
    (
        "ob2/baked-png/dcpv_simple-badge_ob2.png",
        "ob2/hosted/basic-assertion.json",
    ),
    (
        "ob2/legacy/vcore_1_1_basic_assertion.json",
        "ob2/legacy/vcore_1_1_basic_assertion.json",
    ),
];

/// Further documents `ob2.rs` serves for one file, at URLs SOURCES.md does not
/// map (its OB 1.0 test serves the validator-core 1.0 trio on `a.com`).
const PINNED_FOR: &[(&str, &[(&str, &str)])] = &[(
    "ob2/legacy/vcore_1_0_basic_assertion.json",
    &[
        (
            "http://a.com/instance",
            "ob2/legacy/vcore_1_0_basic_assertion.json",
        ),
        (
            "http://a.com/badgeclass",
            "ob2/legacy/vcore_1_0_basic_badgeclass.json",
        ),
        (
            "http://a.com/issuer",
            "ob2/legacy/vcore_1_0_basic_issuer.json",
        ),
    ],
)];

fn pinned_for(rel: &str) -> &'static [(&'static str, &'static str)] {
    PINNED_FOR
        .iter()
        .find(|(f, _)| *f == rel)
        .map_or(&[], |(_, pins)| pins)
}

/// The corpus file to pin at its own id before verifying `rel`, if any.
fn served_at_its_id(rel: &str) -> Option<&str> {
    if let Some((_, served)) = SERVED_AT_ID.iter().find(|(f, _)| *f == rel) {
        return Some(served);
    }
    let name = rel.strip_prefix("ob2/hosted/")?;
    (!name.contains('/') && name.ends_with(".json")).then_some(rel)
}

fn rel_of(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

/// Opens a store in `data_dir` and pins every URL mapping SOURCES.md gives.
fn corpus_store(root: &Path, data_dir: &Path) -> Store {
    std::fs::create_dir_all(data_dir).unwrap();
    let store = Store::open_default(data_dir).unwrap();
    let assets = root.join("ob2/hosted/assets");
    for base in EXAMPLE_ORG {
        let n = import_dir(&store, &assets, base).unwrap();
        assert!(n >= 40, "{base}: only {n} assets imported");
    }
    let pin = |url: &str, rel: &str| {
        pin_file(&store, url, &root.join(rel)).unwrap_or_else(|e| panic!("{url}: {e}"));
    };
    // Status lists: `…/didkey-ed25519Signature2020/<name>` is `<name>.json`.
    let mut lists = Vec::new();
    lists.extend(crate::support::files_under(
        &root.join(DCC).join("statusLists"),
    ));
    for file in &lists {
        let name = file.file_stem().unwrap().to_str().unwrap();
        pin(&format!("{DCC_STATUS_LISTS}{name}"), &rel_of(root, file));
    }
    pin(
        DCC_REGISTRY_LIST,
        &format!("{DCC}/statusLists/e5WK8CbZ1GjycuPombrj.json"),
    );
    // did:web documents: `…/dids/<name>/did.json` is `<name>-did.json`.
    let mut dids = Vec::new();
    dids.extend(crate::support::files_under(&root.join(DCC).join("dids")));
    for file in &dids {
        let stem = file.file_stem().unwrap().to_str().unwrap();
        let name = stem.strip_suffix("-did").expect("dids/<name>-did.json");
        pin(&format!("{DCC_DIDS}{name}/did.json"), &rel_of(root, file));
    }
    pin(
        EDTECH_TEST_LIST,
        "ob3/1edtech-validator/bit-string-list/testlist",
    );
    // OB 2.0 extension contexts (the corpus's copies, at the URLs
    // `contexts/context-map.json` gives) and the JSON Schemas they name
    // (`tests/data/ob2-extensions/`, from the 1EdTech specification repository).
    for (url, name) in [
        ("exampleExtension", "obv2x-example-extension.json"),
        ("applyLinkExtension", "obv2x-applylink-extensions.json"),
    ] {
        pin(
            &format!("https://w3id.org/openbadges/extensions/{url}/context.json"),
            &format!("contexts/{name}"),
        );
        let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/data/ob2-extensions/{url}-schema.json"));
        pin_file(
            &store,
            &format!("https://openbadgespec.org/extensions/{url}/schema.json"),
            &schema,
        )
        .unwrap();
    }
    store
}

/// The offline cache, watched: every answer it gives is recorded, so a test
/// can show that none came from the network.
struct Watched<'a> {
    cache: CachingFetch<'a>,
    answers: Mutex<Vec<(String, Option<Source>)>>,
}

impl Fetch for Watched<'_> {
    fn get(&self, url: &str) -> Result<Fetched, FetchError> {
        let answer = self.cache.get(url);
        let source = answer.as_ref().ok().map(|f| f.source);
        self.answers.lock().unwrap().push((url.to_owned(), source));
        answer
    }
}

/// Badges and credentials: what `verify` is for (awards, any Verifiable
/// Credential, and bare URLs such as legacy baked PNGs).
fn is_badge_like(found: &Inspection) -> bool {
    found.kind.is_award() || found.vcdm.is_some() || found.document.is_none()
}

fn now_for(rel: &str) -> i64 {
    if rel.starts_with("ob2/") {
        OB2_NOW
    } else {
        OB3_NOW
    }
}

/// The corpus, its shared store, and a scratch directory for per-file stores.
struct Offline {
    root: PathBuf,
    tmp: tempfile::TempDir,
    shared: Mutex<Store>,
    stores: Mutex<usize>,
}

impl Offline {
    fn new(root: PathBuf) -> Offline {
        let tmp = tempfile::tempdir().unwrap();
        let shared = Mutex::new(corpus_store(&root, &tmp.path().join("shared")));
        Offline {
            root,
            tmp,
            shared,
            stores: Mutex::new(0),
        }
    }

    /// Verifies `found` (the corpus file `rel`) offline; also returns the
    /// URLs asked for with where each answer came from (`None`: no answer).
    fn verify(&self, rel: &str, found: &Inspection) -> (Report, Vec<(String, Option<Source>)>) {
        let own;
        let served = served_at_its_id(rel);
        let store = if served.is_none() && pinned_for(rel).is_empty() {
            &self.shared
        } else {
            let n = {
                let mut n = self.stores.lock().unwrap();
                *n += 1;
                *n
            };
            let store = corpus_store(&self.root, &self.tmp.path().join(format!("own-{n}")));
            if let Some(served) = served {
                let path = self.root.join(served);
                let doc = inspect_path(&path).unwrap().document.unwrap();
                let id = doc["id"].as_str().unwrap();
                pin_file(&store, id, &path).unwrap();
            }
            for (url, file) in pinned_for(rel) {
                pin_file(&store, url, &self.root.join(file)).unwrap();
            }
            own = Mutex::new(store);
            &own
        };
        let fetch = Watched {
            cache: CachingFetch::offline(store),
            answers: Mutex::new(Vec::new()),
        };
        let opts = Options {
            now: now_for(rel),
            recipients: vec![],
            recipient_rule: satchel::verify::RecipientRule::MustMatch,
        };
        let report = verify(found, &fetch, &opts);
        assert!(
            fetch.cache.store_errors().is_empty(),
            "{rel}: {:?}",
            fetch.cache.store_errors()
        );
        (report, fetch.answers.into_inner().unwrap())
    }

    fn verify_rel(&self, rel: &str) -> Report {
        let found = inspect_path(&self.root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let (report, answers) = self.verify(rel, &found);
        assert_cached(rel, &answers);
        report
    }
}

fn assert_cached(rel: &str, answers: &[(String, Option<Source>)]) {
    for (url, source) in answers {
        assert!(
            source.is_none_or(|s| s == Source::Cache),
            "{rel}: {url} was answered from {source:?}, not the cache"
        );
    }
}

fn line(rel: &str, report: &Report) -> String {
    let failed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .map(|c| c.id.as_str())
        .collect();
    format!(
        "{rel}: {} [{}]",
        serde_json::to_value(report.status)
            .unwrap()
            .as_str()
            .unwrap(),
        failed.join(", ")
    )
}

#[test]
fn the_corpus_verifies_offline_from_the_document_cache() {
    let Some(root) = crate::support::corpus() else {
        return;
    };
    let offline = Offline::new(root.clone());
    let mut files = Vec::new();
    for dir in ["ob2", "ob3", "clr2"] {
        files.extend(crate::support::files_under(&root.join(dir)));
    }
    let mut actual = String::new();
    let mut verified = 0;
    let mut unknown = std::collections::BTreeSet::new();
    for f in &files {
        let rel = rel_of(&root, f);
        let Ok(found) = inspect_path(f) else { continue };
        // The top-level JSON files of ob2/hosted are presented as badges
        // upstream, whatever they turn out to be.
        if !is_badge_like(&found) && served_at_its_id(&rel).is_none() {
            continue;
        }
        let (report, answers) = offline.verify(&rel, &found);
        assert_cached(&rel, &answers);
        unknown.extend(
            report
                .checks
                .iter()
                .filter(|c| !satchel::verify::checks::is_known(&c.id))
                .map(|c| c.id.clone()),
        );
        actual.push_str(&line(&rel, &report));
        actual.push('\n');
        verified += 1;
    }
    assert!(verified > 100, "only {verified} files verified");
    assert!(
        unknown.is_empty(),
        "check ids missing from verify::checks: {unknown:?}"
    );

    crate::support::check_expectation("corpus-verdicts.expected", &actual);
}

/// A handful of verdicts SOURCES.md states, checked one by one through the
/// offline cache (independently of the expectation file).
#[test]
fn key_verdicts_hold_offline() {
    let Some(root) = crate::support::corpus() else {
        return;
    };
    let offline = Offline::new(root);
    let cases: &[(&str, Verdict)] = &[
        // JWS keys, issuers and revocation lists from the imported assets.
        ("ob2/signed/dcpv_simple.jwt", Verdict::Verified),
        ("ob2/signed/dcpv_simple-not-revoked.jwt", Verdict::Verified),
        ("ob2/signed/dcpv_simple-revoked.jwt", Verdict::Revoked),
        // A hosted assertion pinned at its own id.
        ("ob2/hosted/basic-assertion.json", Verdict::Verified),
        ("ob2/hosted/basic-assertion-expired.json", Verdict::Expired),
        // The published OB 3.0 test vector and an expired 1EdTech sample: keys
        // written in the issuer URL's fragment, with no issuer profile
        // published to confirm them (the 1EdTech validator takes such keys as
        // the issuer's; Satchel could not check).
        (
            "ob3/test-vectors/ob3-eddsa-rdfc-2022/signed-credential.json",
            Verdict::Unverifiable,
        ),
        // Expired outranks "could not check": the date has certainly passed.
        ("ob3/1edtech-validator/simple-err-expired.json", Verdict::Expired),
        (
            "ob3/dcc-vc-test-fixtures/v2/ed25519/didKey/legacy-noStatus-noExpiry-tampered.json",
            Verdict::Invalid,
        ),
        // A pinned status list, a pinned did:web document, the 1EdTech test list.
        (
            "ob3/dcc-vc-test-fixtures/v2/dataIntegrityProof/didKey/noRegistry-revokedStatus-noExpiry.json",
            Verdict::Revoked,
        ),
        (
            "ob3/dcc-vc-test-fixtures/v2/ed25519/didWeb/oidf-noStatus-notExpired.json",
            Verdict::Verified,
        ),
        // Its status list is signed with a fragment key as well: whether the
        // badge was revoked cannot be trusted without the issuer's profile.
        (
            "ob3/1edtech-validator/bit-string-list/credential-status-revoked.json",
            Verdict::Unverifiable,
        ),
    ];
    for (rel, want) in cases {
        let report = offline.verify_rel(rel);
        assert_eq!(report.status, *want, "{}", line(rel, &report));
    }
    // Nothing outside the mappings is reachable: a URL nobody pinned is
    // "not cached", which leaves the badge unverifiable, never invalid.
    let legacy = offline.verify_rel("ob2/baked-png/mozbackpack_legacy_text_hosted_url.png");
    assert_eq!(legacy.status, Verdict::Unverifiable);
    assert!(offline
        .shared
        .lock()
        .unwrap()
        .get_document("https://example.org/assertion")
        .unwrap()
        .is_none());
}

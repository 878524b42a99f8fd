//! Issuer mode end to end through the application façade: a real data
//! folder (SQLite file and key files), badges awarded and baked, the
//! publish folder served by the real HTTP server on 127.0.0.1 (or read
//! through `DirFetch` for an https did:web issuer), and the badges imported
//! into a second, ordinary backpack, where they must come out verified and
//! the user's own.

use crate::app::app;
use crate::backpack::NOW;
use crate::server::{Route, TestServer};
use crate::support::{files_under, make_png};
use satchel::app::{App, ErrorCode, IssuerEdit, NewClass, NewIssuer};
use satchel::backpack::{ImportInput, ItemOutcome};
use satchel::issuer::AwardInput;
use satchel::store::BadgeQuery;
use satchel::verify::Verdict;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

const ADA: &str = "ada.lovelace@example.org";

pub(crate) struct World {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    pub(crate) issuer_app: App,
}

impl World {
    pub(crate) fn new() -> World {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        let issuer_app = app(&root.join("issuer-data"));
        World {
            _tmp: tmp,
            root,
            issuer_app,
        }
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    fn image(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    pub(crate) fn issuer(&self, base: &str, ob3_identity: Option<&str>) -> i64 {
        self.issuer_app
            .create_issuer(&NewIssuer {
                name: "Harbour Coding Club".into(),
                url: "https://club.example/".into(),
                email: "badges@club.example".into(),
                base_url: base.into(),
                description: Some("A <club> that codes & sails.".into()),
                image: None,
                ob3_identity: ob3_identity.map(str::to_owned),
            })
            .unwrap()
            .issuer
            .id
    }

    fn class(&self, issuer: i64, format: &str, vc_jwt: bool) -> i64 {
        self.class_with(issuer, format, vc_jwt, false)
    }

    fn class_with(&self, issuer: i64, format: &str, vc_jwt: bool, suspendable: bool) -> i64 {
        self.class_valid_for(issuer, format, vc_jwt, suspendable, Some("2y"))
    }

    /// A class whose badges are valid for `valid_for` (`None`: no expiry).
    pub(crate) fn class_valid_for(
        &self,
        issuer: i64,
        format: &str,
        vc_jwt: bool,
        suspendable: bool,
        valid_for: Option<&str>,
    ) -> i64 {
        let image = self.image("class.png", &make_png(128, 128));
        self.issuer_app
            .create_class(&NewClass {
                issuer,
                name: "Harbour Navigator".into(),
                description: "Plotted a course across the harbour.".into(),
                image,
                criteria: Some("Plot a course.\n\nSail it.".into()),
                format: format.into(),
                vc_jwt,
                suspendable,
                valid_for: valid_for.map(str::to_owned),
                tags: vec!["sailing".into()],
                ..NewClass::default()
            })
            .unwrap()
            .id
    }

    /// A class of `format` with an SVG image (no validity period).
    pub(crate) fn svg_class(&self, issuer: i64, format: &str) -> i64 {
        let svg = self.image(
            "class.svg",
            br#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200"><circle cx="100" cy="100" r="90" fill="teal"/></svg>"#,
        );
        self.issuer_app
            .create_class(&NewClass {
                issuer,
                name: format!("Vector {format}"),
                description: "Drawn, not painted.".into(),
                image: svg,
                criteria: Some("Draw it.".into()),
                format: format.into(),
                ..NewClass::default()
            })
            .unwrap()
            .id
    }

    /// An award to `who` that must be refused.
    fn refused(&self, class: i64, who: &str) -> satchel::app::AppError {
        self.issuer_app
            .award(
                class,
                &AwardInput {
                    recipient: who.into(),
                    ..AwardInput::default()
                },
                &self.path("out"),
            )
            .unwrap_err()
    }

    pub(crate) fn award(&self, class: i64, who: &str, out: &str) -> satchel::app::AwardDone {
        self.issuer_app
            .award(
                class,
                &AwardInput {
                    recipient: who.into(),
                    name: Some("Ada Lovelace".into()),
                    narrative: Some("Crossed in fog.".into()),
                    ..AwardInput::default()
                },
                &self.path(out),
            )
            .unwrap()
    }
}

/// Serves every file of `dir` under `/badges/` on `server`.
pub(crate) fn serve(server: &TestServer, dir: &Path) {
    for f in files_under(dir) {
        let rel = f
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let ct = match f.extension().and_then(|e| e.to_str()) {
            Some("json") => "application/json",
            Some("png") => "image/png",
            Some("svg") => "image/svg+xml",
            _ => "text/html",
        };
        server.set(
            &format!("/badges/{rel}"),
            Route::ok(ct, std::fs::read(&f).unwrap()),
        );
    }
}

/// Imports `file` into a fresh backpack that knows `identity`; returns
/// the stored status and whether it is the user's.
fn import_into_backpack(root: &Path, file: &Path, identity: &str) -> (String, bool) {
    let backpack = app(&root.join(format!("backpack-{}", rand_suffix(file))));
    backpack.add_identity(identity).unwrap();
    let (report, _) = backpack.import(
        &[ImportInput::Path(file.to_path_buf())],
        &|_| {},
        &AtomicBool::new(false),
    );
    assert_eq!(
        report.items[0].outcome,
        ItemOutcome::Imported,
        "{:?}",
        report.items[0]
    );
    let page = backpack.list(&BadgeQuery::default()).unwrap();
    let b = &page.items[0];
    (b.status.clone(), b.yours)
}

fn rand_suffix(file: &Path) -> String {
    satchel::issuer::safe_name(&file.display().to_string())
}

fn verify_file(
    file: &Path,
    fetch: &dyn satchel::fetch::Fetch,
    who: &str,
) -> satchel::verify::Report {
    verify_at(file, fetch, who, NOW)
}

fn verify_at(
    file: &Path,
    fetch: &dyn satchel::fetch::Fetch,
    who: &str,
    now: i64,
) -> satchel::verify::Report {
    let inspection = satchel::inspect::inspect_path(file).unwrap();
    satchel::verify::verify(
        &inspection,
        fetch,
        &satchel::verify::Options {
            now,
            recipients: vec![who.to_owned()],
            recipient_rule: satchel::verify::RecipientRule::MustMatch,
        },
    )
}

#[test]
fn an_ob3_badge_of_an_https_profile_issuer_verifies_over_http_and_is_yours() {
    let w = World::new();
    let server = TestServer::start(Vec::<(String, Route)>::new());
    let issuer = w.issuer(&server.url("/badges/"), None);
    let class = w.class(issuer, "ob3", true);
    let done = w.award(class, "Ada.Lovelace@Example.org", "out");
    assert_eq!(done.files.len(), 3, "{:?}", done.files);
    assert!(done.files[0].ends_with(".png"));
    assert!(done.files[0].contains("harbour-navigator-ada-lovelace"));
    let report = w.issuer_app.publish(issuer, &w.path("site")).unwrap();
    assert!(report.added.contains(&"profile.json".to_owned()));
    assert!(report.added.contains(&"status/revocation.json".to_owned()));
    serve(&server, &w.path("site"));

    let baked = PathBuf::from(&done.files[0]);
    let (status, yours) = import_into_backpack(&w.root, &baked, ADA);
    assert_eq!(status, "verified");
    assert!(yours);
    // The VC-JWT beside it verifies too.
    let (status, yours) = import_into_backpack(&w.root, Path::new(&done.files[2]), ADA);
    assert_eq!(status, "verified");
    assert!(yours);
}

#[test]
fn an_ob3_badge_of_a_did_web_issuer_verifies_through_the_folder() {
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    let view = w.issuer_app.issuer(issuer).unwrap();
    assert_eq!(view.ob3_issuer, "did:web:club.example:badges");
    let class = w.class(issuer, "ob3", false);
    let done = w.award(class, ADA, "out");
    w.issuer_app.publish(issuer, &w.path("site")).unwrap();
    let did: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.path("site/did.json")).unwrap()).unwrap();
    assert_eq!(did["id"], "did:web:club.example:badges");
    assert_eq!(
        did["assertionMethod"][0],
        "did:web:club.example:badges#key-1"
    );
    let fetch =
        satchel::fetch::DirFetch::new("https://club.example/badges/", w.path("site")).unwrap();
    let report = verify_file(Path::new(&done.files[0]), &fetch, ADA);
    assert_eq!(report.status, Verdict::Verified, "{:#?}", report.checks);
    // Someone else's identity does not match.
    let report = verify_file(Path::new(&done.files[0]), &fetch, "eve@example.org");
    assert_ne!(report.status, Verdict::Verified);
}

#[test]
fn publishing_twice_gives_the_same_bytes_and_lists_what_changed() {
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    let class = w.class(issuer, "ob3", false);
    w.award(class, ADA, "out");
    let first = w.issuer_app.publish(issuer, &w.path("site")).unwrap();
    assert!(first.changed.is_empty() && first.removed.is_empty());
    let before: Vec<(PathBuf, Vec<u8>)> = files_under(&w.path("site"))
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(&f).unwrap()))
        .collect();
    let again = w.issuer_app.publish(issuer, &w.path("site")).unwrap();
    assert!(
        again.added.is_empty() && again.changed.is_empty() && again.removed.is_empty(),
        "{again:?}"
    );
    for (f, bytes) in &before {
        assert_eq!(&std::fs::read(f).unwrap(), bytes, "{}", f.display());
    }
    // A second class adds its files and changes the index and manifest.
    w.class(issuer, "ob3", false);
    let third = w.issuer_app.publish(issuer, &w.path("site")).unwrap();
    assert!(
        third.added.contains(&"classes/2.json".to_owned()),
        "{third:?}"
    );
    assert!(
        third.changed.contains(&"index.html".to_owned()),
        "{third:?}"
    );
    // A folder that is not a publish folder is never overwritten.
    std::fs::create_dir_all(w.path("mine")).unwrap();
    std::fs::write(w.path("mine/notes.txt"), "keep").unwrap();
    let err = w.issuer_app.publish(issuer, &w.path("mine")).unwrap_err();
    assert!(err.message().contains("not a publish folder"), "{err}");
    assert_eq!(std::fs::read(w.path("mine/notes.txt")).unwrap(), b"keep");
}

#[test]
fn the_base_url_cannot_change_after_awards() {
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    let moved = IssuerEdit {
        base_url: Some("https://club.example/b2/".into()),
        ..IssuerEdit::default()
    };
    w.issuer_app.edit_issuer(issuer, &moved).unwrap();
    let class = w.class(issuer, "ob3", false);
    w.award(class, ADA, "out");
    let back = IssuerEdit {
        base_url: Some("https://club.example/badges/".into()),
        ..IssuerEdit::default()
    };
    let err = w.issuer_app.edit_issuer(issuer, &back).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Invalid);
    assert!(err.message().contains("https://club.example/b2/"), "{err}");
    assert!(w
        .issuer_app
        .edit_issuer(
            issuer,
            &IssuerEdit {
                name: Some("Harbour Club".into()),
                ..IssuerEdit::default()
            }
        )
        .is_ok());
}

#[test]
fn no_private_key_or_plain_recipient_reaches_the_publish_folder() {
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    let class = w.class(issuer, "ob3", true);
    w.award(class, ADA, "out");
    w.issuer_app.publish(issuer, &w.path("site")).unwrap();
    let mut secrets: Vec<Vec<u8>> = vec![
        ADA.as_bytes().to_vec(),
        b"Ada Lovelace".to_vec(),
        b"PRIVATE KEY".to_vec(),
    ];
    let keys = w.issuer_app.data_dir().join("issuer-keys");
    for f in files_under(&keys) {
        let text = std::fs::read_to_string(&f).unwrap();
        let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
        secrets.push(body.as_bytes().to_vec());
        // Every 32-character run of the base64 too (a key split over lines).
        for line in text.lines().filter(|l| !l.starts_with("-----")) {
            secrets.push(line.as_bytes().to_vec());
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&f).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }
    for dir in [w.path("site"), w.path("out")] {
        for f in files_under(&dir) {
            let bytes = std::fs::read(&f).unwrap();
            for s in &secrets {
                assert!(
                    !bytes
                        .windows(s.len())
                        .any(|win| win.eq_ignore_ascii_case(s)),
                    "{} holds {:?}",
                    f.display(),
                    String::from_utf8_lossy(s)
                );
            }
        }
    }
    // The database holds no key either.
    let db = std::fs::read(w.issuer_app.database()).unwrap();
    assert!(!db.windows(11).any(|x| x == b"PRIVATE KEY"));
}

#[test]
fn a_key_file_others_can_read_is_refused_with_the_fix() {
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    let class = w.class(issuer, "ob3", false);
    let key = w
        .issuer_app
        .data_dir()
        .join("issuer-keys")
        .join(format!("issuer-{issuer}-key-1.pem"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = w.refused(class, ADA);
        assert!(
            err.message()
                .contains(&format!("chmod 600 {}", key.display())),
            "{err}"
        );
        assert!(w.issuer_app.awards(None, None).unwrap().is_empty());
        assert!(!w.path("out").exists() || files_under(&w.path("out")).is_empty());
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    std::fs::remove_file(&key).unwrap();
    let err = w.refused(class, ADA);
    assert!(err.message().contains("is missing"), "{err}");
    assert!(w.issuer_app.awards(None, None).unwrap().is_empty());
}

#[test]
fn bad_award_input_is_refused_in_one_sentence_and_nothing_is_stored() {
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    let class = w.class(issuer, "ob3", false);
    for (input, words) in [
        (
            AwardInput {
                recipient: "ada".into(),
                ..AwardInput::default()
            },
            "not an email address",
        ),
        (
            AwardInput {
                recipient: ADA.into(),
                expires: Some(NOW - 10),
                ..AwardInput::default()
            },
            "expiry",
        ),
        (
            AwardInput {
                recipient: ADA.into(),
                issued_on: Some(NOW + 86_400),
                ..AwardInput::default()
            },
            "future",
        ),
    ] {
        let err = w
            .issuer_app
            .award(class, &input, &w.path("out"))
            .unwrap_err();
        assert!(err.message().contains(words), "{err}");
        assert!(!err.message().contains('\n'));
    }
    let err = w
        .issuer_app
        .award(
            99,
            &AwardInput {
                recipient: ADA.into(),
                ..AwardInput::default()
            },
            &w.path("out"),
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(w.issuer_app.awards(None, None).unwrap().is_empty());
}

/// Awards one badge of `format` over the real HTTP server, publishes, and
/// returns the world, the server, the issuer, the award and its baked file.
fn served_award(format: &str) -> (World, TestServer, i64, satchel::app::AwardDone) {
    served_award_with(format, false)
}

/// [`served_award`], of a class that may be suspended or not.
fn served_award_with(
    format: &str,
    suspendable: bool,
) -> (World, TestServer, i64, satchel::app::AwardDone) {
    let w = World::new();
    let server = TestServer::start(Vec::<(String, Route)>::new());
    let issuer = w.issuer(&server.url("/badges/"), None);
    let class = w.class_with(issuer, format, false, suspendable);
    let done = w.award(class, ADA, "out");
    w.issuer_app.publish(issuer, &w.path("site")).unwrap();
    serve(&server, &w.path("site"));
    (w, server, issuer, done)
}

#[test]
fn ob2_hosted_and_signed_badges_verify_over_http_and_are_yours() {
    for format in ["ob2-hosted", "ob2-signed"] {
        let (w, _server, issuer, done) = served_award(format);
        let (status, yours) = import_into_backpack(&w.root, Path::new(&done.files[0]), ADA);
        assert_eq!(status, "verified", "{format}");
        assert!(yours, "{format}");
        let view = w.issuer_app.issuer(issuer).unwrap();
        let profile: serde_json::Value =
            serde_json::from_slice(&std::fs::read(w.path("site/issuer.json")).unwrap()).unwrap();
        if format == "ob2-signed" {
            assert!(view.keys.iter().any(|k| k.algorithm == "rsa"));
            assert!(done.files[1].ends_with(".jws"));
            let key: serde_json::Value =
                serde_json::from_slice(&std::fs::read(w.path("site/keys/rsa-1.json")).unwrap())
                    .unwrap();
            assert_eq!(key["owner"], profile["id"]);
            assert_eq!(profile["publicKey"][0], key["id"]);
        } else {
            assert!(!view.keys.iter().any(|k| k.algorithm == "rsa"));
        }
    }
}

/// Re-publishes and serves the folder again.
fn republish(w: &World, server: &TestServer, issuer: i64) {
    w.issuer_app.publish(issuer, &w.path("site")).unwrap();
    serve(server, &w.path("site"));
}

#[test]
fn revoked_badges_of_every_format_come_out_revoked_after_the_next_publish() {
    for format in ["ob3", "ob2-hosted", "ob2-signed"] {
        let (w, server, issuer, done) = served_award(format);
        let revoked = w.issuer_app.revoke(done.id, "Awarded by mistake").unwrap();
        assert!(revoked.revoked.is_some());
        let again = w.issuer_app.revoke(done.id, "twice").unwrap_err();
        assert!(again.message().contains("final"), "{again}");
        let report = w.issuer_app.publish(issuer, &w.path("site")).unwrap();
        assert!(
            report.changed.contains(&"manifest.json".to_owned()),
            "{report:?}"
        );
        serve(&server, &w.path("site"));
        let (status, _) = import_into_backpack(&w.root, Path::new(&done.files[0]), ADA);
        assert_eq!(status, "revoked", "{format}");
        if format == "ob2-hosted" {
            let hosted = w
                .path("site/assertions")
                .read_dir()
                .unwrap()
                .next()
                .unwrap()
                .unwrap()
                .path();
            let doc: serde_json::Value =
                serde_json::from_slice(&std::fs::read(hosted).unwrap()).unwrap();
            assert_eq!(doc["revoked"], true);
            assert_eq!(doc["revocationReason"], "Awarded by mistake");
            let list: serde_json::Value =
                serde_json::from_slice(&std::fs::read(w.path("site/revocations.json")).unwrap())
                    .unwrap();
            assert_eq!(list["revokedAssertions"][0]["id"], doc["id"]);
        }
    }
}

#[test]
fn a_suspended_ob3_badge_is_suspended_until_it_is_unsuspended() {
    let (w, server, issuer, done) = served_award_with("ob3", true);
    w.issuer_app.suspend(done.id, true).unwrap();
    republish(&w, &server, issuer);
    let file = PathBuf::from(&done.files[0]);
    let report = verify_file(
        &file,
        &satchel::fetch::DirFetch::new(&server.url("/badges/"), w.path("site")).unwrap(),
        ADA,
    );
    assert_eq!(report.status, Verdict::Suspended, "{:#?}", report.checks);
    assert!(
        report
            .checks
            .iter()
            .any(|c| c.message.contains("suspended")),
        "{:#?}",
        report.checks
    );
    // Kept in a backpack, served over HTTP: suspended in the store, the
    // filter, the CLI's text and JSON (exit code 1, as for revoked).
    let data = w.path("backpack-suspended");
    let backpack = app(&data);
    backpack.add_identity(ADA).unwrap();
    let (imported, _) = backpack.import(
        &[ImportInput::Path(file.clone())],
        &|_| {},
        &AtomicBool::new(false),
    );
    assert_eq!(imported.items[0].outcome, ItemOutcome::Imported);
    let suspended = BadgeQuery {
        status: vec!["suspended".to_owned()],
        ..BadgeQuery::default()
    };
    let page = backpack.list(&suspended).unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].status, "suspended");
    let (code, out, err) = cli(&data, &["list", "--status", "suspended", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json_line(&out)["status"], "suspended", "{out}");
    let (code, out, _) = cli(&data, &["list", "--status", "verified"]);
    assert_eq!(code, 0);
    assert!(out.contains("No badge matches."), "{out}");
    let file_arg = file.to_str().unwrap();
    let (code, out, err) = cli(&data, &["verify", file_arg, "--allow-private-network"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("SUSPENDED"), "{out}");
    let (code, out, _) = cli(
        &data,
        &["verify", file_arg, "--allow-private-network", "--json"],
    );
    assert_eq!(code, 1);
    assert_eq!(json_line(&out)["status"], "suspended", "{out}");

    w.issuer_app.suspend(done.id, false).unwrap();
    republish(&w, &server, issuer);
    let report = verify_file(
        &file,
        &satchel::fetch::DirFetch::new(&server.url("/badges/"), w.path("site")).unwrap(),
        ADA,
    );
    assert_eq!(report.status, Verdict::Verified, "{:#?}", report.checks);
    // Checked again, the backpack says the suspension was lifted.
    let id = page.items[0].id;
    let (again, _) = backpack.reverify(&[id], &|_, _, _| {}, &AtomicBool::new(false));
    let item = &again.items[0];
    assert_eq!(item.before, Some(Verdict::Suspended));
    assert_eq!(item.after, Some(Verdict::Verified));
    assert!(
        item.changes
            .contains(&satchel::backpack::Change::NoLongerSuspended),
        "{:?}",
        item.changes
    );
    assert!(item.changes[0].message().contains("no longer suspended"));
    assert!(backpack.list(&suspended).unwrap().items.is_empty());
    let (status, _) = import_into_backpack(&w.root, &file, ADA);
    assert_eq!(status, "verified");
    // Nor can a badge of a class that is not suspendable (it has no such status entry).
    let (w3, _s3, _i3, done3) = served_award("ob3");
    let err = w3.issuer_app.suspend(done3.id, true).unwrap_err();
    assert!(err.message().contains("--suspendable"), "{err}");
    // OB 2.0 badges cannot be suspended.
    let (w2, _s2, _i2, done2) = served_award("ob2-hosted");
    let err = w2.issuer_app.suspend(done2.id, true).unwrap_err();
    assert!(err.message().contains("cannot be suspended"), "{err}");
}

#[test]
fn awards_are_listed_by_class_and_found_by_recipient() {
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    let a = w.class(issuer, "ob3", false);
    let b = w.class(issuer, "ob2-hosted", false);
    w.award(a, ADA, "out");
    w.award(b, "grace@example.org", "out");
    assert_eq!(w.issuer_app.awards(None, None).unwrap().len(), 2);
    assert_eq!(
        w.issuer_app.awards(Some(b), None).unwrap()[0].recipient,
        "grace@example.org"
    );
    let found = w.issuer_app.awards(None, Some("GRACE@")).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].class_id, b);
    // The recipient's name is searched too.
    assert_eq!(
        w.issuer_app
            .awards(Some(a), Some("lovelace"))
            .unwrap()
            .len(),
        1
    );
    assert!(w.issuer_app.awards(Some(99), None).is_err());
}

/// Runs `satchel` on `data`; returns (exit code, stdout, stderr).
fn cli(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = crate::support::satchel_in(data, args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json_line(text: &str) -> serde_json::Value {
    serde_json::from_str(text.lines().next().unwrap_or(""))
        .unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn the_cli_issues_from_nothing_to_a_verified_badge_and_a_published_folder() {
    let w = World::new();
    let data = w.path("cli-data");
    let image = w.image("navigator.png", &make_png(128, 128));
    let (code, out, err) = cli(
        &data,
        &[
            "issuer",
            "create",
            "--name",
            "Harbour Coding Club",
            "--url",
            "https://club.example/",
            "--email",
            "badges@club.example",
            "--base-url",
            "https://club.example/badges/",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let issuer = json_line(&out);
    assert_eq!(issuer["id"], 1);
    assert_eq!(issuer["ob3_issuer"], "did:web:club.example:badges");
    let (code, out, err) = cli(
        &data,
        &[
            "badgeclass",
            "create",
            "--issuer",
            "1",
            "--name",
            "Harbour Navigator",
            "--description",
            "Plotted a course.",
            "--image",
            image.to_str().unwrap(),
            "--criteria",
            "Plot a course.",
            "--format",
            "ob3",
            "--vc-jwt",
            "--valid-for",
            "2y",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(json_line(&out)["id"], 1);
    let out_dir = w.path("awarded");
    let (code, out, err) = cli(
        &data,
        &[
            "award",
            "--class",
            "1",
            "--recipient",
            ADA,
            "--out",
            out_dir.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let award = json_line(&out);
    assert_eq!(award["id"], 1);
    let files: Vec<String> = award["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(files.len(), 3);
    let site = w.path("site");
    let (code, out, err) = cli(&data, &["publish", "1", "--out", site.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("added"), "{out}");
    let (code, out, _) = cli(&data, &["publish", "1", "--out", site.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("Nothing changed"), "{out}");
    let fetch = satchel::fetch::DirFetch::new("https://club.example/badges/", &site).unwrap();
    assert_eq!(
        verify_at(Path::new(&files[0]), &fetch, ADA, satchel::clock::now()).status,
        Verdict::Verified
    );
    let (code, out, _) = cli(&data, &["awards", "--search", "ada", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(json_line(&out)["recipient"], ADA);
    let (code, _, err) = cli(&data, &["revoke", "1", "--reason", "Mistake"]);
    assert_eq!(code, 0, "{err}");
    cli(&data, &["publish", "1", "--out", site.to_str().unwrap()]);
    assert_eq!(
        verify_at(Path::new(&files[0]), &fetch, ADA, satchel::clock::now()).status,
        Verdict::Revoked
    );
    // Refusals: one line naming the thing, exit code 1 (2 for usage).
    let wide = w.image("wide.png", &make_png(300, 200));
    let hostile = w.image(
        "hostile.svg",
        br#"<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512"><script>alert(1)</script></svg>"#,
    );
    let class_with = |image: &Path| {
        vec![
            "badgeclass".to_owned(),
            "create".to_owned(),
            "--issuer".to_owned(),
            "1".to_owned(),
            "--name".to_owned(),
            "N".to_owned(),
            "--description".to_owned(),
            "D".to_owned(),
            "--image".to_owned(),
            image.display().to_string(),
            "--criteria".to_owned(),
            "C".to_owned(),
            "--format".to_owned(),
            "ob3".to_owned(),
        ]
    };
    for (args, words) in [
        (
            class_with(&wide),
            "300×200 pixels; a badge image must be square",
        ),
        (
            class_with(&hostile),
            "a badge image must be a plain picture",
        ),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = cli(&data, &args);
        assert_eq!(code, 1, "{args:?}: {out}{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(words), "{args:?}: {err}");
    }
    for (args, code_wanted, words) in [
        (
            vec!["award", "--class", "7", "--recipient", ADA, "--out", "x"],
            1,
            "no badge class 7",
        ),
        (vec!["revoke", "1", "--reason", "again"], 1, "final"),
        (
            vec![
                "award",
                "--class",
                "1",
                "--recipient",
                ADA,
                "--expires",
                "31/12/2030",
                "--out",
                "x",
            ],
            2,
            "--expires",
        ),
        (
            vec![
                "issuer",
                "edit",
                "1",
                "--base-url",
                "https://other.example/",
            ],
            1,
            "cannot change",
        ),
        (
            vec![
                "badgeclass",
                "create",
                "--issuer",
                "1",
                "--name",
                "N",
                "--description",
                "D",
                "--image",
                image.to_str().unwrap(),
                "--criteria",
                "C",
                "--format",
                "ob4",
            ],
            1,
            "ob4",
        ),
    ] {
        let (code, out, err) = cli(&data, &args);
        assert_eq!(code, code_wanted, "{args:?}: {out}{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(words), "{args:?}: {err}");
    }
    let (code, out, _) = cli(&data, &["issuer", "create", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("Example"), "{out}");
}

#[test]
fn issued_badges_match_the_official_schemas_and_draw_no_warning() {
    for format in ["ob3", "ob2-hosted", "ob2-signed"] {
        let w = World::new();
        let issuer = w.issuer("https://club.example/badges/", None);
        let class = w.class(issuer, format, format == "ob3");
        let done = w.award(class, ADA, "out");
        w.issuer_app.publish(issuer, &w.path("site")).unwrap();
        let fetch =
            satchel::fetch::DirFetch::new("https://club.example/badges/", w.path("site")).unwrap();
        for file in &done.files {
            let report = verify_file(Path::new(file), &fetch, ADA);
            assert_eq!(report.status, Verdict::Verified, "{file}");
            let warnings: Vec<&str> = report
                .checks
                .iter()
                .filter(|c| c.status == satchel::verify::CheckStatus::Warn)
                .map(|c| c.message.as_str())
                .collect();
            // A VC-JWT to an email recipient has no `sub` claim (no subject id).
            let expected: &[&str] = if file.ends_with(".jwt") {
                &["The JWT's claims agree with the credential, but some are missing."]
            } else {
                &[]
            };
            assert_eq!(warnings, expected, "{format} {file}");
        }
    }
}

#[test]
fn an_svg_class_image_gives_a_baked_svg_with_the_openbadges_prefix() {
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    let fetch =
        satchel::fetch::DirFetch::new("https://club.example/badges/", w.path("site")).unwrap();
    for (format, element) in [
        ("ob3", "<openbadges:credential"),
        ("ob2-hosted", "<openbadges:assertion"),
    ] {
        let class = w.svg_class(issuer, format);
        let done = w.award(class, ADA, &format!("out-{format}"));
        assert!(done.files[0].ends_with(".svg"), "{:?}", done.files);
        let text = std::fs::read_to_string(&done.files[0]).unwrap();
        assert!(text.contains(element), "{text}");
        w.issuer_app.publish(issuer, &w.path("site")).unwrap();
        assert_eq!(
            verify_file(Path::new(&done.files[0]), &fetch, ADA).status,
            Verdict::Verified
        );
    }
    // Not an image at all: refused, naming the file.
    let bad = w.image("notes.txt", b"just text");
    let err = w
        .issuer_app
        .create_class(&NewClass {
            issuer,
            name: "N".into(),
            description: "D".into(),
            image: bad.clone(),
            criteria: Some("C".into()),
            format: "ob3".into(),
            ..NewClass::default()
        })
        .unwrap_err();
    assert!(err.message().contains(&bad.display().to_string()), "{err}");
    assert!(err.message().contains("PNG or SVG"), "{err}");
}

#[test]
fn a_csv_is_checked_dry_run_first_and_never_awards_twice() {
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    let class = w.class(issuer, "ob3", false);
    let csv = w.path("learners.csv");
    std::fs::write(
        &csv,
        "\u{feff}Email;Name;Issue date;Evidence URL\n\
         ada@example.org;Ada;2024-12-30;https://club.example/logs/ada\n\
         grace@example.org;Grace;;\n\
         ADA@example.org;Ada again;2024-12-30;\n",
    )
    .unwrap();
    let never = AtomicBool::new(false);
    let dry = w
        .issuer_app
        .award_csv(class, &csv, true, &w.path("out"), &|_, _| {}, &never)
        .unwrap();
    let outcomes: Vec<&str> = dry.rows.iter().map(|r| r.outcome).collect();
    assert_eq!(outcomes, ["would award", "would award", "already awarded"]);
    assert!(w.issuer_app.awards(None, None).unwrap().is_empty());
    assert!(!w.path("out").exists());

    let run = w
        .issuer_app
        .award_csv(class, &csv, false, &w.path("out"), &|_, _| {}, &never)
        .unwrap();
    assert_eq!(
        run.rows.iter().filter(|r| r.outcome == "awarded").count(),
        2
    );
    assert_eq!(run.rows[0].line, 2);
    assert_eq!(run.rows[0].files.len(), 2);
    assert_eq!(w.issuer_app.awards(None, None).unwrap().len(), 2);
    let again = w
        .issuer_app
        .award_csv(class, &csv, false, &w.path("out"), &|_, _| {}, &never)
        .unwrap();
    assert!(
        again.rows.iter().all(|r| r.outcome == "already awarded"),
        "{:?}",
        again.rows
    );
    assert_eq!(w.issuer_app.awards(None, None).unwrap().len(), 2);

    // Bad rows: listed by line and column, nothing awarded.
    let bad = w.path("bad.csv");
    std::fs::write(
        &bad,
        "email,expires\nlin@example.org,2030-01-01\nnot-an-address,\nmay@example.org,next year\n",
    )
    .unwrap();
    let report = w
        .issuer_app
        .award_csv(class, &bad, false, &w.path("out"), &|_, _| {}, &never)
        .unwrap();
    let said: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
    assert_eq!(said.len(), 2, "{said:?}");
    assert!(said[0].starts_with("line 3, column \"email\""), "{said:?}");
    assert!(
        said[1].starts_with("line 4, column \"expires\""),
        "{said:?}"
    );
    assert_eq!(w.issuer_app.awards(None, None).unwrap().len(), 2);

    // Stopped after the first award: it stays, the rest are not reached.
    let more = w.path("more.csv");
    std::fs::write(
        &more,
        "email\na@example.org\nb@example.org\nc@example.org\n",
    )
    .unwrap();
    let stop = AtomicBool::new(false);
    let report = w
        .issuer_app
        .award_csv(
            class,
            &more,
            false,
            &w.path("out"),
            &|n, _| {
                if n == 1 {
                    stop.store(true, std::sync::atomic::Ordering::SeqCst);
                }
            },
            &stop,
        )
        .unwrap();
    assert!(report.cancelled);
    assert_eq!(report.rows.len(), 1);
    assert_eq!(
        w.issuer_app
            .awards(None, Some("example.org"))
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn the_cli_lists_bad_csv_rows_by_line_and_awards_nothing() {
    let w = World::new();
    let data = w.path("cli-data");
    let issuer = app(&data);
    let id = issuer
        .create_issuer(&NewIssuer {
            name: "Club".into(),
            url: "https://club.example/".into(),
            email: "badges@club.example".into(),
            base_url: "https://club.example/badges/".into(),
            ..NewIssuer::default()
        })
        .unwrap()
        .issuer
        .id;
    let image = w.image("c.png", &make_png(100, 100));
    let class = issuer
        .create_class(&NewClass {
            issuer: id,
            name: "C".into(),
            description: "D".into(),
            image,
            criteria: Some("Do it.".into()),
            format: "ob3".into(),
            ..NewClass::default()
        })
        .unwrap()
        .id;
    drop(issuer);
    let csv = w.path("rows.csv");
    std::fs::write(&csv, "email,issue date\nada@example.org,2025-13-01\nbob,\n").unwrap();
    let out = w.path("out");
    let class = class.to_string();
    let args = [
        "award",
        "--class",
        &class,
        "--csv",
        csv.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let (code, _, err) = cli(&data, &args);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("line 2, column \"issue date\""), "{err}");
    assert!(err.contains("line 3, column \"email\""), "{err}");
    assert!(err.contains("nothing was awarded"), "{err}");
    std::fs::write(&csv, "email\nada@example.org\n").unwrap();
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    let (code, stdout, err) = cli(&data, &dry);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("would award"), "{stdout}");
    let mut json = args.to_vec();
    json.push("--json");
    let (code, stdout, err) = cli(&data, &json);
    assert_eq!(code, 0, "{err}");
    let row = json_line(&stdout);
    assert_eq!(row["outcome"], "awarded");
    assert_eq!(row["files"].as_array().unwrap().len(), 2);
}

#[test]
fn an_output_folder_that_cannot_be_written_stores_no_award() {
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    let class = w.class(issuer, "ob2-hosted", false);
    // A file where the output folder should be.
    std::fs::write(w.path("taken"), "a file").unwrap();
    let err = w
        .issuer_app
        .award(
            class,
            &AwardInput {
                recipient: ADA.into(),
                ..AwardInput::default()
            },
            &w.path("taken/out"),
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Io);
    assert!(err.message().contains("taken/out"), "{err}");
    assert!(w.issuer_app.awards(None, None).unwrap().is_empty());
    // The same award to a folder that can be written works, and publishes.
    w.award(class, ADA, "out");
    w.issuer_app.publish(issuer, &w.path("site")).unwrap();
    assert_eq!(w.issuer_app.awards(None, None).unwrap().len(), 1);
    // Nothing is left beside the output and publish folders.
    for dir in [w.path("out"), w.root.clone()] {
        for e in std::fs::read_dir(dir).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                !name.contains("partial") && !name.contains(".lock"),
                "{name}"
            );
        }
    }
}

#[test]
fn after_a_key_rotation_old_and_new_badges_verify() {
    for format in ["ob3", "ob2-signed"] {
        let w = World::new();
        let issuer = w.issuer("https://club.example/badges/", None);
        let class = w.class(issuer, format, false);
        let old = w.award(class, ADA, "old");
        let view = w.issuer_app.rotate_keys(issuer).unwrap();
        assert!(view.keys.iter().filter(|k| k.retired.is_some()).count() >= 1);
        let new = w.award(class, ADA, "new");
        w.issuer_app.publish(issuer, &w.path("site")).unwrap();
        let fetch =
            satchel::fetch::DirFetch::new("https://club.example/badges/", w.path("site")).unwrap();
        for done in [&old, &new] {
            let r = verify_file(Path::new(&done.files[0]), &fetch, ADA);
            assert_eq!(r.status, Verdict::Verified, "{format}: {:#?}", r.checks);
        }
        if format == "ob3" {
            let did: serde_json::Value =
                serde_json::from_slice(&std::fs::read(w.path("site/did.json")).unwrap()).unwrap();
            assert_eq!(
                did["assertionMethod"][0],
                "did:web:club.example:badges#key-2"
            );
            assert_eq!(
                did["assertionMethod"][1],
                "did:web:club.example:badges#key-1"
            );
        }
    }
}

#[test]
fn a_publish_whose_badges_do_not_verify_writes_nothing_and_says_why() {
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    let class = w.class(issuer, "ob3", false);
    let done = w.award(class, ADA, "out");
    w.issuer_app.publish(issuer, &w.path("site")).unwrap();
    let before: Vec<(PathBuf, Vec<u8>)> = files_under(&w.path("site"))
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(&f).unwrap()))
        .collect();
    // The stored credential changed after it was signed (a damaged database).
    let conn = rusqlite::Connection::open(w.issuer_app.database()).unwrap();
    conn.execute(
        "UPDATE awards SET document = replace(document, 'Harbour Navigator', 'Harbour Admiral') WHERE id = ?1",
        [done.id],
    )
    .unwrap();
    drop(conn);
    let err = w.issuer_app.publish(issuer, &w.path("site")).unwrap_err();
    assert!(
        err.message().contains(&format!("award {}", done.id)),
        "{err}"
    );
    assert!(
        err.message().contains("did not pass Satchel's own check"),
        "{err}"
    );
    assert!(!err.message().contains('\n'));
    for (f, bytes) in &before {
        assert_eq!(&std::fs::read(f).unwrap(), bytes, "{}", f.display());
    }
    assert_eq!(files_under(&w.path("site")).len(), before.len());
}

#[test]
fn the_publish_folder_has_escaped_pages_and_headers_for_static_hosts() {
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    let class = w
        .issuer_app
        .create_class(&NewClass {
            issuer,
            name: "<script>alert(1)</script>".into(),
            description: "Tags & more".into(),
            image: w.image("c.png", &make_png(100, 100)),
            criteria: Some(
                "First <b>step</b>.\n\nSecond step, **in bold**: [the guide](https://club.example/guide), not [this](javascript:alert(1)).".into(),
            ),
            format: "ob2-hosted".into(),
            ..NewClass::default()
        })
        .unwrap();
    w.issuer_app.publish(issuer, &w.path("site")).unwrap();
    let read = |p: &str| std::fs::read_to_string(w.path("site").join(p)).unwrap();
    let index = read("index.html");
    assert!(
        index.contains("A &lt;club&gt; that codes &amp; sails."),
        "{index}"
    );
    assert!(!index.contains("<script>"));
    let page = read(&format!("classes/{}.html", class.id));
    assert!(
        page.contains("First &lt;b&gt;step&lt;&#x2f;b&gt;.")
            || page.contains("First &lt;b&gt;step&lt;/b&gt;."),
        "{page}"
    );
    // The criteria are Markdown, rendered safely.
    assert!(page.contains("<strong>in bold</strong>"), "{page}");
    assert!(
        page.contains("href=\"https://club.example/guide\""),
        "{page}"
    );
    assert!(!page.contains("javascript:"), "{page}");
    assert!(page.contains("Content-Security-Policy"));
    let badge_class: serde_json::Value =
        serde_json::from_str(&read(&format!("classes/{}.json", class.id))).unwrap();
    assert_eq!(
        badge_class["criteria"]["id"],
        format!("https://club.example/badges/classes/{}.html", class.id)
    );
    assert!(read("_headers").contains("Access-Control-Allow-Origin: *"));
    assert!(read(".htaccess").contains("Access-Control-Allow-Origin"));
    let manifest: serde_json::Value = serde_json::from_str(&read("manifest.json")).unwrap();
    for (path, hash) in manifest["files"].as_object().unwrap() {
        let bytes = std::fs::read(w.path("site").join(path)).unwrap();
        use sha2::Digest;
        let hex: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hash.as_str().unwrap(), hex, "{path}");
    }
}

/// Badges that share a status list, imported in one run (the list's proof is
/// checked once for all): each reads its own bit, and each keeps the list
/// and its signer's documents as its own.
#[test]
fn badges_sharing_a_status_list_each_read_their_own_bit() {
    let w = World::new();
    let server = TestServer::start(Vec::<(String, Route)>::new());
    let issuer = w.issuer(&server.url("/badges/"), None);
    let class = w.class(issuer, "ob3", true);
    let who = [ADA, "grace.hopper@example.org", "alan.turing@example.org"];
    let done: Vec<_> = who.iter().map(|r| w.award(class, r, "out")).collect();
    w.issuer_app
        .revoke(done[1].id, "Awarded by mistake")
        .unwrap();
    w.issuer_app.publish(issuer, &w.path("site")).unwrap();
    serve(&server, &w.path("site"));

    let backpack = app(&w.path("backpack"));
    let inputs: Vec<ImportInput> = done
        .iter()
        .map(|d| ImportInput::Path(PathBuf::from(&d.files[0])))
        .collect();
    let (report, _) = backpack.import(&inputs, &|_| {}, &AtomicBool::new(false));
    assert!(
        report
            .items
            .iter()
            .all(|i| i.outcome == ItemOutcome::Imported),
        "{:?}",
        report.items
    );
    let page = backpack.list(&BadgeQuery::default()).unwrap();
    assert_eq!(page.items.len(), 3);
    let mut documents = Vec::new();
    for item in &page.items {
        documents.push(backpack.badge(item.id).unwrap().record.documents);
    }
    let mut statuses: Vec<&str> = page.items.iter().map(|i| i.status.as_str()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, ["revoked", "verified", "verified"]);
    assert!(
        documents[0]
            .iter()
            .any(|u| u.ends_with("status/revocation.json")),
        "{documents:?}"
    );
    assert!(documents[0].len() >= 2, "{documents:?}");
    assert!(
        documents.iter().all(|d| *d == documents[0]),
        "{documents:?}"
    );
}

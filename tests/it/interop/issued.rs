//! What Satchel's issuer mode issues, checked by the independent verifiers:
//! badge classes of every format created, awarded, revoked and suspended
//! through the application façade (`crate::issuer::World`), the publish folder
//! served on 127.0.0.1 (OB 2.0) or mapped under its https base URL (OB 3.0).
//!
//! The classes here have no validity period: the peers judge expiry by the
//! real clock, while the issuing app's clock is fixed in the past.

use super::*;
use crate::issuer::{serve, World};
use crate::server::{Route, TestServer};
use satchel::bake::{bake, Slot};
use satchel::verify::Verdict;

const ADA: &str = "ada.lovelace@example.org";
const GRACE: &str = "grace.hopper@example.org";

/// An award's files, read back: (baked image, the payload Satchel baked).
fn baked(done: &satchel::app::AwardDone) -> (PathBuf, String) {
    let path = PathBuf::from(&done.files[0]);
    let payload = satchel_payload(&std::fs::read(&path).unwrap());
    (path, payload)
}

/// OB 2.0 hosted and signed badges of one issuer, served on 127.0.0.1: the
/// 1EdTech validator core accepts the hosted assertion URL and both baked
/// images, openbadgeslib the signed badge (key resolved from the issuer).
/// After `revoke` and a re-publish, the signed badge is revoked for both
/// peers; the hosted one only for Satchel (the validator never checks a
/// hosted badge's revocation). One hosted and one signed award are revoked,
/// so the issuer's RevocationList has two entries (the validator misses a
/// revocation in a one-entry list; see tests/interop/README.md).
#[test]
fn issued_ob2_badges_pass_the_validator_and_openbadgeslib_until_revoked() {
    if !available() {
        return;
    }
    let w = World::new();
    let server = TestServer::start(Vec::<(String, Route)>::new());
    let base = server.url("/badges/");
    let issuer = w.issuer(&base, None);
    let hosted_class = w.class_valid_for(issuer, "ob2-hosted", false, false, None);
    let signed_class = w.class_valid_for(issuer, "ob2-signed", false, false, None);
    let hosted = w.award(hosted_class, ADA, "out");
    let signed = w.award(signed_class, ADA, "out");
    let kept = w.award(signed_class, GRACE, "out");
    w.issuer_app.publish(issuer, &w.path("site")).unwrap();
    serve(&server, &w.path("site"));

    let (hosted_png, hosted_payload) = baked(&hosted);
    let assertion: Value = serde_json::from_str(&hosted_payload).unwrap();
    let url = assertion["id"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&base), "{url}");
    let by_url = ob2_validate(&url);
    assert!(by_url.ok && by_url.verdict == "valid", "{by_url:?}");
    let v = ob2_validate(path_str(&hosted_png));
    assert!(v.ok, "{v:?}");

    // openbadgeslib also matches the salted, hashed recipient.
    for (done, who, other) in [(&signed, ADA, GRACE), (&kept, GRACE, ADA)] {
        let (png, _) = baked(done);
        let v = ob2_validate(path_str(&png));
        assert!(v.ok, "{v:?}");
        let lib = openbadgeslib_verify(&png, &["--recipient", who]);
        assert!(lib.ok, "{lib:?}");
        let wrong = openbadgeslib_verify(&png, &["--recipient", other]);
        assert_rejected(&wrong, "ecipient");
    }

    w.issuer_app
        .revoke(hosted.id, "Awarded by mistake")
        .unwrap();
    w.issuer_app
        .revoke(signed.id, "Awarded by mistake")
        .unwrap();
    w.issuer_app.publish(issuer, &w.path("site")).unwrap();
    serve(&server, &w.path("site"));

    let (signed_png, signed_payload) = baked(&signed);
    assert_rejected(&ob2_validate(path_str(&signed_png)), "has been revoked");
    assert_rejected(&openbadgeslib_verify(&signed_png, &[]), "revoked");
    let dir = w.path("site");
    assert_eq!(
        satchel_verdict(&base, &dir, signed_payload.as_bytes()),
        Verdict::Revoked
    );
    // The award that was not revoked still passes both.
    let (kept_png, _) = baked(&kept);
    assert!(ob2_validate(path_str(&kept_png)).ok);
    assert!(openbadgeslib_verify(&kept_png, &[]).ok);
    // The hosted assertion is now its revoked form: the validator still
    // accepts it (it does not look), Satchel says revoked.
    assert!(ob2_validate(&url).ok);
    assert_eq!(
        satchel_verdict(&base, &dir, url.as_bytes()),
        Verdict::Revoked
    );
}

/// `credential` of `done` (its `.json` file) in Digital Bazaar vc, with the
/// publish folder mapped under `base`.
fn vc_word(done: &satchel::app::AwardDone, base: &str, site: &Path) -> PeerVerdict {
    let json = done
        .files
        .iter()
        .find(|f| f.ends_with(".json"))
        .expect("a credential file");
    vc_verify(Path::new(json), &[(base, site)])
}

/// The award's VC-JWT, baked into a PNG, in openbadgeslib.
fn openbadgeslib_on_jwt(
    done: &satchel::app::AwardDone,
    mapped: &str,
    dir: &Path,
) -> (PeerVerdict, String) {
    let jwt =
        std::fs::read_to_string(done.files.iter().find(|f| f.ends_with(".jwt")).unwrap()).unwrap();
    let png = bake(
        &crate::support::make_png(128, 128),
        &jwt,
        Slot::OpenBadgeCredential,
    )
    .unwrap();
    let png = write(dir, &format!("jwt-{}.png", done.id), &png);
    (
        openbadgeslib_verify(&png, &["--base", mapped, "--status", "--no-list-proof"]),
        jwt,
    )
}

/// OB 3.0 badges of a did:web issuer and of an https-profile issuer, the
/// publish folder mapped under the https base URL: Digital Bazaar vc verifies
/// the Data Integrity credential and its Bitstring Status List, and follows a
/// suspension, an unsuspension and a revocation after each re-publish;
/// openbadgeslib accepts the VC-JWT and the Data Integrity credential until
/// the revocation. Satchel agrees at every step.
#[test]
fn issued_ob3_badges_pass_vc_and_openbadgeslib_through_suspension_and_revocation() {
    if !available() {
        return;
    }
    let base = "https://club.example/badges/";
    for identity in ["did", "url"] {
        let w = World::new();
        let issuer = w.issuer(base, Some(identity));
        let class = w.class_valid_for(issuer, "ob3", true, true, None);
        let done = w.award(class, ADA, "out");
        let site = w.path("site");
        let mapped = format!("{base}={}", site.display());
        let publish = || {
            w.issuer_app.publish(issuer, &site).unwrap();
        };
        publish();
        let (png, credential) = baked(&done);
        let doc: Value = serde_json::from_str(&credential).unwrap();
        if identity == "did" {
            assert_eq!(doc["issuer"]["id"], "did:web:club.example:badges");
        } else {
            assert!(doc["issuer"]["id"].as_str().unwrap().starts_with(base));
        }
        let ours = |bytes: &[u8]| satchel_verdict(base, &site, bytes);
        let check = |vc: &str, lib_ok: bool, satchel: Verdict| {
            let v = vc_word(&done, base, &site);
            assert_eq!(v.verdict, vc, "{identity}: {v:?}");
            let (lib, jwt) = openbadgeslib_on_jwt(&done, &mapped, w.path("out").as_path());
            let di =
                openbadgeslib_verify(&png, &["--base", &mapped, "--status", "--no-list-proof"]);
            for (form, v) in [("VC-JWT", &lib), ("Data Integrity", &di)] {
                if identity == "did" {
                    assert_eq!(v.ok, lib_ok, "{identity} {form}: {v:?}");
                    // A did:web resolved from the issuer's own domain is anchored.
                    assert!(!v.ok || v.line["trusted"] == true, "{form}: {v:?}");
                } else {
                    // openbadgeslib resolves keys of DID issuers only.
                    assert_rejected(v, "not a DID");
                }
            }
            assert_eq!(ours(credential.as_bytes()), satchel, "{identity}");
            assert_eq!(ours(jwt.as_bytes()), satchel, "{identity} VC-JWT");
        };
        check("verified", true, Verdict::Verified);

        w.issuer_app.suspend(done.id, true).unwrap();
        publish();
        check("suspended", false, Verdict::Suspended);

        w.issuer_app.suspend(done.id, false).unwrap();
        publish();
        check("verified", true, Verdict::Verified);

        w.issuer_app.revoke(done.id, "Awarded by mistake").unwrap();
        publish();
        check("revoked", false, Verdict::Revoked);
    }
}

/// An OB 2.0 award's baked PNG and SVG unbake in the Python and npm bakeries
/// to what Satchel baked (a hosted SVG: the Python bakery answers the
/// `verify` URL, the npm bakery the assertion). OB 3.0 images: both bakeries
/// find no badge (they read only the OB 2.0 slot); openbadgeslib's reader
/// gets the credential.
#[test]
fn issued_images_unbake_in_the_python_and_npm_bakeries() {
    if !available() {
        return;
    }
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    for format in ["ob2-hosted", "ob2-signed", "ob3"] {
        let png_class = w.class_valid_for(issuer, format, false, false, None);
        let svg_class = w.svg_class(issuer, format);
        for class in [png_class, svg_class] {
            let done = w.award(class, ADA, &format!("out-{format}"));
            let (file, ours) = baked(&done);
            let is_svg = file.extension().is_some_and(|e| e == "svg");
            assert_eq!(is_svg, class == svg_class, "{:?}", done.files);
            let (py, npm) = (unbake_py(&file), unbake_npm(&file));
            if format == "ob3" {
                assert_eq!(py.verdict, "none", "{py:?}");
                assert_eq!(npm.verdict, "none", "{npm:?}");
                let lib = unbake_openbadgeslib(&file);
                assert_eq!(lib.payload(), Some(ours.as_str()), "{lib:?}");
                continue;
            }
            assert_eq!(npm.payload(), Some(ours.as_str()), "{format}: {npm:?}");
            if format == "ob2-hosted" && is_svg {
                let assertion: Value = serde_json::from_str(&ours).unwrap();
                assert_eq!(py.payload(), assertion["id"].as_str(), "{py:?}");
            } else {
                assert_eq!(py.payload(), Some(ours.as_str()), "{format}: {py:?}");
            }
        }
    }
}

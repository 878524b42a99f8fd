//! The publish folder: every document an issuer's badges point to, at the
//! path its URL names under the base URL, as bytes per path ([`Folder`]).
//! Built from records only (times are stored ones; signatures are
//! deterministic), so the same records give byte-identical files.
//!
//! [`Folder::write`] writes it beside the target and renames it into place
//! (`atomic`), refusing a non-empty folder that is not a previous publish,
//! and reports what was added, changed and removed since the last publish
//! (by the `manifest.json` hashes). [`self_check`] writes the would-be
//! folder to a scratch copy and runs Satchel's own verifier on badges
//! through `fetch::DirFetch`, offline.

use super::docs::{self, PURPOSES};
use super::{sign, status, Format, Identity, IssuerError, SigningKeys};
use crate::store::{AwardRecord, ClassRecord, IssuerRecord, KeyRecord};
use crate::verify::Verdict;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// The `format` of a publish folder's `manifest.json`.
pub const MANIFEST_FORMAT: &str = "satchel-publish/1";

/// An issuer's records, as the folder is built from them.
pub struct State<'a> {
    /// The issuer.
    pub issuer: &'a IssuerRecord,
    /// Its identity.
    pub identity: &'a Identity,
    /// Its keys (public halves; retired ones too).
    pub keys: &'a [KeyRecord],
    /// Its badge classes.
    pub classes: &'a [ClassRecord],
    /// Its awards.
    pub awards: &'a [AwardRecord],
    /// Status list positions: (award, purpose, index).
    pub status: &'a [(i64, String, u64)],
}

/// A publish folder in memory: relative path → bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Folder {
    /// The base URL it is published under.
    pub base: String,
    /// The files.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// What a publish changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PublishReport {
    /// The folder written.
    pub folder: String,
    /// Files new since the last publish.
    pub added: Vec<String>,
    /// Files whose bytes changed.
    pub changed: Vec<String>,
    /// Files no longer published.
    pub removed: Vec<String>,
    /// Files in all.
    pub files: usize,
}

fn json_bytes(v: &Value) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(v).unwrap_or_default();
    b.push(b'\n');
    b
}

fn format_of(c: &ClassRecord) -> Format {
    Format::parse(&c.format).unwrap_or(Format::Ob3)
}

/// The time a status list was last changed: the latest status change of
/// the issuer's awards, else the issuer's creation.
fn status_time(state: &State<'_>) -> i64 {
    state
        .awards
        .iter()
        .filter_map(|a| a.status_changed)
        .chain(std::iter::once(state.issuer.created))
        .max()
        .unwrap_or(state.issuer.created)
}

const PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self'; style-src 'unsafe-inline'">
<title>{{ title }}</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}img{max-width:160px;height:auto}li{margin:.5rem 0}</style>
</head><body>
{% if class %}<img src="{{ class.image }}" alt="">
<h1>{{ class.name }}</h1>
<p>{{ class.description }}</p>
<h2>Criteria</h2>
{{ class.criteria_html|safe }}
{% if class.criteria_url %}<p><a href="{{ class.criteria_url }}">{{ class.criteria_url }}</a></p>{% endif %}
<p>Issued by <a href="{{ issuer.url }}">{{ issuer.name }}</a>.</p>
{% else %}<h1>{{ issuer.name }}</h1>
<p>{{ issuer.description }}</p>
<ul>{% for c in classes %}<li><a href="{{ c.page }}">{{ c.name }}</a></li>{% endfor %}</ul>
<p><a href="{{ issuer.url }}">{{ issuer.url }}</a></p>
{% endif %}</body></html>
"#;

fn page(context: Value) -> Result<Vec<u8>, IssuerError> {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.render_str(PAGE, context)
        .map(String::into_bytes)
        .map_err(|e| IssuerError::Internal(format!("a page could not be rendered ({e})")))
}

/// Builds the whole publish folder. Status lists and did/profile documents
/// are signed with the issuer's current Ed25519 key.
pub fn build(state: &State<'_>, signing: &SigningKeys) -> Result<Folder, IssuerError> {
    let id = state.identity;
    let mut files = BTreeMap::new();
    add_issuer(&mut files, state);
    add_ob2_awards(&mut files, state)?;
    if let Some((name, key)) = &signing.ed25519 {
        add_status_lists(&mut files, state, name, key)?;
    }
    add_classes(&mut files, state)?;
    files.insert(
        "_headers".to_owned(),
        b"/*.json\n  Content-Type: application/json\n  Access-Control-Allow-Origin: *\n".to_vec(),
    );
    files.insert(
        ".htaccess".to_owned(),
        b"<FilesMatch \"\\.json$\">\n  ForceType application/json\n  Header set Access-Control-Allow-Origin \"*\"\n</FilesMatch>\n"
            .to_vec(),
    );
    let hashes: BTreeMap<&String, String> = files
        .iter()
        .map(|(p, b)| (p, crate::store::sha256_hex(b)))
        .collect();
    let manifest = json!({
        "format": MANIFEST_FORMAT,
        "base": id.base,
        "files": hashes,
    });
    files.insert("manifest.json".to_owned(), json_bytes(&manifest));
    Ok(Folder {
        base: id.base.clone(),
        files,
    })
}

/// The issuer's documents: the OB 2.0 Profile, its keys, the OB 3.0 profile
/// or `did.json` (with an Ed25519 key), its image.
fn add_issuer(files: &mut BTreeMap<String, Vec<u8>>, state: &State<'_>) {
    let id = state.identity;
    files.insert(
        docs::OB2_PROFILE.to_owned(),
        json_bytes(&docs::ob2_profile(state.issuer, id, state.keys)),
    );
    for k in state.keys {
        match (k.algorithm.as_str(), docs::named_by_url(id)) {
            ("rsa", _) => files.insert(docs::key_path(&k.name), json_bytes(&docs::ob2_key(id, k))),
            ("ed25519", true) => {
                files.insert(docs::key_path(&k.name), json_bytes(&docs::multikey(id, k)))
            }
            _ => None,
        };
    }
    let has_ed25519 = state.keys.iter().any(|k| k.algorithm == "ed25519");
    if has_ed25519 {
        if docs::named_by_url(id) {
            files.insert(
                docs::OB3_PROFILE.to_owned(),
                json_bytes(&docs::ob3_profile(state.issuer, id, state.keys, true)),
            );
        } else {
            files.insert(
                id.did_path().to_owned(),
                json_bytes(&docs::did_document(id, state.keys)),
            );
        }
    }
    if let Some(path) = docs::issuer_image(state.issuer) {
        files.insert(path, state.issuer.image.clone().unwrap_or_default());
    }
}

/// OB 2.0: the revocation list and the hosted assertions.
fn add_ob2_awards(
    files: &mut BTreeMap<String, Vec<u8>>,
    state: &State<'_>,
) -> Result<(), IssuerError> {
    let id = state.identity;
    let class_of: BTreeMap<i64, &ClassRecord> = state.classes.iter().map(|c| (c.id, c)).collect();
    let mut revoked = Vec::new();
    for a in state.awards {
        let Some(c) = class_of.get(&a.class_id) else {
            continue;
        };
        let format = format_of(c);
        if format == Format::Ob3 {
            continue;
        }
        let hosted = format == Format::Ob2Hosted;
        if let (Some(_), reason) = (a.revoked, &a.revocation_reason) {
            revoked.push((
                docs::ob2_assertion_id(id, a, hosted),
                reason.clone().unwrap_or_default(),
            ));
        }
        if hosted {
            let doc: Value = serde_json::from_str(&a.document).map_err(|_| {
                IssuerError::Internal(format!("award {} has a damaged document", a.id))
            })?;
            let doc = match (&a.revoked, &a.revocation_reason) {
                (Some(_), reason) => docs::ob2_revoked(&doc, reason.as_deref().unwrap_or("")),
                _ => doc,
            };
            files.insert(docs::assertion_path(&a.uid), json_bytes(&doc));
        }
    }
    files.insert(
        docs::REVOCATIONS.to_owned(),
        json_bytes(&docs::ob2_revocations(id, &revoked)),
    );
    Ok(())
}

/// OB 3.0: one status list per purpose, signed with the Ed25519 key `name`.
fn add_status_lists(
    files: &mut BTreeMap<String, Vec<u8>>,
    state: &State<'_>,
    name: &str,
    key: &ed25519_dalek::SigningKey,
) -> Result<(), IssuerError> {
    let id = state.identity;
    let when = status_time(state);
    for purpose in PURPOSES {
        let set = state.status.iter().filter(|(award, p, _)| {
            p == purpose
                && state.awards.iter().any(|a| {
                    a.id == *award
                        && if purpose == "revocation" {
                            a.revoked.is_some()
                        } else {
                            a.suspended
                        }
                })
        });
        let encoded = status::encode(set.map(|(_, _, i)| *i))?;
        let list = docs::status_list(id, purpose, &encoded, when)?;
        let signed = crate::data_integrity::sign_eddsa_rdfc_2022(
            &list,
            &docs::proof_options(id, name, when),
            key,
        )
        .map_err(|e| IssuerError::Internal(format!("the status list could not be signed ({e})")))?;
        files.insert(docs::status_path(purpose), json_bytes(&signed));
    }
    Ok(())
}

/// Badge classes (document, image, criteria page) and the index page that
/// lists them.
fn add_classes(
    files: &mut BTreeMap<String, Vec<u8>>,
    state: &State<'_>,
) -> Result<(), IssuerError> {
    let id = state.identity;
    let mut listed = Vec::new();
    for c in state.classes {
        let doc = match format_of(c) {
            Format::Ob3 => docs::achievement_document(id, c),
            _ => docs::ob2_class(id, c),
        };
        files.insert(docs::class_path(c.id), json_bytes(&doc));
        files.insert(docs::class_image(c), c.image.clone());
        // The criteria narrative is Markdown, rendered by `markdown` (raw
        // HTML escaped, links only http(s)/mailto): the one string the page
        // takes as HTML.
        let criteria_html = super::markdown::to_html(&c.criteria);
        let image = docs::class_image(c);
        files.insert(
            docs::class_page(c.id),
            page(json!({
                "title": c.name,
                "class": {
                    "name": c.name,
                    "description": c.description,
                    "image": format!("../{image}"),
                    "criteria_html": criteria_html,
                    "criteria_url": c.criteria_url,
                },
                "issuer": {"name": state.issuer.name, "url": state.issuer.url},
            }))?,
        );
        listed.push(json!({"name": c.name, "page": docs::class_page(c.id)}));
    }
    files.insert(
        "index.html".to_owned(),
        page(json!({
            "title": state.issuer.name,
            "classes": listed,
            "issuer": {"name": state.issuer.name, "url": state.issuer.url, "description": state.issuer.description},
        }))?,
    );
    Ok(())
}

impl Folder {
    /// Writes the files under `dir` (which exists and is empty).
    fn write_into(&self, dir: &Path) -> std::io::Result<()> {
        for (path, bytes) in &self.files {
            let file = dir.join(path);
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(file, bytes)?;
        }
        Ok(())
    }

    /// Writes the folder to `out`, beside it first and renamed into place.
    /// `out` must be missing, empty or a previous publish folder.
    pub fn write(&self, out: &Path) -> Result<PublishReport, IssuerError> {
        let io = |e: std::io::Error| {
            IssuerError::Io(format!(
                "the publish folder {} could not be written ({e}); check that its parent folder exists and is writable",
                out.display()
            ))
        };
        let old = previous_files(out)?;
        crate::atomic::clean_stale(out);
        let partial = crate::atomic::Partial::dir(out).map_err(io)?;
        self.write_into(partial.path()).map_err(io)?;
        partial.persist(out).map_err(io)?;
        Ok(self.changes(out, &old))
    }

    /// What [`Folder::write`] to `out` would add, change and remove, with
    /// nothing written (the same refusal for a folder it would not write).
    pub fn preview(&self, out: &Path) -> Result<PublishReport, IssuerError> {
        Ok(self.changes(out, &previous_files(out)?))
    }

    /// The report of writing over `old` (path → sha256 of a previous publish).
    fn changes(&self, out: &Path, old: &BTreeMap<String, String>) -> PublishReport {
        let mut report = PublishReport {
            folder: out.display().to_string(),
            files: self.files.len(),
            ..PublishReport::default()
        };
        for (path, bytes) in &self.files {
            match old.get(path) {
                None => report.added.push(path.clone()),
                Some(h) if path != "manifest.json" && *h != crate::store::sha256_hex(bytes) => {
                    report.changed.push(path.clone())
                }
                _ => {}
            }
        }
        let manifest_changed = !report.added.is_empty() || !report.changed.is_empty();
        for path in old.keys() {
            if !self.files.contains_key(path) {
                report.removed.push(path.clone());
            }
        }
        if (manifest_changed || !report.removed.is_empty()) && old.contains_key("manifest.json") {
            report.changed.push("manifest.json".to_owned());
        }
        report
    }
}

/// The files of the previous publish in `out` (path → sha256, from its
/// `manifest.json`): none when `out` is missing or empty; refused when it
/// holds anything else.
fn previous_files(out: &Path) -> Result<BTreeMap<String, String>, IssuerError> {
    let mut old: BTreeMap<String, String> = BTreeMap::new();
    if !out.exists() {
        return Ok(old);
    }
    let empty = std::fs::read_dir(out)
        .map_err(|e| {
            IssuerError::Io(format!(
                "the publish folder {} cannot be read ({e}); choose a folder you can write to",
                out.display()
            ))
        })?
        .next()
        .is_none();
    if empty {
        return Ok(old);
    }
    let manifest: Option<Value> = std::fs::read(out.join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    match manifest {
        Some(m) if m.get("format").and_then(Value::as_str) == Some(MANIFEST_FORMAT) => {
            if let Some(files) = m.get("files").and_then(Value::as_object) {
                for (p, h) in files {
                    old.insert(p.clone(), h.as_str().unwrap_or("").to_owned());
                }
                old.insert("manifest.json".to_owned(), String::new());
            }
            Ok(old)
        }
        _ => Err(IssuerError::Invalid(format!(
            "{} is not empty and is not a publish folder Satchel wrote; choose an empty or new folder",
            out.display()
        ))),
    }
}

/// One badge for [`self_check`]: its bytes (baked image, JSON or JWS),
/// the identity it must be awarded to, and the verdict it must get.
pub struct Expect<'a> {
    /// What to call it in a message.
    pub name: String,
    /// The badge.
    pub bytes: &'a [u8],
    /// The recipient's identity.
    pub recipient: &'a str,
    /// The verdict it must come out with.
    pub verdict: Verdict,
}

/// Verifies `badges` against `folder` served at its base URL (written to a
/// scratch folder beside `scratch`, removed afterwards), offline, as of
/// `now`. The first badge that does not get its verdict is the error, with
/// the checks that said why.
pub fn self_check(
    folder: &Folder,
    scratch: &Path,
    badges: &[Expect<'_>],
    now: i64,
) -> Result<(), IssuerError> {
    CheckSite::new(folder, scratch)?.check(badges, now)
}

/// A publish folder written once to a scratch folder and served at its
/// base URL through `fetch::DirFetch`, for checking many badges against it
/// (from several threads at once); removed when dropped.
pub struct CheckSite {
    partial: crate::atomic::Partial,
    fetch: crate::fetch::DirFetch,
}

impl CheckSite {
    /// Writes `folder` beside `scratch` (`scratch` names the copy; a copy
    /// left by an earlier run that died is removed first).
    pub fn new(folder: &Folder, scratch: &Path) -> Result<CheckSite, IssuerError> {
        let io = |e: std::io::Error| {
            IssuerError::Io(format!(
                "the self-check could not write its copy of the publish folder beside {} ({e}); check that the folder is writable",
                scratch.display()
            ))
        };
        crate::atomic::clean_stale(scratch);
        let partial = crate::atomic::Partial::dir(scratch).map_err(io)?;
        folder.write_into(partial.path()).map_err(io)?;
        // The copy does not change while it is checked against (hosted
        // assertions are only added), so documents are read once.
        let fetch = crate::fetch::DirFetch::new(&folder.base, partial.path())
            .map_err(|e| IssuerError::Internal(format!("the base URL cannot be served ({e})")))?
            .sharing();
        Ok(CheckSite { partial, fetch })
    }

    /// Adds a hosted OB 2.0 assertion (its stored document) at its path, as
    /// the publish folder will carry it.
    pub fn add_hosted(&self, a: &AwardRecord) -> Result<(), IssuerError> {
        let doc: Value = serde_json::from_str(&a.document).map_err(|_| {
            IssuerError::Internal(format!("award {} has a damaged document", a.uid))
        })?;
        let file = self.partial.path().join(docs::assertion_path(&a.uid));
        file.parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&file, json_bytes(&doc)))
            .map_err(|e| {
                IssuerError::Io(format!(
                    "the self-check could not write {} ({e}); check that the folder is writable",
                    file.display()
                ))
            })
    }

    /// Verifies `badges` as of `now`. The first badge that does not get its
    /// verdict is the error, with the checks that said why.
    pub fn check(&self, badges: &[Expect<'_>], now: i64) -> Result<(), IssuerError> {
        for b in badges {
            let inspection = crate::inspect::inspect(b.bytes).map_err(|e| {
                IssuerError::SelfCheck(format!("{} could not be read back ({e})", b.name))
            })?;
            let opts = crate::verify::Options {
                now,
                recipients: vec![b.recipient.to_owned()],
                recipient_rule: crate::verify::RecipientRule::MustMatch,
            };
            let report = crate::verify::verify(&inspection, &self.fetch, &opts);
            if report.status != b.verdict {
                return Err(not_passed(b, &report));
            }
        }
        Ok(())
    }
}

fn not_passed(b: &Expect<'_>, report: &crate::verify::Report) -> IssuerError {
    let why: Vec<String> = report
        .checks
        .iter()
        .filter(|c| {
            matches!(
                c.status,
                crate::verify::CheckStatus::Fail | crate::verify::CheckStatus::Skip
            )
        })
        .map(|c| c.message.trim_end_matches('.').to_owned())
        .collect();
    IssuerError::SelfCheck(format!(
        "{} did not pass Satchel's own check ({} instead of {}: {}), so it was not issued",
        b.name,
        report.status.label(),
        b.verdict.label(),
        if why.is_empty() {
            "no check said why".to_owned()
        } else {
            why.join("; ")
        }
    ))
}

/// Signs `value` for the issuer with its current Ed25519 key as an
/// `eddsa-rdfc-2022` proof created at `created`.
pub(crate) fn sign_ob3(
    id: &Identity,
    signing: &SigningKeys,
    value: &Value,
    created: i64,
) -> Result<Value, IssuerError> {
    let (name, key) = signing.ed25519.as_ref().ok_or_else(|| {
        IssuerError::Key("the issuer has no Ed25519 key to sign OB 3.0 badges".to_owned())
    })?;
    crate::data_integrity::sign_eddsa_rdfc_2022(value, &docs::proof_options(id, name, created), key)
        .map_err(|e| IssuerError::Invalid(format!("the credential could not be signed ({e})")))
}

/// A VC-JWT (EdDSA) of a credential.
pub(crate) fn vc_jwt(
    id: &Identity,
    signing: &SigningKeys,
    claims: &Value,
) -> Result<String, IssuerError> {
    let (name, key) = signing.ed25519.as_ref().ok_or_else(|| {
        IssuerError::Key("the issuer has no Ed25519 key to sign OB 3.0 badges".to_owned())
    })?;
    let header = json!({"alg": "EdDSA", "kid": id.ob3_key_id(name), "typ": "JWT"});
    Ok(sign::eddsa(key, &header, claims))
}

//! Issuer mode's use cases: issuer profiles, badge classes, awards,
//! revocation and suspension, and the publish folder. The store keeps the
//! records, `issuer` makes the documents; private keys stay files in
//! `<data>/issuer-keys/`.

use super::{App, AppError, ErrorCode};
use crate::issuer::publish::{self, Expect, State};
use crate::issuer::{self, docs, Format, Identity, IssuerError, KeyFolder, Ob3Id, PublishReport};
use crate::store::{AwardRecord, ClassRecord, IdentityKind, IssuerRecord, KeyRecord, Store};
use crate::verify::Verdict;
use serde::Serialize;
use std::path::{Path, PathBuf};

impl From<IssuerError> for AppError {
    fn from(e: IssuerError) -> AppError {
        let code = match &e {
            IssuerError::Invalid(_) | IssuerError::SelfCheck(_) | IssuerError::Key(_) => {
                ErrorCode::Invalid
            }
            IssuerError::Io(_) => ErrorCode::Io,
            IssuerError::Internal(_) => ErrorCode::Internal,
        };
        AppError::new(code, e.to_string())
    }
}

/// A new issuer profile.
#[derive(Clone, Debug, Default)]
pub struct NewIssuer {
    /// Its name.
    pub name: String,
    /// Its website.
    pub url: String,
    /// Its contact email.
    pub email: String,
    /// Where the publish folder will be hosted.
    pub base_url: String,
    /// What it is.
    pub description: Option<String>,
    /// Its image file.
    pub image: Option<PathBuf>,
    /// `did` or `url` (default: did:web for an https base).
    pub ob3_identity: Option<String>,
}

/// Changes to an issuer profile (`None`: unchanged).
#[derive(Clone, Debug, Default)]
pub struct IssuerEdit {
    /// Its name.
    pub name: Option<String>,
    /// Its website.
    pub url: Option<String>,
    /// Its contact email.
    pub email: Option<String>,
    /// Where the publish folder will be hosted (refused once it has awarded badges).
    pub base_url: Option<String>,
    /// What it is.
    pub description: Option<String>,
    /// Its image file.
    pub image: Option<PathBuf>,
}

/// An issuer as the shells show it.
#[derive(Clone, Debug, Serialize)]
pub struct IssuerView {
    /// The profile.
    #[serde(flatten)]
    pub issuer: IssuerRecord,
    /// Its OB 2.0 profile URL.
    pub ob2_profile: String,
    /// Its OB 3.0 issuer id (did:web or profile URL).
    pub ob3_issuer: String,
    /// Its keys (public halves).
    pub keys: Vec<KeyRecord>,
    /// How many badges it has awarded.
    pub awards: u64,
}

/// A new badge class.
#[derive(Clone, Debug, Default)]
pub struct NewClass {
    /// The issuer's number.
    pub issuer: i64,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Its image file (PNG or SVG).
    pub image: PathBuf,
    /// The criteria narrative (Markdown).
    pub criteria: Option<String>,
    /// A criteria page.
    pub criteria_url: Option<String>,
    /// `ob2-hosted`, `ob2-signed` or `ob3`.
    pub format: String,
    /// Also issue OB 3.0 awards as VC-JWTs.
    pub vc_jwt: bool,
    /// Give OB 3.0 awards a suspension status entry too (a second one,
    /// which the 1EdTech JSON Schema does not model).
    pub suspendable: bool,
    /// Default validity (`2y`, `18m`, `90d`).
    pub valid_for: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// OB 3.0 achievement type.
    pub achievement_type: Option<String>,
    /// Alignments to frameworks or standards (`targetName`, `targetUrl`, and
    /// optionally `targetDescription`, `targetFramework`, `targetCode`).
    pub alignments: Vec<serde_json::Value>,
}

/// Changes to a badge class (`None`: unchanged).
#[derive(Clone, Debug, Default)]
pub struct ClassEdit {
    /// Its name.
    pub name: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// Its image file.
    pub image: Option<PathBuf>,
    /// The criteria narrative.
    pub criteria: Option<String>,
    /// A criteria page.
    pub criteria_url: Option<String>,
    /// Default validity (`none` clears it).
    pub valid_for: Option<String>,
    /// Tags (replace the old ones).
    pub tags: Option<Vec<String>>,
    /// Also issue VC-JWTs.
    pub vc_jwt: Option<bool>,
    /// Alignments (replace the old ones).
    pub alignments: Option<Vec<serde_json::Value>>,
}

/// One award made: its number and the files written.
#[derive(Clone, Debug, Serialize)]
pub struct AwardDone {
    /// The award's number.
    pub id: i64,
    /// The badge class.
    pub class: i64,
    /// The recipient.
    pub recipient: String,
    /// The files written (baked image first).
    pub files: Vec<String>,
    /// Why no `.eml` draft was written although one was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One row of a bulk award.
#[derive(Clone, Debug, Serialize)]
pub struct BulkRow {
    /// Its line in the CSV file.
    pub line: u64,
    /// The recipient.
    pub recipient: String,
    /// `awarded`, `already awarded` or (dry run) `would award`.
    pub outcome: &'static str,
    /// The award's number, when awarded.
    pub id: Option<i64>,
    /// The files written.
    pub files: Vec<String>,
    /// Why no `.eml` draft was written although one was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How a bulk award runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct BulkOptions {
    /// Only say what would be done.
    pub dry_run: bool,
    /// Write an `.eml` draft beside each badge (email recipients only).
    pub eml: bool,
}

/// What a bulk award did (or, dry, would do).
#[derive(Clone, Debug, Default, Serialize)]
pub struct BulkReport {
    /// Whether nothing was awarded on purpose.
    pub dry_run: bool,
    /// The good rows, in file order (rows not reached after a stop are left out).
    pub rows: Vec<BulkRow>,
    /// The bad rows: when any, nothing was awarded.
    pub errors: Vec<issuer::bulk::RowError>,
    /// Whether Ctrl-C stopped the run.
    pub cancelled: bool,
}

pub(super) fn invalid(message: String) -> AppError {
    AppError::new(ErrorCode::Invalid, message)
}

/// What an image is for: a badge image must be square and at least 90×90;
/// an issuer's logo may have any shape. Both are PNG or safe SVG, ≤ 256 KB.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ImageUse {
    Badge,
    Logo,
}

fn read_image(path: &Path, usage: ImageUse) -> Result<(Vec<u8>, &'static str), AppError> {
    let bytes = read_image_file(path)?;
    let name = path.display().to_string();
    let format = match issuer::image::check_badge_image(&name, &bytes) {
        Ok(checked) => checked.format,
        Err(e) => match e.problem {
            issuer::image::Problem::NotSquare(..) | issuer::image::Problem::TooSmall(..)
                if usage == ImageUse::Logo =>
            {
                crate::bake::image_format(&bytes).ok_or_else(|| invalid(e.to_string()))?
            }
            _ => return Err(invalid(e.to_string())),
        },
    };
    Ok(match format {
        crate::bake::ImageFormat::Png => (bytes, "image/png"),
        crate::bake::ImageFormat::Svg => (bytes, "image/svg+xml"),
    })
}

fn read_image_file(path: &Path) -> Result<Vec<u8>, AppError> {
    let meta = std::fs::metadata(path).map_err(|e| {
        invalid(format!(
            "the image {} cannot be read ({e}); give a PNG or SVG file",
            path.display()
        ))
    })?;
    if meta.len() > issuer::image::MAX_BYTES as u64 {
        return Err(invalid(format!(
            "the image {} is larger than 256 KB; badge images must be at most 256 KB",
            path.display()
        )));
    }
    std::fs::read(path)
        .map_err(|e| invalid(format!("the image {} cannot be read ({e})", path.display())))
}

/// The most alignments a badge class carries.
const MAX_ALIGNMENTS: usize = 20;

/// Checks a class's alignments and keeps only the fields both formats
/// share: `targetName` and an http(s) `targetUrl` (required),
/// `targetDescription`, `targetFramework` and `targetCode` (optional).
/// Stored in the OB 2.0 shape; the OB 3.0 documents add their `type`.
fn check_alignments(given: &[serde_json::Value]) -> Result<Vec<serde_json::Value>, AppError> {
    if given.len() > MAX_ALIGNMENTS {
        return Err(invalid(format!(
            "a badge class can have at most {MAX_ALIGNMENTS} alignments, and {} were given",
            given.len()
        )));
    }
    given
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let n = i + 1;
            let text = |key: &str| a.get(key).and_then(|v| v.as_str()).map(str::trim);
            let name = text("targetName").filter(|t| !t.is_empty()).ok_or_else(|| {
                invalid(format!("alignment {n} has no name (targetName); name the standard or skill it aligns to"))
            })?;
            let url = text("targetUrl").filter(|t| !t.is_empty()).ok_or_else(|| {
                invalid(format!("alignment {n} has no web address (targetUrl); give the page that describes it"))
            })?;
            let mut out = serde_json::Map::new();
            out.insert("targetName".into(), issuer::check_text("alignment name", name, 200)?.into());
            out.insert("targetUrl".into(), issuer::check_web_url("alignment URL", url)?.into());
            for (key, what) in [
                ("targetDescription", "alignment description"),
                ("targetFramework", "alignment framework"),
                ("targetCode", "alignment code"),
            ] {
                if let Some(t) = text(key).filter(|t| !t.is_empty()) {
                    out.insert(key.into(), issuer::check_text(what, t, 1000)?.into());
                }
            }
            Ok(serde_json::Value::Object(out))
        })
        .collect()
}

pub(super) fn identity_of(i: &IssuerRecord) -> Identity {
    Identity::new(
        &i.base_url,
        Ob3Id::parse(&i.ob3_identity).unwrap_or(Ob3Id::Url),
    )
}

fn opt_text(what: &str, text: Option<String>, max: usize) -> Result<Option<String>, AppError> {
    text.filter(|t| !t.trim().is_empty())
        .map(|t| issuer::check_text(what, &t, max))
        .transpose()
        .map_err(AppError::from)
}

impl App {
    /// Checks a file as a badge image the way creating a class does, for a
    /// shell to show its warnings (e.g. "smaller than 256×256") first.
    pub fn check_badge_image(&self, path: &Path) -> Result<issuer::image::CheckedImage, AppError> {
        let bytes = read_image_file(path)?;
        issuer::image::check_badge_image(&path.display().to_string(), &bytes)
            .map_err(|e| invalid(e.to_string()))
    }

    pub(super) fn keys(&self) -> KeyFolder {
        KeyFolder::new(self.data_dir())
    }

    pub(super) fn issuer_record(store: &Store, id: i64) -> Result<IssuerRecord, AppError> {
        store.issuer(id)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                format!("there is no issuer {id}; `satchel issuer list` shows them"),
            )
        })
    }

    pub(super) fn class_record(store: &Store, id: i64) -> Result<ClassRecord, AppError> {
        store.class(id)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                format!("there is no badge class {id}; `satchel badgeclass list` shows them"),
            )
        })
    }

    pub(super) fn award_record(store: &Store, id: i64) -> Result<AwardRecord, AppError> {
        store.award(id)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                format!("there is no award {id}; `satchel awards` lists them"),
            )
        })
    }

    fn issuer_view(store: &Store, i: IssuerRecord) -> Result<IssuerView, AppError> {
        let id = identity_of(&i);
        Ok(IssuerView {
            ob2_profile: id.ob2_profile(),
            ob3_issuer: id.ob3_issuer(),
            keys: store.issuer_keys(i.id)?,
            awards: store.issuer_award_count(i.id)?,
            issuer: i,
        })
    }

    /// Makes a key for the issuer and stores its public half.
    fn add_key(&self, store: &Store, issuer: i64, algorithm: &str) -> Result<(), AppError> {
        let n = store
            .issuer_keys(issuer)?
            .iter()
            .filter(|k| k.algorithm == algorithm)
            .count()
            + 1;
        let (name, key) = if algorithm == "rsa" {
            let name = format!("rsa-{n}");
            let key = self.keys().generate_rsa(issuer, &name)?;
            (name, key)
        } else {
            let name = format!("key-{n}");
            let key = self.keys().generate_ed25519(issuer, &name)?;
            (name, key)
        };
        store.insert_issuer_key(&KeyRecord {
            id: 0,
            issuer_id: issuer,
            algorithm: key.algorithm.to_owned(),
            name,
            public_key: key.public_key,
            created: self.now(),
            retired: None,
        })?;
        Ok(())
    }

    /// Creates an issuer profile with its Ed25519 key.
    pub fn create_issuer(&self, new: &NewIssuer) -> Result<IssuerView, AppError> {
        let base = issuer::check_base_url(&new.base_url)?;
        let ob3 = match &new.ob3_identity {
            Some(t) => Ob3Id::parse(t)?,
            None => Ob3Id::default_for(
                &url::Url::parse(&base)
                    .map_err(|_| invalid(format!("the base URL {base:?} is not a web address")))?,
            ),
        };
        if ob3 == Ob3Id::Did && !base.starts_with("https://") {
            return Err(invalid(format!(
                "a did:web issuer needs an https base URL, and {base} is not one; use --ob3-identity url"
            )));
        }
        let (image, image_type) = match &new.image {
            Some(p) => {
                let (b, t) = read_image(p, ImageUse::Logo)?;
                (Some(b), Some(t.to_owned()))
            }
            None => (None, None),
        };
        let now = self.now();
        let record = IssuerRecord {
            id: 0,
            name: issuer::check_text("issuer name", &new.name, 200)?,
            url: issuer::check_web_url("website", &new.url)?,
            email: issuer::check_email(&new.email)?,
            description: opt_text("description", new.description.clone(), 4000)?
                .unwrap_or_default(),
            image,
            image_type,
            base_url: base,
            ob3_identity: ob3.as_str().to_owned(),
            created: now,
            updated: now,
        };
        let store = self.store();
        let id = store.atomically(|s| -> Result<i64, AppError> {
            let id = s.insert_issuer(&record)?;
            self.add_key(s, id, "ed25519")?;
            Ok(id)
        })?;
        App::issuer_view(&store, App::issuer_record(&store, id)?)
    }

    /// Every issuer.
    pub fn issuers(&self) -> Result<Vec<IssuerView>, AppError> {
        let store = self.store();
        store
            .issuers()?
            .into_iter()
            .map(|i| App::issuer_view(&store, i))
            .collect()
    }

    /// One issuer.
    pub fn issuer(&self, id: i64) -> Result<IssuerView, AppError> {
        let store = self.store();
        let i = App::issuer_record(&store, id)?;
        App::issuer_view(&store, i)
    }

    /// Changes an issuer profile. The base URL cannot change once it has
    /// awarded badges (they point at the old one).
    pub fn edit_issuer(&self, id: i64, edit: &IssuerEdit) -> Result<IssuerView, AppError> {
        let store = self.store();
        let mut i = App::issuer_record(&store, id)?;
        if let Some(n) = &edit.name {
            i.name = issuer::check_text("issuer name", n, 200)?;
        }
        if let Some(u) = &edit.url {
            i.url = issuer::check_web_url("website", u)?;
        }
        if let Some(e) = &edit.email {
            i.email = issuer::check_email(e)?;
        }
        if let Some(d) = &edit.description {
            i.description = d.trim().to_owned();
        }
        if let Some(p) = &edit.image {
            let (b, t) = read_image(p, ImageUse::Logo)?;
            i.image = Some(b);
            i.image_type = Some(t.to_owned());
        }
        if let Some(b) = &edit.base_url {
            let base = issuer::check_base_url(b)?;
            if base != i.base_url {
                let n = store.issuer_award_count(id)?;
                if n > 0 {
                    return Err(invalid(format!(
                        "the base URL of issuer {id} cannot change: it has awarded {n} badge{} that point at {}",
                        if n == 1 { "" } else { "s" },
                        i.base_url
                    )));
                }
                if i.ob3_identity == "did" && !base.starts_with("https://") {
                    return Err(invalid(format!(
                        "a did:web issuer needs an https base URL, and {base} is not one"
                    )));
                }
                i.base_url = base;
            }
        }
        i.updated = self.now();
        store.update_issuer(&i)?;
        App::issuer_view(&store, i)
    }

    /// Replaces the issuer's current signing keys with new ones: the old
    /// ones are retired (they sign nothing more) and stay published, so
    /// every badge they signed still verifies.
    pub fn rotate_keys(&self, id: i64) -> Result<IssuerView, AppError> {
        let store = self.store();
        App::issuer_record(&store, id)?;
        store.atomically(|s| -> Result<(), AppError> {
            for k in s
                .issuer_keys(id)?
                .into_iter()
                .filter(|k| k.retired.is_none())
            {
                s.retire_issuer_key(k.id, self.now())?;
                self.add_key(s, id, &k.algorithm)?;
            }
            Ok(())
        })?;
        let i = App::issuer_record(&store, id)?;
        App::issuer_view(&store, i)
    }

    /// Creates a badge class (and the issuer's RSA key, the first time an
    /// OB 2.0 signed class needs it).
    pub fn create_class(&self, new: &NewClass) -> Result<ClassRecord, AppError> {
        let format = Format::parse(&new.format)?;
        if new.suspendable && format != Format::Ob3 {
            return Err(invalid(
                "--suspendable is for OB 3.0 classes only; OB 2.0 badges can only be revoked"
                    .to_owned(),
            ));
        }
        if new.vc_jwt && format != Format::Ob3 {
            return Err(invalid(
                "--vc-jwt is for OB 3.0 classes only; use --format ob3".to_owned(),
            ));
        }
        let (image, image_type) = read_image(&new.image, ImageUse::Badge)?;
        let now = self.now();
        let mut record = ClassRecord {
            id: 0,
            issuer_id: new.issuer,
            name: issuer::check_text("badge class name", &new.name, 200)?,
            description: issuer::check_text("description", &new.description, 4000)?,
            image,
            image_type: image_type.to_owned(),
            criteria: new.criteria.clone().unwrap_or_default().trim().to_owned(),
            criteria_url: new
                .criteria_url
                .as_deref()
                .map(|u| issuer::check_web_url("criteria URL", u))
                .transpose()?,
            tags: new
                .tags
                .iter()
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect(),
            alignments: check_alignments(&new.alignments)?,
            achievement_type: new.achievement_type.clone(),
            valid_for: new
                .valid_for
                .as_deref()
                .map(issuer::check_valid_for)
                .transpose()?,
            format: format.as_str().to_owned(),
            vc_jwt: new.vc_jwt,
            suspendable: new.suspendable,
            created: now,
            updated: now,
        };
        if record.criteria.is_empty() && record.criteria_url.is_none() {
            return Err(invalid(
                "a badge class needs criteria: give --criteria TEXT or --criteria-url URL"
                    .to_owned(),
            ));
        }
        let store = self.store();
        App::issuer_record(&store, new.issuer)?;
        let id = store.atomically(|s| -> Result<i64, AppError> {
            if format == Format::Ob2Signed
                && !s
                    .issuer_keys(new.issuer)?
                    .iter()
                    .any(|k| k.algorithm == "rsa" && k.retired.is_none())
            {
                self.add_key(s, new.issuer, "rsa")?;
            }
            Ok(s.insert_class(&record)?)
        })?;
        record.id = id;
        Ok(record)
    }

    /// Badge classes, of one issuer or all.
    pub fn classes(&self, issuer: Option<i64>) -> Result<Vec<ClassRecord>, AppError> {
        Ok(self.store().classes(issuer)?)
    }

    /// One badge class.
    pub fn class(&self, id: i64) -> Result<ClassRecord, AppError> {
        App::class_record(&self.store(), id)
    }

    /// Changes a badge class. Awards already made keep what they were
    /// issued with; the next publish carries the new class document.
    pub fn edit_class(&self, id: i64, edit: &ClassEdit) -> Result<ClassRecord, AppError> {
        let store = self.store();
        let mut c = App::class_record(&store, id)?;
        if let Some(n) = &edit.name {
            c.name = issuer::check_text("badge class name", n, 200)?;
        }
        if let Some(d) = &edit.description {
            c.description = issuer::check_text("description", d, 4000)?;
        }
        if let Some(p) = &edit.image {
            let (b, t) = read_image(p, ImageUse::Badge)?;
            c.image = b;
            c.image_type = t.to_owned();
        }
        if let Some(t) = &edit.criteria {
            c.criteria = t.trim().to_owned();
        }
        if let Some(u) = &edit.criteria_url {
            c.criteria_url = Some(issuer::check_web_url("criteria URL", u)?);
        }
        if let Some(v) = &edit.valid_for {
            c.valid_for = match v.trim() {
                "none" => None,
                v => Some(issuer::check_valid_for(v)?),
            };
        }
        if let Some(t) = &edit.tags {
            c.tags = t.clone();
        }
        if let Some(a) = &edit.alignments {
            c.alignments = check_alignments(a)?;
        }
        if let Some(j) = edit.vc_jwt {
            if j && c.format != "ob3" {
                return Err(invalid("--vc-jwt is for OB 3.0 classes only".to_owned()));
            }
            c.vc_jwt = j;
        }
        c.updated = self.now();
        store.update_class(&c)?;
        Ok(c)
    }

    /// The publish folder of an issuer as its records stand in `store`,
    /// with its awards; with `only`, the folder as that one award sees it
    /// (every status list as it stands, but no other award's hosted
    /// assertion, so checking one award costs the same however many there are).
    pub(super) fn build_folder(
        &self,
        store: &Store,
        i: &IssuerRecord,
        only: Option<i64>,
    ) -> Result<(issuer::Folder, Vec<AwardRecord>), AppError> {
        let id = identity_of(i);
        let keys = store.issuer_keys(i.id)?;
        let signing = self.keys().load(&keys)?;
        let classes = store.classes(Some(i.id))?;
        let awards = match only {
            Some(id) => vec![App::award_record(store, id)?],
            None => store.awards(Some(i.id), None, None)?,
        };
        let mut status = Vec::new();
        for p in docs::PURPOSES {
            for (award, idx) in store.status_indexes(i.id, p)? {
                status.push((award, p.to_owned(), idx));
            }
        }
        let folder = publish::build(
            &State {
                issuer: i,
                identity: &id,
                keys: &keys,
                classes: &classes,
                awards: &awards,
                status: &status,
            },
            &signing,
        )?;
        Ok((folder, awards))
    }

    /// Awards, of one class or all, with an optional search in recipients,
    /// names and ids.
    pub fn awards(
        &self,
        class: Option<i64>,
        search: Option<&str>,
    ) -> Result<Vec<AwardRecord>, AppError> {
        let store = self.store();
        if let Some(c) = class {
            App::class_record(&store, c)?;
        }
        Ok(store.awards(None, class, search.filter(|s| !s.trim().is_empty()))?)
    }

    /// Revokes an award for good; the next publish carries it.
    pub fn revoke(&self, award: i64, reason: &str) -> Result<AwardRecord, AppError> {
        let reason = issuer::check_text("revocation reason", reason, 1000)?;
        let store = self.store();
        let a = App::award_record(&store, award)?;
        if a.revoked.is_some() {
            return Err(invalid(format!(
                "award {award} is already revoked; revocation is final"
            )));
        }
        store.revoke_award(award, &reason, self.now())?;
        App::award_record(&store, award)
    }

    /// Suspends (or lifts the suspension of) an OB 3.0 award.
    pub fn suspend(&self, award: i64, suspended: bool) -> Result<AwardRecord, AppError> {
        let store = self.store();
        let a = App::award_record(&store, award)?;
        let c = App::class_record(&store, a.class_id)?;
        if c.format != "ob3" {
            return Err(invalid(format!(
                "award {award} is an OB 2.0 badge, which cannot be suspended; only OB 3.0 badges can (revoke it instead)"
            )));
        }
        if !c.suspendable {
            return Err(invalid(format!(
                "award {award} cannot be suspended: its badge class was not created with --suspendable, so it carries no suspension status (revoke it instead)"
            )));
        }
        if a.revoked.is_some() {
            return Err(invalid(format!(
                "award {award} is revoked; revocation is final"
            )));
        }
        if a.suspended == suspended {
            return Err(invalid(format!(
                "award {award} is {}suspended already",
                if suspended { "" } else { "not " }
            )));
        }
        store.set_award_suspended(award, suspended, self.now())?;
        App::award_record(&store, award)
    }

    /// Writes the issuer's publish folder to `out` after checking every
    /// award against it; reports what changed since the last publish.
    pub fn publish(&self, issuer: i64, out: &Path) -> Result<PublishReport, AppError> {
        let store = self.store();
        let i = App::issuer_record(&store, issuer)?;
        let (folder, awards) = self.build_folder(&store, &i, None)?;
        let now = self.now();
        let expect: Vec<Expect<'_>> = awards
            .iter()
            .map(|a| Expect {
                name: format!("award {} ({})", a.id, a.recipient),
                bytes: a.document.as_bytes(),
                recipient: &a.recipient,
                verdict: if a.revoked.is_some() {
                    Verdict::Revoked
                } else if a.suspended {
                    Verdict::Suspended
                } else if a.expires.is_some_and(|e| e <= now) {
                    Verdict::Expired
                } else {
                    Verdict::Verified
                },
            })
            .collect();
        let scratch = out.with_file_name(format!(
            "{}.self-check",
            out.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "publish".to_owned())
        ));
        publish::self_check(&folder, &scratch, &expect, now)?;
        drop(store);
        let report = folder.write(out)?;
        self.record_publish(issuer, out)?;
        Ok(report)
    }
}

/// The recipient's kind and the identity as stored: without `mailto:` or
/// `tel:`, emails lower-cased (as issuers should hash them).
pub(super) fn recipient_of(text: &str) -> Result<(IdentityKind, String), AppError> {
    let kind =
        IdentityKind::classify(text).map_err(|why| invalid(format!("the recipient: {why}")))?;
    let t = text.trim();
    let t = t
        .strip_prefix("mailto:")
        .or_else(|| t.strip_prefix("tel:"))
        .unwrap_or(t);
    Ok((
        kind,
        if kind == IdentityKind::Email {
            t.to_lowercase()
        } else {
            t.to_owned()
        },
    ))
}

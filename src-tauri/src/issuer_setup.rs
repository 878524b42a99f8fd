//! Issue mode's set-up commands: issuer profiles, badge classes, the badge
//! designer, the issuer's keys and the SMTP settings. Each is one call into
//! the core (`satchel::app`, `satchel::issuer::design`) plus error mapping.
//!
//! Images reach the window as `data:` URIs (which the CSP allows for `<img>`
//! only), never as markup. Image files come from the native dialog
//! ([`pick_badge_image`]), a drop (the window hands over the paths) or the
//! designer, which writes its PNG under `<data>/designer/`. Passphrases and
//! the SMTP password arrive for one call or stay in this process's memory
//! ([`SmtpPassword`]); neither is ever written to disk.

use crate::state::AppState;
use crate::CommandError;
use base64::Engine;
use satchel::app::{
    ClassEdit, ErrorCode, IssuerEdit, IssuerView, KeyMoved, NewClass, NewIssuer, SmtpConfig,
};
use satchel::issuer::design::{self, Design, Icon, Rgb, Shape};
use satchel::store::ClassRecord;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

type Shared<'a> = State<'a, Arc<AppState>>;
type Answer<T> = Result<T, CommandError>;

fn bad_request(message: impl Into<String>) -> CommandError {
    CommandError::new(ErrorCode::BadRequest, message)
}

/// `bytes` of media type `mime` as a `data:` URI for an `<img>`.
fn data_uri(mime: &str, bytes: &[u8]) -> String {
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// An empty string from a form field means "not given".
fn given(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty())
}

// ------------------------------------------------------------------ issuers

/// An issuer as the window shows it: the core's view and its image.
#[derive(Serialize)]
pub struct IssuerOut {
    /// The profile, identities, keys and award count.
    #[serde(flatten)]
    pub view: IssuerView,
    /// The issuer's image as a `data:` URI, if it has one.
    pub image_uri: Option<String>,
}

impl From<IssuerView> for IssuerOut {
    fn from(view: IssuerView) -> IssuerOut {
        let image_uri = match (&view.issuer.image, &view.issuer.image_type) {
            (Some(bytes), Some(mime)) => Some(data_uri(mime, bytes)),
            _ => None,
        };
        IssuerOut { view, image_uri }
    }
}

/// The set-up form (and the profile editor: `None` or empty leaves a field
/// as it is when editing).
#[derive(Debug, Default, Deserialize)]
pub struct IssuerForm {
    pub name: Option<String>,
    pub url: Option<String>,
    pub email: Option<String>,
    pub base_url: Option<String>,
    pub description: Option<String>,
    /// An image file (PNG or SVG).
    pub image: Option<String>,
    /// `did` or `url`; default: did:web for an https base URL.
    pub ob3_identity: Option<String>,
}

/// Every issuer here.
#[tauri::command]
pub async fn issuers(state: Shared<'_>) -> Answer<Vec<IssuerOut>> {
    Ok(state.issuers()?.into_iter().map(IssuerOut::from).collect())
}

/// Creates an issuer with its signing key.
#[tauri::command]
pub async fn create_issuer(state: Shared<'_>, form: IssuerForm) -> Answer<IssuerOut> {
    let state = state.inner().clone();
    crate::jobs::run_blocking(move || {
        let new = NewIssuer {
            name: form.name.unwrap_or_default(),
            url: form.url.unwrap_or_default(),
            email: form.email.unwrap_or_default(),
            base_url: form.base_url.unwrap_or_default(),
            description: given(form.description),
            image: given(form.image).map(PathBuf::from),
            ob3_identity: given(form.ob3_identity),
        };
        Ok(state.create_issuer(&new)?.into())
    })
    .await
}

/// Changes an issuer's profile.
#[tauri::command]
pub async fn edit_issuer(state: Shared<'_>, id: i64, form: IssuerForm) -> Answer<IssuerOut> {
    let edit = IssuerEdit {
        name: form.name,
        url: form.url,
        email: form.email,
        base_url: form.base_url,
        description: form.description,
        image: given(form.image).map(PathBuf::from),
    };
    Ok(state.edit_issuer(id, &edit)?.into())
}

// ------------------------------------------------------------------ images

/// Asks for an image file (native dialog); `None` when cancelled.
#[tauri::command]
pub async fn pick_badge_image(app: AppHandle, title: Option<String>) -> Answer<Option<String>> {
    Ok(app
        .dialog()
        .file()
        .set_title(title.as_deref().unwrap_or("Choose a badge image"))
        .add_filter("Images (PNG, SVG)", &["png", "svg"])
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}

/// A badge image that passed the core's checks, ready to preview.
#[derive(Serialize)]
pub struct CheckedImageOut {
    /// The file.
    pub path: String,
    pub width: u32,
    pub height: u32,
    /// Things that work but could be better.
    pub warnings: Vec<String>,
    /// The image as a `data:` URI.
    pub uri: String,
}

/// Checks a file as a badge image the way saving a class will (square,
/// size, SVG safety), or (`logo`) as an issuer's image, which may have any
/// shape; the error is the sentence to show beside the field.
#[tauri::command]
pub async fn check_image(state: Shared<'_>, path: String, logo: bool) -> Answer<CheckedImageOut> {
    use satchel::issuer::image::{self, Problem};
    let state = state.inner().clone();
    crate::jobs::run_blocking(move || {
        let checked = match state.check_badge_image(Path::new(&path)) {
            Ok(c) => c,
            Err(e) if !logo => return Err(e.into()),
            Err(e) => {
                // Too large or unreadable: the core's sentence stands.
                let size = std::fs::metadata(&path)
                    .map(|m| m.len())
                    .unwrap_or(u64::MAX);
                if size > image::MAX_BYTES as u64 {
                    return Err(e.into());
                }
                let bytes = std::fs::read(&path).map_err(|_| CommandError::from(e))?;
                match image::check_badge_image(&path, &bytes) {
                    Ok(c) => c,
                    Err(p) => match p.problem {
                        Problem::NotSquare(width, height) | Problem::TooSmall(width, height) => {
                            image::CheckedImage {
                                format: satchel::bake::image_format(&bytes)
                                    .ok_or_else(|| bad_request(p.to_string()))?,
                                width,
                                height,
                                warnings: Vec::new(),
                            }
                        }
                        _ => return Err(bad_request(p.to_string())),
                    },
                }
            }
        };
        let bytes = std::fs::read(&path).map_err(|e| {
            CommandError::new(ErrorCode::Io, format!("{path} cannot be read ({e})"))
        })?;
        let mime = match checked.format {
            satchel::bake::ImageFormat::Png => "image/png",
            satchel::bake::ImageFormat::Svg => "image/svg+xml",
        };
        Ok(CheckedImageOut {
            uri: data_uri(mime, &bytes),
            path,
            width: checked.width,
            height: checked.height,
            warnings: checked.warnings,
        })
    })
    .await
}

// ------------------------------------------------------------------ classes

/// A badge class as the window shows it: the record, its image and how many
/// times it was awarded.
#[derive(Serialize)]
pub struct ClassOut {
    /// The class.
    #[serde(flatten)]
    pub class: ClassRecord,
    /// Its image as a `data:` URI.
    pub image_uri: String,
    /// How many badges of it were awarded.
    pub awards: u64,
}

fn class_out(state: &AppState, class: ClassRecord) -> Answer<ClassOut> {
    let awards = state
        .store()
        .class_award_count(class.id)
        .map_err(satchel::app::AppError::from)?;
    Ok(ClassOut {
        image_uri: data_uri(&class.image_type, &class.image),
        awards,
        class,
    })
}

/// The class editor's form (`None` leaves a field as it is when editing).
#[derive(Debug, Default, Deserialize)]
pub struct ClassForm {
    pub name: Option<String>,
    pub description: Option<String>,
    /// The image file (PNG or SVG); required for a new class.
    pub image: Option<String>,
    /// Criteria in Markdown.
    pub criteria: Option<String>,
    pub criteria_url: Option<String>,
    /// `ob3` (default), `ob2-hosted` or `ob2-signed`.
    pub format: Option<String>,
    #[serde(default)]
    pub vc_jwt: bool,
    #[serde(default)]
    pub suspendable: bool,
    /// `2y`, `18m`, `90d`; empty for none.
    pub valid_for: Option<String>,
    pub tags: Option<Vec<String>>,
    /// `{ targetName, targetUrl, targetDescription, targetFramework, targetCode }`.
    pub alignments: Option<Vec<serde_json::Value>>,
}

/// The badge classes of `issuer` (all issuers' with `None`).
#[tauri::command]
pub async fn classes(state: Shared<'_>, issuer: Option<i64>) -> Answer<Vec<ClassOut>> {
    let state = state.inner().clone();
    crate::jobs::run_blocking(move || {
        state
            .classes(issuer)?
            .into_iter()
            .map(|c| class_out(&state, c))
            .collect()
    })
    .await
}

/// One badge class.
#[tauri::command]
pub async fn class(state: Shared<'_>, id: i64) -> Answer<ClassOut> {
    let c = state.class(id)?;
    class_out(&state, c)
}

/// Creates a badge class of `issuer`.
#[tauri::command]
pub async fn create_class(state: Shared<'_>, issuer: i64, form: ClassForm) -> Answer<ClassOut> {
    let state = state.inner().clone();
    crate::jobs::run_blocking(move || {
        let image = given(form.image).ok_or_else(|| {
            bad_request("a badge class needs an image: drop one, choose one, or design one")
        })?;
        let new = NewClass {
            issuer,
            name: form.name.unwrap_or_default(),
            description: form.description.unwrap_or_default(),
            image: PathBuf::from(image),
            criteria: given(form.criteria),
            criteria_url: given(form.criteria_url),
            format: given(form.format).unwrap_or_else(|| "ob3".to_owned()),
            vc_jwt: form.vc_jwt,
            suspendable: form.suspendable,
            valid_for: given(form.valid_for),
            tags: form.tags.unwrap_or_default(),
            achievement_type: None,
            alignments: form.alignments.unwrap_or_default(),
        };
        let c = state.create_class(&new)?;
        class_out(&state, c)
    })
    .await
}

/// Changes a badge class (the format cannot change: awards point at it).
#[tauri::command]
pub async fn edit_class(state: Shared<'_>, id: i64, form: ClassForm) -> Answer<ClassOut> {
    let state = state.inner().clone();
    crate::jobs::run_blocking(move || {
        let edit = ClassEdit {
            name: form.name,
            description: form.description,
            image: given(form.image).map(PathBuf::from),
            criteria: form.criteria,
            criteria_url: given(form.criteria_url),
            valid_for: form.valid_for.map(|v| {
                if v.trim().is_empty() {
                    "none".to_owned()
                } else {
                    v
                }
            }),
            tags: form.tags,
            vc_jwt: Some(form.vc_jwt),
            alignments: form.alignments,
        };
        let c = state.edit_class(id, &edit)?;
        class_out(&state, c)
    })
    .await
}

/// Criteria Markdown as the safe HTML the badge page will carry, for the
/// editor's preview (the window parses it into inert nodes, see
/// `ui/issue-classes.js`).
#[tauri::command]
pub async fn criteria_preview(markdown: String) -> Answer<String> {
    Ok(satchel::issuer::markdown::to_html(&markdown))
}

// ------------------------------------------------------------------ designer

/// A design as the designer form sends it.
#[derive(Debug, Deserialize)]
pub struct DesignForm {
    /// `circle`, `shield`, `hexagon` or `ribbon`.
    pub shape: String,
    /// `#rrggbb` colours.
    pub background: String,
    pub foreground: String,
    pub accent: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// An icon's name (`star`, …), or none.
    pub icon: Option<String>,
}

impl DesignForm {
    fn design(&self) -> Answer<Design> {
        let shape = Shape::ALL
            .into_iter()
            .find(|s| s.name() == self.shape)
            .ok_or_else(|| bad_request(format!("there is no shape {:?}", self.shape)))?;
        let icon = match given(self.icon.clone()) {
            None => None,
            Some(name) => Some(
                Icon::ALL
                    .into_iter()
                    .find(|i| i.name() == name)
                    .ok_or_else(|| bad_request(format!("there is no icon {name:?}")))?,
            ),
        };
        let colour = |what: &str, text: &str| {
            Rgb::parse(text).ok_or_else(|| {
                bad_request(format!(
                    "the {what} colour {text:?} is not a colour; use the form #1f6feb"
                ))
            })
        };
        let title = self.title.trim();
        if title.is_empty() {
            return Err(bad_request(
                "the badge needs a title line; type the words to show on it",
            ));
        }
        if title.chars().count() > 60 {
            return Err(bad_request(
                "the title line is longer than 60 characters; shorten it so it stays readable",
            ));
        }
        Ok(Design {
            shape,
            background: colour("background", &self.background)?,
            foreground: colour("text", &self.foreground)?,
            accent: colour("accent", &self.accent)?,
            title: title.to_owned(),
            subtitle: given(self.subtitle.clone()).map(|s| s.trim().chars().take(60).collect()),
            icon,
        })
    }
}

/// What the designer offers.
#[derive(Serialize)]
pub struct DesignerChoices {
    pub shapes: Vec<&'static str>,
    pub icons: Vec<&'static str>,
    /// The contrast under which the designer warns.
    pub min_contrast: f64,
}

/// The shapes and icons the designer offers.
#[tauri::command]
pub async fn designer_choices() -> Answer<DesignerChoices> {
    Ok(DesignerChoices {
        shapes: Shape::ALL.iter().map(|s| s.name()).collect(),
        icons: Icon::ALL.iter().map(|i| i.name()).collect(),
        min_contrast: design::MIN_CONTRAST,
    })
}

/// A rendered design.
#[derive(Serialize)]
pub struct Rendered {
    /// The 512×512 PNG as a `data:` URI.
    pub uri: String,
    /// The PNG file, to save as a class's image (`None` for a preview).
    pub path: Option<String>,
    /// The contrast of text on background.
    pub contrast: f64,
    /// Sentences about what could be better (low contrast).
    pub warnings: Vec<String>,
}

/// Draws a design: a small PNG for the live preview, or (`save`) the
/// 512×512 PNG written under `<data>/designer/` for a class to use.
#[tauri::command]
pub async fn render_design(state: Shared<'_>, form: DesignForm, save: bool) -> Answer<Rendered> {
    let state = state.inner().clone();
    crate::jobs::run_blocking(move || {
        let d = form.design()?;
        let internal =
            |e: design::DesignError| CommandError::new(ErrorCode::Internal, e.to_string());
        let png = design::png(&d, if save { 512 } else { 256 }).map_err(internal)?;
        let path = if save {
            let dir = state.data_dir().join("designer");
            let io = |e: std::io::Error| {
                CommandError::new(
                    ErrorCode::Io,
                    format!("the design could not be saved in {} ({e})", dir.display()),
                )
            };
            std::fs::create_dir_all(&dir).map_err(io)?;
            let name = format!(
                "{}-{}.png",
                satchel::issuer::safe_name(&d.title),
                satchel::issuer::new_uuid().map_err(satchel::app::AppError::from)?
            );
            let file = dir.join(name);
            satchel::atomic::write_file(&file, &png).map_err(io)?;
            Some(file.display().to_string())
        } else {
            None
        };
        Ok(Rendered {
            uri: data_uri("image/png", &png),
            path,
            contrast: design::contrast(d.foreground, d.background),
            warnings: design::warnings(&d),
        })
    })
    .await
}

// ------------------------------------------------------------------ keys

/// Retires the issuer's signing keys and makes new ones.
#[tauri::command]
pub async fn rotate_keys(state: Shared<'_>, id: i64) -> Answer<IssuerOut> {
    let state = state.inner().clone();
    crate::jobs::run_blocking(move || Ok(state.rotate_keys(id)?.into())).await
}

/// Asks where to save a key export (`save`) or which one to open (native
/// dialog); `None` when cancelled.
#[tauri::command]
pub async fn pick_key_file(app: AppHandle, save: bool, id: Option<i64>) -> Answer<Option<String>> {
    let dialog = app
        .dialog()
        .file()
        .add_filter("Satchel key export", &["age"]);
    let picked = if save {
        dialog
            .set_title("Export the issuer's keys")
            .set_file_name(format!("satchel-issuer-{}-keys.age", id.unwrap_or(1)))
            .blocking_save_file()
    } else {
        dialog.set_title("Import issuer keys").blocking_pick_file()
    };
    Ok(picked
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}

/// Exports the issuer's private keys to the new file `path`, sealed with
/// `passphrase`.
#[tauri::command]
pub async fn export_keys(
    state: Shared<'_>,
    id: i64,
    passphrase: String,
    path: String,
) -> Answer<Vec<KeyMoved>> {
    check_passphrase(&passphrase)?;
    let state = state.inner().clone();
    crate::jobs::run_blocking(move || {
        Ok(state.export_keys(Some(id), Path::new(&path), &passphrase)?)
    })
    .await
}

/// Imports the keys of the key export `path`, opened with `passphrase`.
#[tauri::command]
pub async fn import_keys(
    state: Shared<'_>,
    passphrase: String,
    path: String,
) -> Answer<Vec<KeyMoved>> {
    let state = state.inner().clone();
    crate::jobs::run_blocking(move || {
        let bundle = state.open_keys(Path::new(&path), &passphrase)?;
        Ok(state.import_keys(&bundle)?)
    })
    .await
}

fn check_passphrase(passphrase: &str) -> Answer<()> {
    if passphrase.chars().count() < 8 {
        return Err(bad_request(
            "the passphrase is shorter than 8 characters; choose a longer one and keep it somewhere safe",
        ));
    }
    Ok(())
}

/// Sentences about key files of the issuer that cannot sign as they are
/// (missing, or readable by other users); empty when all is well.
#[tauri::command]
pub async fn key_warnings(state: Shared<'_>, id: i64) -> Answer<Vec<String>> {
    Ok(state.key_file_warnings(id)?)
}

/// The format new badge classes of the issuer start with.
#[tauri::command]
pub async fn default_format(state: Shared<'_>, id: i64) -> Answer<String> {
    Ok(state.issuer_default_format(id)?)
}

/// Sets the format new badge classes of the issuer start with.
#[tauri::command]
pub async fn set_default_format(state: Shared<'_>, id: i64, format: String) -> Answer<()> {
    Ok(state.set_issuer_default_format(id, &format)?)
}

// ------------------------------------------------------------------ email

/// Asks for the PEM file of a mail server's private certificate authority
/// (native dialog); `None` when cancelled.
#[tauri::command]
pub async fn pick_ca_file(app: AppHandle) -> Answer<Option<String>> {
    Ok(app
        .dialog()
        .file()
        .set_title("Choose the mail server's certificate authority")
        .add_filter("Certificates (PEM)", &["pem", "crt", "cer"])
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}

/// The SMTP settings as the Settings form shows them.
#[derive(Serialize)]
pub struct SmtpOut {
    /// The saved settings (no password), if any.
    pub config: Option<SmtpConfig>,
    /// Whether a password is at hand for this run (typed in, or from
    /// `SATCHEL_SMTP_PASSWORD`); the password itself never leaves Rust.
    pub has_password: bool,
}

fn smtp_out(state: &AppState, password: &SmtpPassword) -> Answer<SmtpOut> {
    Ok(SmtpOut {
        config: state.smtp_config()?,
        has_password: password.get().is_some(),
    })
}

/// The saved SMTP settings.
#[tauri::command]
pub async fn smtp_settings(
    state: Shared<'_>,
    password: State<'_, SmtpPassword>,
) -> Answer<SmtpOut> {
    smtp_out(&state, &password)
}

/// Saves the SMTP settings (`None` forgets them) and keeps `password`, when
/// given, in memory for this run only; `forget_password` drops it.
#[tauri::command]
pub async fn save_smtp_settings(
    state: Shared<'_>,
    password: State<'_, SmtpPassword>,
    config: Option<SmtpConfig>,
    new_password: Option<String>,
    forget_password: Option<bool>,
) -> Answer<SmtpOut> {
    state.save_smtp_config(config)?;
    if forget_password == Some(true) {
        password.set(None);
    } else if let Some(p) = new_password.filter(|p| !p.is_empty()) {
        password.set(Some(p));
    }
    smtp_out(&state, &password)
}

/// The SMTP password, kept in this process's memory only (for sending
/// badge emails); never written anywhere.
#[derive(Default)]
pub struct SmtpPassword(Mutex<Option<String>>);

impl SmtpPassword {
    /// The password given in this run, else `SATCHEL_SMTP_PASSWORD`.
    pub fn get(&self) -> Option<String> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .or_else(|| std::env::var("SATCHEL_SMTP_PASSWORD").ok())
    }

    /// The saved SMTP settings with the password at hand, for sending.
    pub fn settings(&self, state: &AppState) -> Answer<satchel::issuer::mail::SmtpSettings> {
        let config = state.smtp_config()?.ok_or_else(|| {
            bad_request(
                "there are no email settings yet; fill in the mail server under Issuer and keys",
            )
        })?;
        Ok(config.settings(self.get())?)
    }

    fn set(&self, password: Option<String>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = password;
    }
}

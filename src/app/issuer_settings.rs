//! Issue mode's saved preferences, in `issuer-settings.json` in the data
//! folder: the SMTP server badge emails go through (never its password,
//! which a shell asks for and keeps in memory, or takes from the
//! environment; the path of a private CA's certificate, which is no secret,
//! may be saved) and the format each issuer's new badge classes start with.
//! Also the check the desktop app shows as a warning: key files that other
//! users of the computer may read (signing with them is refused).

use super::{App, AppError, ErrorCode};
use crate::issuer::mail::{Security, SmtpSettings};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// The file in the data folder.
pub const ISSUER_SETTINGS_FILE: &str = "issuer-settings.json";

/// The largest settings file read.
const MAX_BYTES: u64 = 64 * 1024;

/// Where badge emails are sent from, as saved (no password).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmtpConfig {
    /// The server's host name.
    pub host: String,
    /// Its port (587 for STARTTLS, 465 for TLS, 25 for plain).
    pub port: u16,
    /// `starttls`, `tls` or `plain` (plain only to this computer).
    pub security: String,
    /// The login, if the server wants one.
    #[serde(default)]
    pub username: Option<String>,
    /// The sender address, if not the issuer's own.
    #[serde(default)]
    pub from: Option<String>,
    /// A PEM file of certificate authorities to trust besides the
    /// system's, for a server whose certificate comes from a private CA.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
}

impl SmtpConfig {
    /// The settings to send with, with `password` for this call only.
    pub fn settings(&self, password: Option<String>) -> Result<SmtpSettings, AppError> {
        Ok(SmtpSettings {
            host: self.host.clone(),
            port: self.port,
            security: security(&self.security)?,
            username: self.username.clone(),
            password,
            timeout: Duration::from_secs(30),
            ca_file: self.ca_file.clone(),
        })
    }
}

/// What the file holds.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct IssuerSettings {
    #[serde(default)]
    smtp: Option<SmtpConfig>,
    /// Issuer number → `ob3`, `ob2-hosted` or `ob2-signed`.
    #[serde(default)]
    formats: BTreeMap<i64, String>,
}

fn invalid(message: String) -> AppError {
    AppError::new(ErrorCode::Invalid, message)
}

fn security(text: &str) -> Result<Security, AppError> {
    match text {
        "starttls" => Ok(Security::StartTls),
        "tls" => Ok(Security::ImplicitTls),
        "plain" => Ok(Security::PlainLocalOnly),
        other => Err(invalid(format!(
            "the connection security {other:?} is not one of starttls, tls or plain"
        ))),
    }
}

fn optional(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// The CA file as saved: none for an empty name; else checked (PEM
/// certificates) and made absolute, so it means the same file from any
/// working folder.
fn ca_file(file: Option<PathBuf>) -> Result<Option<PathBuf>, AppError> {
    let Some(file) = file.filter(|f| !f.as_os_str().is_empty()) else {
        return Ok(None);
    };
    crate::issuer::mail::check_ca_file(&file)
        .map_err(|e| invalid(e.to_string().trim_end_matches('.').to_owned()))?;
    let absolute = std::path::absolute(&file).map_err(|e| {
        AppError::new(
            ErrorCode::Io,
            format!(
                "the CA file {} cannot be found from here ({e})",
                file.display()
            ),
        )
    })?;
    Ok(Some(absolute))
}

impl App {
    fn issuer_settings(&self) -> Result<IssuerSettings, AppError> {
        let path = self.data_dir().join(ISSUER_SETTINGS_FILE);
        let bytes = match std::fs::File::open(&path) {
            Ok(f) => {
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_BYTES + 1), &mut bytes)
                    .map_err(|e| {
                        AppError::new(
                            ErrorCode::Io,
                            format!("{} cannot be read ({e})", path.display()),
                        )
                    })?;
                bytes
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(IssuerSettings::default())
            }
            Err(e) => {
                return Err(AppError::new(
                    ErrorCode::Io,
                    format!("{} cannot be read ({e})", path.display()),
                ))
            }
        };
        if bytes.len() as u64 > MAX_BYTES {
            return Err(invalid(format!(
                "{} is larger than any settings file; delete it and save the settings again",
                path.display()
            )));
        }
        serde_json::from_slice(&bytes).map_err(|e| {
            invalid(format!(
                "{} is not a Satchel settings file ({e}); delete it and save the settings again",
                path.display()
            ))
        })
    }

    fn save_issuer_settings(&self, settings: &IssuerSettings) -> Result<(), AppError> {
        let path = self.data_dir().join(ISSUER_SETTINGS_FILE);
        let text = serde_json::to_vec_pretty(settings)
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        crate::atomic::write_file(&path, text).map_err(|e| {
            AppError::new(
                ErrorCode::Io,
                format!(
                    "the settings could not be saved in {} ({e})",
                    path.display()
                ),
            )
        })
    }

    /// The saved SMTP settings, if any.
    pub fn smtp_config(&self) -> Result<Option<SmtpConfig>, AppError> {
        Ok(self.issuer_settings()?.smtp)
    }

    /// Checks and saves the SMTP settings (`None` forgets them). There is
    /// no password in them: it is never written anywhere.
    pub fn save_smtp_config(
        &self,
        config: Option<SmtpConfig>,
    ) -> Result<Option<SmtpConfig>, AppError> {
        let config = match config {
            None => None,
            Some(c) => {
                let host = c.host.trim().to_owned();
                if host.is_empty() || host.contains(char::is_whitespace) || host.contains('/') {
                    return Err(invalid(format!(
                        "{:?} is not a mail server's name; give one like smtp.example.org",
                        c.host
                    )));
                }
                if c.port == 0 {
                    return Err(invalid(
                        "the port 0 is not a mail server's port; use 587 (STARTTLS), 465 (TLS) or 25".to_owned(),
                    ));
                }
                let sec = security(&c.security)?;
                let local = matches!(host.as_str(), "127.0.0.1" | "::1" | "[::1]" | "localhost");
                if sec == Security::PlainLocalOnly && !local {
                    return Err(invalid(format!(
                        "plain SMTP without encryption is only allowed to this computer, not to {host}; choose STARTTLS or TLS"
                    )));
                }
                let from = optional(&c.from)
                    .map(|f| crate::issuer::check_email(&f))
                    .transpose()?;
                Some(SmtpConfig {
                    host,
                    port: c.port,
                    security: c.security,
                    username: optional(&c.username),
                    from,
                    ca_file: ca_file(c.ca_file)?,
                })
            }
        };
        let mut settings = self.issuer_settings().unwrap_or_default();
        settings.smtp = config.clone();
        self.save_issuer_settings(&settings)?;
        Ok(config)
    }

    /// The format new badge classes of `issuer` start with (`ob3` unless
    /// the set-up chose another).
    pub fn issuer_default_format(&self, issuer: i64) -> Result<String, AppError> {
        Ok(self
            .issuer_settings()?
            .formats
            .get(&issuer)
            .cloned()
            .unwrap_or_else(|| "ob3".to_owned()))
    }

    /// Sets the format new badge classes of `issuer` start with.
    pub fn set_issuer_default_format(&self, issuer: i64, format: &str) -> Result<(), AppError> {
        let format = crate::issuer::Format::parse(format)?;
        App::issuer_record(&self.store(), issuer)?;
        let mut settings = self.issuer_settings().unwrap_or_default();
        settings.formats.insert(issuer, format.as_str().to_owned());
        self.save_issuer_settings(&settings)
    }

    /// One sentence per key file of `issuer` that cannot sign as it is:
    /// missing, not a file, or readable by other users (with the `chmod`
    /// that fixes it). Empty when every key file is fine.
    pub fn key_file_warnings(&self, issuer: i64) -> Result<Vec<String>, AppError> {
        let keys = {
            let store = self.store();
            App::issuer_record(&store, issuer)?;
            store.issuer_keys(issuer)?
        };
        let folder = crate::issuer::KeyFolder::new(self.data_dir());
        let mut warnings = Vec::new();
        for k in keys {
            let path = folder.file(k.issuer_id, &k.name);
            match std::fs::symlink_metadata(&path) {
                Err(_) => warnings.push(format!(
                    "The key file {} is missing; import it from a key export, or badges cannot be signed with {}.",
                    path.display(),
                    k.name
                )),
                Ok(m) if !m.is_file() => warnings.push(format!(
                    "The key file {} is not a regular file; put the key file itself there.",
                    path.display()
                )),
                Ok(m) => {
                    #[cfg(unix)]
                    {
                        use std::os::unix::fs::PermissionsExt;
                        if m.permissions().mode() & 0o077 != 0 {
                            warnings.push(format!(
                                "The key file {} can be read by other users of this computer, so Satchel will not sign with it; run `chmod 600 {}`.",
                                path.display(),
                                path.display()
                            ));
                        }
                    }
                    #[cfg(not(unix))]
                    let _ = m;
                }
            }
        }
        Ok(warnings)
    }
}

//! `satchel award --send`: the SMTP flags, the password (from the
//! environment or a prompt, never an argument), and the per-recipient
//! report. Passphrase and password prompts for the other issuer commands
//! live here too.

use crate::common::{print_json, rejected, usage};
use crate::Failure;
use satchel::app::{App, Delivery, KeyMoved};
use satchel::issuer::mail::{self, Security, SmtpSettings};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

/// How `--send` reaches the mail server.
#[derive(clap::Args, Clone, Debug)]
pub struct SmtpArgs {
    /// With --send: the SMTP server.
    #[arg(long, env = "SATCHEL_SMTP_HOST", value_name = "HOST")]
    smtp_host: Option<String>,
    /// With --send: its port (default 587, 465 for tls, 25 for plain).
    #[arg(long, env = "SATCHEL_SMTP_PORT", value_name = "PORT")]
    smtp_port: Option<u16>,
    /// With --send: starttls, tls, or plain (this computer only).
    #[arg(
        long,
        env = "SATCHEL_SMTP_SECURITY",
        value_name = "starttls|tls|plain",
        default_value = "starttls"
    )]
    smtp_security: String,
    /// With --send: the login; the password comes from
    /// SATCHEL_SMTP_PASSWORD or a prompt, never from the command line.
    #[arg(long, env = "SATCHEL_SMTP_USER", value_name = "USER")]
    smtp_user: Option<String>,
    /// With --send: the sender's address (default the issuer's email).
    #[arg(long, env = "SATCHEL_SMTP_FROM", value_name = "EMAIL")]
    from: Option<String>,
    /// With --send over starttls or tls: a PEM file of certificate
    /// authorities to trust besides the system's, for a mail server whose
    /// certificate comes from a private CA.
    #[arg(long, env = "SATCHEL_SMTP_CA_FILE", value_name = "FILE")]
    smtp_ca_file: Option<PathBuf>,
}

/// Sending as the command line asks: the settings and the sender.
pub struct Sending {
    settings: SmtpSettings,
    from: Option<String>,
}

/// A secret from `var`, else asked for on the terminal without echo
/// (`twice`: typed again to confirm); `None` when neither is possible.
pub fn secret(var: &str, prompt: &str, twice: bool) -> Result<Option<String>, Failure> {
    if let Ok(v) = std::env::var(var) {
        return Ok(Some(v));
    }
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let read = |p: &str| {
        rpassword::prompt_password(p).map_err(|e| usage(format!("could not read the {var} ({e})")))
    };
    let first = read(prompt)?;
    if twice && read("Again, to confirm: ")? != first {
        return Err(usage("the two entries differ; nothing was written"));
    }
    Ok(Some(first))
}

/// The passphrase of a key export (`confirm`: asked twice, for a new one).
pub fn key_passphrase(confirm: bool) -> Result<String, Failure> {
    secret(
        "SATCHEL_KEY_PASSPHRASE",
        "Passphrase for the issuer keys: ",
        confirm,
    )?
    .ok_or_else(|| usage("the passphrase for the issuer keys is needed: set SATCHEL_KEY_PASSPHRASE or run in a terminal"))
}

/// Prints what happened to each key.
pub fn say_keys(keys: &[KeyMoved], json: bool) {
    for k in keys {
        if json {
            print_json(k);
        } else {
            say!(
                "issuer {} key {} ({}): {}",
                k.issuer,
                k.name,
                k.algorithm,
                k.outcome
            );
        }
    }
}

impl SmtpArgs {
    /// The settings `--send` uses, the password read now (before anything
    /// is awarded).
    pub fn sending(&self) -> Result<Sending, Failure> {
        let host = self.smtp_host.clone().ok_or_else(|| {
            usage("--send needs the mail server: give --smtp-host HOST (or set SATCHEL_SMTP_HOST)")
        })?;
        let (security, port) = match self.smtp_security.as_str() {
            "starttls" => (Security::StartTls, 587),
            "tls" => (Security::ImplicitTls, 465),
            "plain" => (Security::PlainLocalOnly, 25),
            other => {
                return Err(usage(format!(
                    "--smtp-security {other:?} is not one of starttls, tls or plain"
                )))
            }
        };
        if let Some(file) = &self.smtp_ca_file {
            mail::check_ca_file(file).map_err(usage)?;
        }
        let password = match &self.smtp_user {
            Some(user) => Some(
                secret(
                    "SATCHEL_SMTP_PASSWORD",
                    &format!("SMTP password for {user} at {host}: "),
                    false,
                )?
                .ok_or_else(|| {
                    usage(format!(
                        "the SMTP password for {user} is needed: set SATCHEL_SMTP_PASSWORD or run in a terminal"
                    ))
                })?,
            ),
            None => None,
        };
        Ok(Sending {
            settings: SmtpSettings {
                host,
                port: self.smtp_port.unwrap_or(port),
                security,
                username: self.smtp_user.clone(),
                password,
                timeout: Duration::from_secs(30),
                ca_file: self.smtp_ca_file.clone(),
            },
            from: self.from.clone(),
        })
    }
}

impl Sending {
    /// Sends each (award, baked badge file); a progress bar unless `quiet`.
    pub fn send(
        &self,
        app: &App,
        awards: &[(i64, PathBuf)],
        quiet: bool,
    ) -> Result<Vec<Delivery>, Failure> {
        let bar = crate::common::progress_bar(quiet || awards.len() < 2, "Sending");
        let report = app.send_awards(
            awards,
            &self.settings,
            self.from.as_deref(),
            &mut |n, total| {
                bar.set_length(total as u64);
                bar.set_position(n as u64);
            },
            &crate::common::CANCEL,
        );
        bar.finish_and_clear();
        Ok(report?)
    }
}

/// `value` (an award's JSON object) with its email's outcome as `email`.
pub fn with_email(value: &impl serde::Serialize, d: Option<&Delivery>) -> serde_json::Value {
    let mut v = serde_json::to_value(value).unwrap_or_default();
    if let (Some(d), Some(o)) = (d, v.as_object_mut()) {
        o.insert(
            "email".to_owned(),
            serde_json::json!({"sent": d.sent, "reason": d.reason}),
        );
    }
    v
}

/// Prints one JSON line per award, each with its email's outcome.
pub fn print_with_email<T: serde::Serialize>(
    items: &[T],
    id_of: fn(&T) -> Option<i64>,
    sent: &[Delivery],
) {
    for item in items {
        let d = id_of(item).and_then(|id| sent.iter().find(|d| d.award == id));
        print_json(&with_email(item, d));
    }
}

/// Prints the per-recipient report (text) and fails when any was not sent.
pub fn report(sent: &[Delivery], json: bool) -> Result<(), Failure> {
    if !json {
        for d in sent {
            match &d.reason {
                None => say!("Emailed the badge of award {} to {}.", d.award, d.recipient),
                Some(why) => say!("Award {}: {why}", d.award),
            }
        }
    }
    let failed = sent.iter().filter(|d| !d.sent).count();
    if failed > 0 {
        return Err(rejected(format!(
            "{failed} of {} badge emails were not sent; the awards stand, and `satchel award` wrote their files",
            sent.len()
        )));
    }
    Ok(())
}

//! Badge emails: a message telling an earner what they earned, from whom and
//! how to keep it, with the baked badge attached.
//!
//! [`draft`] writes one message as an RFC 5322 `.eml` file (for the user's
//! own mail program); [`send`] sends a batch over SMTP with STARTTLS or
//! implicit TLS (rustls, the platform's certificate verifier, plus the
//! certificate authorities of a PEM file when the server's certificate comes
//! from a private CA: [`SmtpSettings::ca_file`]), or plain SMTP to the local
//! machine only (for tests and local relays). Certificates and host names
//! are always checked. Messages are built
//! with `lettre`: multipart/mixed holding a text and an HTML body
//! (multipart/alternative) and the badge file, whose type comes from its
//! content, never from a name.
//!
//! The SMTP password is handed in by the caller (from `SATCHEL_SMTP_PASSWORD`
//! or a prompt) for one call and never stored. Every connection has a bounded
//! timeout; each recipient gets its own result with a one-sentence error.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Address, Message, SmtpTransport, Transport};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// One badge email: who sends it, who gets it, what was earned, and the file.
#[derive(Clone, Debug)]
pub struct MailBadge {
    /// The sender's display name (e.g. the issuer's contact person).
    pub from_name: String,
    /// The sender's address.
    pub from_email: String,
    /// The earner's name, if known.
    pub to_name: Option<String>,
    /// The earner's address.
    pub to_email: String,
    /// The badge's name.
    pub badge_name: String,
    /// The issuer's name.
    pub issuer_name: String,
    /// The criteria or a note, in Markdown (shown as HTML in the HTML body).
    pub narrative: Option<String>,
    /// The attachment's file name (made safe before use).
    pub attachment_name: String,
    /// The baked badge (PNG or SVG) or the credential (JSON).
    pub attachment: Vec<u8>,
}

/// Why a message could not be built, or a batch not started. Displays as
/// one sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailError {
    /// An address that is not a valid email address; carries it.
    BadAddress(String),
    /// The attachment is not a PNG, SVG or JSON file; carries its name.
    BadAttachment(String),
    /// Plain SMTP was asked for a host other than this machine; carries it.
    PlainToRemoteHost(String),
    /// lettre refused to build the message; carries its reason.
    Build(String),
    /// The file of extra certificate authorities cannot be used; carries
    /// the file and what is wrong with it.
    CaFile(PathBuf, CaProblem),
}

/// What is wrong with a file of certificate authorities.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaProblem {
    /// There is no such file.
    Missing,
    /// It cannot be read; carries the system's reason.
    Unreadable(String),
    /// It is larger than [`MAX_CA_FILE_BYTES`].
    TooLarge,
    /// It holds no PEM certificate.
    NotPem,
    /// A certificate in it cannot be decoded or used; carries the reason.
    BadCertificate(String),
}

/// The largest file of certificate authorities read (a bundle of every
/// public CA is about 200 KiB).
pub const MAX_CA_FILE_BYTES: u64 = 1024 * 1024;

impl fmt::Display for MailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MailError::BadAddress(a) => write!(f, "\"{a}\" is not an email address; use the form name@example.org."),
            MailError::BadAttachment(n) => write!(f, "{n} is not a badge image or credential (PNG, SVG or JSON); attach the baked badge file."),
            MailError::PlainToRemoteHost(h) => write!(f, "plain SMTP without encryption is only allowed to this computer, not to {h}; choose STARTTLS or TLS."),
            MailError::Build(why) => write!(f, "the email could not be built ({why})."),
            MailError::CaFile(file, problem) => {
                let file = file.display();
                let pem = "give the certificate authority's certificate as a PEM file";
                match problem {
                    CaProblem::Missing => write!(f, "the CA file {file} does not exist; {pem}."),
                    CaProblem::Unreadable(e) => write!(f, "the CA file {file} cannot be read ({e}); check its name and permissions."),
                    CaProblem::TooLarge => write!(f, "the CA file {file} is larger than any file of certificate authorities (1 MiB); {pem}."),
                    CaProblem::NotPem => write!(f, "the CA file {file} holds no PEM certificate (a block starting -----BEGIN CERTIFICATE-----); {pem}."),
                    CaProblem::BadCertificate(e) => write!(f, "the CA file {file} holds a certificate that cannot be used ({e}); {pem}."),
                }
            }
        }
    }
}

impl std::error::Error for MailError {}

/// How the connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// Plain SMTP upgraded with STARTTLS (required), usually port 587.
    StartTls,
    /// TLS from the first byte, usually port 465.
    ImplicitTls,
    /// No encryption: only to 127.0.0.1, ::1 or localhost.
    PlainLocalOnly,
}

/// Where and how to send.
#[derive(Clone)]
pub struct SmtpSettings {
    /// The server's host name.
    pub host: String,
    /// The server's port.
    pub port: u16,
    /// The connection's protection.
    pub security: Security,
    /// The login, if the server wants one.
    pub username: Option<String>,
    /// The password for this call only (never stored).
    pub password: Option<String>,
    /// The longest wait for any one network step.
    pub timeout: Duration,
    /// A PEM file of certificate authorities trusted besides the system's,
    /// for servers whose certificate comes from a private CA (STARTTLS and
    /// TLS only).
    pub ca_file: Option<PathBuf>,
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("timeout", &self.timeout)
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

/// What happened to one recipient's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendResult {
    /// The recipient's address, as given.
    pub to_email: String,
    /// `Ok` once the server accepted the message; else one sentence why not.
    pub outcome: Result<(), String>,
}

/// One badge email as an RFC 5322 message (`.eml` bytes).
///
/// # Errors
///
/// A bad address or an attachment that is not a badge file.
pub fn draft(badge: &MailBadge) -> Result<Vec<u8>, MailError> {
    Ok(message(badge)?.formatted())
}

/// Sends each badge email over SMTP, calling `progress(done, total)` after
/// each and stopping (the rest marked not sent) once `cancel` is set.
///
/// # Errors
///
/// Only when nothing can be tried: plain SMTP to a remote host, or a CA
/// file that cannot be used. Everything else is a per-recipient
/// [`SendResult`].
pub fn send(
    settings: &SmtpSettings,
    badges: &[MailBadge],
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<Vec<SendResult>, MailError> {
    let transport = transport(settings)?;
    let mut results = Vec::with_capacity(badges.len());
    // One connection check first, so an unreachable server costs one timeout,
    // not one per recipient.
    let reachable = match transport.test_connection() {
        Ok(true) => Ok(()),
        Ok(false) => Err(format!(
            "the mail server {}:{} did not answer",
            settings.host, settings.port
        )),
        Err(e) => Err(describe(&e, settings)),
    };
    for (i, badge) in badges.iter().enumerate() {
        let outcome = if cancel.load(Ordering::Relaxed) {
            Err("not sent: sending was cancelled".to_owned())
        } else if let Err(e) = &reachable {
            Err(e.clone())
        } else {
            match message(badge) {
                Ok(m) => transport
                    .send(&m)
                    .map(|_| ())
                    .map_err(|e| describe(&e, settings)),
                Err(e) => Err(e.to_string().trim_end_matches('.').to_owned()),
            }
        };
        results.push(SendResult {
            to_email: badge.to_email.clone(),
            outcome: outcome.map_err(|e| format!("{e}.")),
        });
        progress(i + 1, badges.len());
    }
    Ok(results)
}

fn transport(settings: &SmtpSettings) -> Result<SmtpTransport, MailError> {
    let host = settings.host.as_str();
    // lettre's `builder_dangerous` is a builder without TLS until one is
    // set: the TLS modes set it (required) right away.
    let builder = match settings.security {
        Security::StartTls => {
            SmtpTransport::builder_dangerous(host).tls(Tls::Required(tls_parameters(settings)?))
        }
        Security::ImplicitTls => {
            SmtpTransport::builder_dangerous(host).tls(Tls::Wrapper(tls_parameters(settings)?))
        }
        Security::PlainLocalOnly => {
            if !matches!(host, "127.0.0.1" | "::1" | "[::1]" | "localhost") {
                return Err(MailError::PlainToRemoteHost(host.to_owned()));
            }
            SmtpTransport::builder_dangerous(host)
        }
    };
    let mut builder = builder.port(settings.port).timeout(Some(settings.timeout));
    if let Some(user) = &settings.username {
        builder = builder.credentials(Credentials::new(
            user.clone(),
            settings.password.clone().unwrap_or_default(),
        ));
    }
    Ok(builder.build())
}

/// TLS for `settings.host`: the system's certificate authorities, plus
/// those of the CA file if one is given; certificates and the host name
/// always checked.
fn tls_parameters(settings: &SmtpSettings) -> Result<TlsParameters, MailError> {
    let mut builder = TlsParameters::builder(settings.host.clone());
    if let Some(file) = &settings.ca_file {
        for cert in ca_certificates(file)? {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder.build().map_err(|e| match &settings.ca_file {
        Some(file) => MailError::CaFile(file.clone(), CaProblem::BadCertificate(e.to_string())),
        None => MailError::Build(e.to_string()),
    })
}

/// Checks that `file` holds certificate authorities TLS can use (PEM, one
/// certificate or more), so a bad file is named before anything is sent or
/// saved.
///
/// # Errors
///
/// [`MailError::CaFile`] with what is wrong.
pub fn check_ca_file(file: &Path) -> Result<(), MailError> {
    tls_parameters(&SmtpSettings {
        host: "localhost".to_owned(),
        port: 0,
        security: Security::StartTls,
        username: None,
        password: None,
        timeout: Duration::ZERO,
        ca_file: Some(file.to_owned()),
    })
    .map(drop)
}

/// The certificates of the PEM file `file` (other PEM blocks, such as a
/// key, are skipped).
fn ca_certificates(file: &Path) -> Result<Vec<Certificate>, MailError> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    use std::io::Read;
    let fail = |problem| MailError::CaFile(file.to_owned(), problem);
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(MAX_CA_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => fail(CaProblem::Missing),
            _ => fail(CaProblem::Unreadable(e.to_string())),
        })?;
    if bytes.len() as u64 > MAX_CA_FILE_BYTES {
        return Err(fail(CaProblem::TooLarge));
    }
    let ders = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| fail(CaProblem::BadCertificate(e.to_string())))?;
    if ders.is_empty() {
        return Err(fail(CaProblem::NotPem));
    }
    ders.into_iter()
        .map(|der| Certificate::from_der(der.to_vec()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| fail(CaProblem::BadCertificate(e.to_string())))
}

/// One sentence (without its full stop) for an SMTP failure.
fn describe(e: &lettre::transport::smtp::Error, s: &SmtpSettings) -> String {
    let code = e.status().map(|c| c.to_string()).unwrap_or_default();
    let first_line = e.to_string().lines().next().unwrap_or("").to_owned();
    let at = format!("{}:{}", s.host, s.port);
    if let Some(why) = tls_failure(e, s) {
        why
    } else if e.is_client() && first_line.contains("STARTTLS is not supported") {
        format!("the mail server {at} does not offer STARTTLS; choose TLS, or check the port (587 for STARTTLS, 465 for TLS)")
    } else if code == "530" && first_line.contains("STARTTLS") {
        format!(
            "the mail server {at} takes mail only over an encrypted connection; choose STARTTLS"
        )
    } else if e.is_client() && first_line.contains("authentication mechanism") {
        format!("the mail server {at} offers no way to log in on this connection; choose STARTTLS or TLS, or give no user name if it needs none")
    } else if ["530", "534", "535"].contains(&code.as_str()) {
        format!(
            "the mail server {} refused the login for {}; check the user name and password",
            s.host,
            s.username.as_deref().unwrap_or("(no user name)")
        )
    } else if e.is_timeout() || timed_out(e) {
        format!(
            "the mail server {at} did not answer within {} seconds",
            s.timeout.as_secs()
        )
    } else if e.is_permanent() {
        format!("the mail server refused the message ({first_line})")
    } else if e.is_transient() {
        format!("the mail server cannot take the message now, so try again later ({first_line})")
    } else {
        format!("could not reach the mail server {at} ({first_line})")
    }
}

/// The sentence for a failed TLS handshake or session, with advice for a
/// certificate from an unknown authority or for another host; `None` when
/// `e` is no TLS failure. rustls reports a handshake that fails on a read
/// or write as an I/O error carrying its own error.
fn tls_failure(e: &lettre::transport::smtp::Error, s: &SmtpSettings) -> Option<String> {
    use rustls::{CertificateError, Error as TlsError};
    let mut tls = None;
    let mut source = std::error::Error::source(e);
    while let Some(err) = source {
        let inner = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|i| i.downcast_ref::<TlsError>());
        if let Some(t) = err.downcast_ref::<TlsError>().or(inner) {
            tls = Some(t);
            break;
        }
        source = err.source();
    }
    if tls.is_none() && !e.is_tls() {
        return None;
    }
    let why = tls.map_or_else(
        || e.to_string().lines().next().unwrap_or("").to_owned(),
        ToString::to_string,
    );
    let advice = match tls {
        Some(TlsError::InvalidCertificate(CertificateError::UnknownIssuer)) => {
            if s.ca_file.is_some() {
                "; its certificate comes from neither this computer's certificate authorities nor those of the CA file"
            } else {
                "; if its certificate comes from a private certificate authority (a school's or company's own), give that authority's certificate as the CA file"
            }
        }
        Some(TlsError::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        )) => "; its certificate is for another name, so use the server name the certificate names",
        Some(TlsError::InvalidMessage(_)) if s.security == Security::ImplicitTls => {
            "; the server does not seem to speak TLS from the first byte on this port, so choose STARTTLS (usually port 587)"
        }
        _ => "",
    };
    Some(format!(
        "the secure connection to {}:{} failed ({why}){advice}",
        s.host, s.port
    ))
}

/// Did a socket wait run out (a read or write timeout shows as an I/O
/// error, not as lettre's own timeout)?
fn timed_out(e: &lettre::transport::smtp::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            );
        }
        source = s.source();
    }
    false
}

fn message(b: &MailBadge) -> Result<Message, MailError> {
    let (file_name, content_type) = attachment(b)?;
    let from = mailbox(Some(&b.from_name), &b.from_email)?;
    let to = mailbox(b.to_name.as_deref(), &b.to_email)?;
    let subject = one_line(&format!(
        "You earned the badge \u{201c}{}\u{201d} from {}",
        b.badge_name, b.issuer_name
    ));
    let (text, html) = bodies(b, &file_name);
    Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .multipart(
            MultiPart::mixed()
                .multipart(MultiPart::alternative_plain_html(text, html))
                .singlepart(Attachment::new(file_name).body(b.attachment.clone(), content_type)),
        )
        .map_err(|e| MailError::Build(e.to_string()))
}

fn mailbox(name: Option<&str>, email: &str) -> Result<Mailbox, MailError> {
    let address: Address = email
        .trim()
        .parse()
        .map_err(|_| MailError::BadAddress(one_line(email)))?;
    let name = name.map(one_line).filter(|n| !n.is_empty());
    Ok(Mailbox::new(name, address))
}

/// The attachment's safe file name and its content type, from its bytes.
fn attachment(b: &MailBadge) -> Result<(String, ContentType), MailError> {
    let (ext, mime) = match crate::media::sniff_image(&b.attachment) {
        Some(("png", m)) | Some(("svg", m)) => (if m == "image/png" { "png" } else { "svg" }, m),
        _ if serde_json::from_slice::<serde::de::IgnoredAny>(&b.attachment).is_ok() => {
            ("json", "application/json")
        }
        _ => return Err(MailError::BadAttachment(one_line(&b.attachment_name))),
    };
    let content_type = ContentType::parse(mime).map_err(|e| MailError::Build(e.to_string()))?;
    Ok((safe_file_name(&b.attachment_name, ext), content_type))
}

/// A file name any mail program and file system takes: letters, digits,
/// `-`, `_` and `.` only (others become `-`), no leading dot, at most 80
/// characters, ending in `.ext`.
pub fn safe_file_name(name: &str, ext: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let base = match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    };
    let mut stem: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    while stem.contains("--") {
        stem = stem.replace("--", "-");
    }
    let stem: String = stem.trim_matches(['-', '.']).chars().take(80).collect();
    let stem = if stem.is_empty() {
        "badge".to_owned()
    } else {
        stem
    };
    format!("{stem}.{ext}")
}

/// `s` without control characters (no header line breaks), trimmed.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The text and HTML bodies.
fn bodies(b: &MailBadge, file_name: &str) -> (String, String) {
    let greeting = b
        .to_name
        .as_deref()
        .map(one_line)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "there".to_owned());
    let (badge, issuer, from) = (
        one_line(&b.badge_name),
        one_line(&b.issuer_name),
        one_line(&b.from_name),
    );
    let narrative = b
        .narrative
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let mut text = format!(
        "Hello {greeting},\n\n{issuer} has awarded you the badge \u{201c}{badge}\u{201d}.\n\n"
    );
    if let Some(n) = narrative {
        text.push_str(n);
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "The badge is attached to this email as {file_name}. To keep it:\n\
         - open Satchel and add this file (Import, or drop it on the window), or\n\
         - add it to any Open Badges backpack.\n\n\
         The file carries the badge's credential, so anyone can check that {issuer} awarded it to you.\n\n\
         Sent by {from} with Satchel.\n"
    ));
    let e = super::markdown::escape;
    let mut html = format!(
        "<!DOCTYPE html>\n<html><body>\n<p>Hello {},</p>\n<p>{} has awarded you the badge <strong>{}</strong>.</p>\n",
        e(&greeting),
        e(&issuer),
        e(&badge)
    );
    if let Some(n) = narrative {
        html.push_str("<div>\n");
        html.push_str(&super::markdown::to_html(n));
        html.push_str("</div>\n");
    }
    html.push_str(&format!(
        "<p>The badge is attached to this email as <code>{}</code>. To keep it:</p>\n\
         <ul>\n<li>open Satchel and add this file (Import, or drop it on the window), or</li>\n\
         <li>add it to any Open Badges backpack.</li>\n</ul>\n\
         <p>The file carries the badge's credential, so anyone can check that {} awarded it to you.</p>\n\
         <p>Sent by {} with Satchel.</p>\n</body></html>\n",
        e(file_name),
        e(&issuer),
        e(&from)
    ));
    (text, html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(safe_file_name("Rust Basics.png", "png"), "Rust-Basics.png");
        assert_eq!(safe_file_name("../../etc/passwd", "png"), "passwd.png");
        assert_eq!(safe_file_name("..\\evil.exe", "svg"), "evil.svg");
        assert_eq!(safe_file_name(".hidden", "png"), "hidden.png");
        assert_eq!(safe_file_name("", "json"), "badge.json");
        assert_eq!(
            safe_file_name("a\r\nContent-Type: x", "png"),
            "a-Content-Type-x.png"
        );
        assert_eq!(safe_file_name(&"x".repeat(500), "png").len(), 84);
    }

    #[test]
    fn header_text_loses_control_characters() {
        assert_eq!(one_line(" a\r\nBcc: x@y "), "a  Bcc: x@y");
    }
}

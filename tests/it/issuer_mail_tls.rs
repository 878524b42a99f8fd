//! Badge emails over STARTTLS and implicit TLS to a real SMTP server
//! (aiosmtpd) on 127.0.0.1, whose certificate comes from a certificate
//! authority made for the test (the `openssl` command): trusted through
//! `SmtpSettings::ca_file` and never otherwise; certificates and host names
//! always checked; logins over TLS; CA files that cannot be used named in
//! one sentence before anything is sent.

use crate::issuer_parts::{attachment_bytes, mail_badge, smtp_python, SmtpServer};
use satchel::issuer::mail::{
    check_ca_file, send, CaProblem, MailBadge, MailError, Security, SendResult, SmtpSettings,
};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// `openssl req`'s words for a new P-256 key, not encrypted.
const NEW_KEY: &str = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";

/// A certificate authority made for one test and the server certificates
/// it signed, as PEM files in a temporary folder.
pub(crate) struct TestCa {
    dir: tempfile::TempDir,
}

impl TestCa {
    /// Makes the CA (P-256, `CN=Satchel test CA`) and a server certificate
    /// for `localhost` and 127.0.0.1 (`server.pem`, `server.key`) and one
    /// for `mail.example.org` only (`other.pem`, `other.key`); `None` (and
    /// a note, or a failure under CI) without `openssl`.
    pub(crate) fn new() -> Option<TestCa> {
        if Command::new("openssl").arg("version").output().is_err() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but the openssl command is missing: install openssl"
            );
            eprintln!("skipped: no openssl command to make test certificates with");
            return None;
        }
        let ca = TestCa {
            dir: tempfile::tempdir().unwrap(),
        };
        ca.openssl(
            &format!("req -x509 {NEW_KEY} -keyout ca.key -out ca.pem -days 2"),
            &[
                "-subj",
                "/CN=Satchel test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        );
        ca.server("server", "DNS:localhost,IP:127.0.0.1");
        ca.server("other", "DNS:mail.example.org");
        Some(ca)
    }

    /// Runs `openssl` with the space-separated `words`, then `more`.
    fn openssl(&self, words: &str, more: &[&str]) {
        let args: Vec<&str> = words
            .split_whitespace()
            .chain(more.iter().copied())
            .collect();
        let out = Command::new("openssl")
            .args(&args)
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `NAME.pem` and `NAME.key`: a server certificate for `names`.
    fn server(&self, name: &str, names: &str) {
        let ext = format!("{name}.cnf");
        std::fs::write(
            self.path(&ext),
            format!(
                "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n\
                 extendedKeyUsage=serverAuth\nsubjectAltName={names}\n"
            ),
        )
        .unwrap();
        self.openssl(
            &format!("req {NEW_KEY} -keyout {name}.key -out {name}.csr"),
            &["-subj", "/CN=Satchel test mail server"],
        );
        self.openssl(
            &format!("x509 -req -in {name}.csr -CA ca.pem -CAkey ca.key -days 2 -out {name}.pem -extfile {ext}"),
            &[],
        );
    }

    /// A file in the CA's folder.
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The CA's certificate (PEM): what a user gives as the CA file.
    pub(crate) fn ca_file(&self) -> PathBuf {
        self.path("ca.pem")
    }

    /// An aiosmtpd server on 127.0.0.1 in `mode` (`starttls` or `tls`)
    /// serving the certificate `cert` (`server` or `other`).
    pub(crate) fn smtp_server(&self, python: &PathBuf, mode: &str, cert: &str) -> SmtpServer {
        let (pem, key) = (
            self.path(&format!("{cert}.pem")),
            self.path(&format!("{cert}.key")),
        );
        SmtpServer::start_with(
            python,
            &[OsStr::new(mode), pem.as_os_str(), key.as_os_str()],
        )
    }
}

/// The test server's CA and aiosmtpd, or `None` when either is missing.
fn parts() -> Option<(PathBuf, TestCa)> {
    Some((smtp_python()?, TestCa::new()?))
}

/// `security` to `server` on `host` as `issuer` with `password`, trusting
/// `ca_file` besides the system's authorities.
fn settings(
    server: &SmtpServer,
    host: &str,
    security: Security,
    password: &str,
    ca_file: Option<PathBuf>,
) -> SmtpSettings {
    SmtpSettings {
        host: host.into(),
        security,
        ca_file,
        ..server.settings(password)
    }
}

/// `security` to `server` on 127.0.0.1 as `issuer` with the right password,
/// trusting `ca`.
fn trusted(server: &SmtpServer, ca: &TestCa, security: Security) -> SmtpSettings {
    settings(server, "127.0.0.1", security, "s3cret", Some(ca.ca_file()))
}

fn send_all(settings: &SmtpSettings, badges: &[MailBadge]) -> Result<Vec<SendResult>, MailError> {
    send(settings, badges, &mut |_, _| {}, &AtomicBool::new(false))
}

/// Sends one badge through `server` with `settings` and checks it arrived
/// whole, over TLS, with the recipients the envelope named.
fn arrives_over_tls(server: &SmtpServer, settings: &SmtpSettings, n: usize) {
    let badge = mail_badge("grace@example.org");
    let results = send_all(settings, std::slice::from_ref(&badge)).unwrap();
    assert_eq!(results[0].outcome, Ok(()), "{settings:?}");
    let received = server.received(n);
    let tls = received["tls"].as_str().unwrap_or_default();
    assert!(tls == "TLSv1.3" || tls == "TLSv1.2", "{received}");
    assert_eq!(received["to"], "Grace Hopper <grace@example.org>");
    assert_eq!(attachment_bytes(&received), badge.attachment);
}

/// Every result failed with the one sentence about the secure connection to
/// `host` and `server`'s port, which gives `advice`; the server holds no
/// message.
fn secure_connection_failed(results: &[SendResult], host: &str, server: &SmtpServer, advice: &str) {
    for r in results {
        let err = r.outcome.clone().unwrap_err();
        assert!(
            err.starts_with(&format!(
                "the secure connection to {host}:{} failed (invalid peer certificate: ",
                server.port
            )),
            "{err}"
        );
        assert!(err.contains(advice), "{err}\nwanted: {advice}");
        assert!(err.ends_with('.') && !err.contains('\n'), "{err}");
        assert!(!err.contains("s3cret"), "{err}");
    }
    assert!(!server.has(1), "nothing may reach the server's mailbox");
}

#[test]
fn starttls_with_the_private_ca_sends_the_badge_whole_over_tls() {
    let Some((python, ca)) = parts() else { return };
    let server = ca.smtp_server(&python, "starttls", "server");
    let tls = trusted(&server, &ca, Security::StartTls);
    arrives_over_tls(&server, &tls, 1);
    // The certificate names the host too.
    let by_name = settings(
        &server,
        "localhost",
        Security::StartTls,
        "s3cret",
        Some(ca.ca_file()),
    );
    arrives_over_tls(&server, &by_name, 2);
    // Two badges on one connection check, each its own result.
    let badges = [
        mail_badge("ada@example.org"),
        mail_badge("linus@example.org"),
    ];
    let results = send_all(&tls, &badges).unwrap();
    assert!(results.iter().all(|r| r.outcome.is_ok()), "{results:?}");
    assert_eq!(server.received(4)["to"], "Grace Hopper <linus@example.org>");

    // The server takes nothing without STARTTLS: plain SMTP is refused,
    // with a login (none is offered) and without.
    let plain = server.settings("s3cret");
    let results = send_all(&plain, &badges[..1]).unwrap();
    assert_eq!(
        results[0].outcome,
        Err(format!("the mail server 127.0.0.1:{} offers no way to log in on this connection; choose STARTTLS or TLS, or give no user name if it needs none.", server.port))
    );
    let anonymous = SmtpSettings {
        username: None,
        password: None,
        ..plain
    };
    let results = send_all(&anonymous, &badges[..1]).unwrap();
    assert_eq!(
        results[0].outcome,
        Err(format!("the mail server 127.0.0.1:{} takes mail only over an encrypted connection; choose STARTTLS.", server.port))
    );
    assert!(!server.has(5));
    // Implicit TLS to a server that starts in plain text says so.
    let wrong = SmtpSettings {
        security: Security::ImplicitTls,
        ..tls
    };
    let results = send_all(&wrong, &badges[..1]).unwrap();
    let err = results[0].outcome.clone().unwrap_err();
    assert!(
        err.starts_with(&format!("the secure connection to 127.0.0.1:{} failed (", server.port))
            && err.ends_with("; the server does not seem to speak TLS from the first byte on this port, so choose STARTTLS (usually port 587)."),
        "{err}"
    );
    assert!(!server.has(5));
}

#[test]
fn implicit_tls_with_the_private_ca_sends_the_badge_whole() {
    let Some((python, ca)) = parts() else { return };
    let server = ca.smtp_server(&python, "tls", "server");
    let tls = trusted(&server, &ca, Security::ImplicitTls);
    arrives_over_tls(&server, &tls, 1);
    // STARTTLS to a server that speaks TLS from the first byte fails, said
    // in one sentence, without a wait beyond the timeout.
    let wrong = SmtpSettings {
        security: Security::StartTls,
        timeout: Duration::from_secs(3),
        ..tls.clone()
    };
    let results = send_all(&wrong, &[mail_badge("ada@example.org")]).unwrap();
    let err = results[0].outcome.clone().unwrap_err();
    assert!(err.contains(&format!("127.0.0.1:{}", server.port)), "{err}");
    assert!(!server.has(2));
}

#[test]
fn without_the_ca_file_or_for_another_host_the_secure_connection_fails_per_recipient() {
    let Some((python, ca)) = parts() else { return };
    let badges = [
        mail_badge("grace@example.org"),
        mail_badge("ada@example.org"),
    ];
    for (mode, security) in [
        ("starttls", Security::StartTls),
        ("tls", Security::ImplicitTls),
    ] {
        // The system's authorities do not know the private CA.
        let server = ca.smtp_server(&python, mode, "server");
        let untrusted = settings(&server, "127.0.0.1", security, "s3cret", None);
        let results = send_all(&untrusted, &badges).unwrap();
        assert_eq!(results.len(), 2);
        let advice = "; if its certificate comes from a private certificate authority (a school's or company's own), give that authority's certificate as the CA file.";
        secure_connection_failed(&results, "127.0.0.1", &server, advice);
        // A CA file that holds another certificate does not make it trusted.
        let elsewhere = settings(
            &server,
            "127.0.0.1",
            security,
            "s3cret",
            Some(ca.path("other.pem")),
        );
        let results = send_all(&elsewhere, &badges).unwrap();
        let advice = "; its certificate comes from neither this computer's certificate authorities nor those of the CA file.";
        secure_connection_failed(&results, "127.0.0.1", &server, advice);
        // A certificate from the trusted CA for another host is refused too.
        let other = ca.smtp_server(&python, mode, "other");
        let wrong_host = trusted(&other, &ca, security);
        let results = send_all(&wrong_host, &badges).unwrap();
        let advice =
            "; its certificate is for another name, so use the server name the certificate names.";
        secure_connection_failed(&results, "127.0.0.1", &other, advice);
    }
}

#[test]
fn logins_go_over_tls_and_a_wrong_password_is_refused_in_one_sentence() {
    let Some((python, ca)) = parts() else { return };
    for (mode, security) in [
        ("starttls", Security::StartTls),
        ("tls", Security::ImplicitTls),
    ] {
        let server = ca.smtp_server(&python, mode, "server");
        let wrong = settings(
            &server,
            "127.0.0.1",
            security,
            "Wr0ng-pass",
            Some(ca.ca_file()),
        );
        let results = send_all(&wrong, &[mail_badge("grace@example.org")]).unwrap();
        assert_eq!(
            results[0].outcome,
            Err("the mail server 127.0.0.1 refused the login for issuer; check the user name and password.".to_owned()),
            "{mode}"
        );
        assert!(!format!("{wrong:?}{results:?}").contains("Wr0ng-pass"));
        assert!(!server.has(1));
        let right = SmtpSettings {
            password: Some("s3cret".into()),
            ..wrong
        };
        arrives_over_tls(&server, &right, 1);
    }
}

#[test]
fn a_ca_file_that_cannot_be_used_is_named_in_one_sentence_and_nothing_is_sent() {
    let Some((python, ca)) = parts() else { return };
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let png = write("ca.png", &crate::support::make_png(4, 4));
    let key_only = ca.path("ca.key");
    let bad_base64 = write(
        "bad-base64.pem",
        b"-----BEGIN CERTIFICATE-----\n!!not base64!!\n-----END CERTIFICATE-----\n",
    );
    let not_a_cert = write(
        "not-a-cert.pem",
        b"-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n",
    );
    let huge = write("huge.pem", &vec![b'#'; 1024 * 1024 + 1]);
    let missing = dir.path().join("missing.pem");
    let folder = dir.path().to_owned();
    let pem = "give the certificate authority's certificate as a PEM file.";
    let cases: [(&Path, String); 7] = [
        (&missing, format!("the CA file {} does not exist; {pem}", missing.display())),
        (&png, format!("the CA file {} holds no PEM certificate (a block starting -----BEGIN CERTIFICATE-----); {pem}", png.display())),
        (&key_only, format!("the CA file {} holds no PEM certificate (a block starting -----BEGIN CERTIFICATE-----); {pem}", key_only.display())),
        (&bad_base64, format!("the CA file {} holds a certificate that cannot be used (", bad_base64.display())),
        (&not_a_cert, format!("the CA file {} holds a certificate that cannot be used (", not_a_cert.display())),
        (&huge, format!("the CA file {} is larger than any file of certificate authorities (1 MiB); {pem}", huge.display())),
        (&folder, format!("the CA file {} cannot be read (", folder.display())),
    ];
    let server = ca.smtp_server(&python, "starttls", "server");
    for (file, said) in cases {
        let err = check_ca_file(file).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with(&said), "{text}\nwanted: {said}");
        assert!(text.ends_with('.') && !text.contains('\n'), "{text}");
        assert!(
            matches!(err, MailError::CaFile(ref f, _) if f == file),
            "{err:?}"
        );
        let tls = settings(
            &server,
            "127.0.0.1",
            Security::StartTls,
            "s3cret",
            Some(file.into()),
        );
        assert_eq!(
            send_all(&tls, &[mail_badge("grace@example.org")]).unwrap_err(),
            err
        );
    }
    assert!(!server.has(1));
    assert!(matches!(
        check_ca_file(&missing),
        Err(MailError::CaFile(_, CaProblem::Missing))
    ));
    // The CA's own file, and a bundle of it with other PEM blocks, are fine.
    check_ca_file(&ca.ca_file()).unwrap();
    let mut bundle = std::fs::read(ca.path("other.pem")).unwrap();
    bundle.extend(std::fs::read(&key_only).unwrap());
    bundle.extend(std::fs::read(ca.ca_file()).unwrap());
    let bundle = write("bundle.pem", &bundle);
    check_ca_file(&bundle).unwrap();
    let tls = settings(
        &server,
        "127.0.0.1",
        Security::StartTls,
        "s3cret",
        Some(bundle),
    );
    arrives_over_tls(&server, &tls, 1);
}

//! Issue mode's saved preferences (`issuer-settings.json`): SMTP settings
//! saved without any password, checked before saving, read back by a new
//! `App`; each issuer's default class format; and the warning for key files
//! that other users may read, which the desktop app shows.

use crate::app::app;
use crate::issuer::World;
use crate::issuer_mail_tls::TestCa;
use crate::issuer_parts::{attachment_bytes, mail_badge, smtp_python};
use crate::support::files_under;
use satchel::app::{ErrorCode, SmtpConfig, ISSUER_SETTINGS_FILE};
use satchel::issuer::mail::Security;

fn config(host: &str, security: &str) -> SmtpConfig {
    SmtpConfig {
        host: host.into(),
        port: 587,
        security: security.into(),
        username: Some(" badges@club.example ".into()),
        from: Some("".into()),
        ca_file: None,
    }
}

#[test]
fn smtp_settings_are_saved_without_a_password_and_read_back() {
    let w = World::new();
    let a = &w.issuer_app;
    assert_eq!(a.smtp_config().unwrap(), None, "nothing saved yet");
    let saved = a
        .save_smtp_config(Some(config(" smtp.club.example ", "starttls")))
        .unwrap()
        .unwrap();
    assert_eq!(saved.host, "smtp.club.example");
    assert_eq!(saved.username.as_deref(), Some("badges@club.example"));
    assert_eq!(
        saved.from, None,
        "an empty sender means the issuer's address"
    );

    // A new App on the same folder reads the same settings.
    let again = app(a.data_dir());
    assert_eq!(again.smtp_config().unwrap(), Some(saved.clone()));

    // The password is handed in for one use and appears in no file.
    let settings = saved.settings(Some("s3cret-Passw0rd".into())).unwrap();
    assert_eq!(settings.security, Security::StartTls);
    assert_eq!(settings.password.as_deref(), Some("s3cret-Passw0rd"));
    for entry in files_under(a.data_dir()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !bytes.windows(15).any(|w| w == b"s3cret-Passw0rd"),
            "{} holds the password",
            entry.display()
        );
    }

    a.save_smtp_config(None).unwrap();
    assert_eq!(again.smtp_config().unwrap(), None, "forgotten");
}

#[test]
fn bad_smtp_settings_are_refused_with_a_sentence_and_nothing_changes() {
    let w = World::new();
    let a = &w.issuer_app;
    let good = a
        .save_smtp_config(Some(config("smtp.club.example", "tls")))
        .unwrap();
    let cases = [
        (config("smtp club", "tls"), "is not a mail server's name"),
        (
            config("smtp.club.example", "ssl3"),
            "is not one of starttls, tls or plain",
        ),
        (
            config("smtp.club.example", "plain"),
            "only allowed to this computer",
        ),
        (
            SmtpConfig {
                port: 0,
                ..config("smtp.club.example", "tls")
            },
            "port 0",
        ),
        (
            SmtpConfig {
                from: Some("not an address".into()),
                ..config("smtp.club.example", "tls")
            },
            "not an address",
        ),
    ];
    for (c, says) in cases {
        let e = a.save_smtp_config(Some(c)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Invalid);
        assert!(e.message().contains(says), "{}", e.message());
        assert!(!e.message().contains('\n'));
    }
    assert_eq!(a.smtp_config().unwrap(), good, "the saved settings stayed");
    // Plain SMTP is fine to this computer.
    a.save_smtp_config(Some(config("127.0.0.1", "plain")))
        .unwrap();
}

#[test]
fn a_private_ca_file_is_checked_saved_by_path_and_used_to_send() {
    use satchel::issuer::mail::send;
    let Some(ca) = TestCa::new() else { return };
    let w = World::new();
    let a = &w.issuer_app;
    let good = a
        .save_smtp_config(Some(config("smtp.club.example", "starttls")))
        .unwrap();
    // A file that is not a certificate is refused, naming it; nothing changes.
    let key = ca.path("ca.key");
    let e = a
        .save_smtp_config(Some(SmtpConfig {
            ca_file: Some(key.clone()),
            ..config("smtp.club.example", "starttls")
        }))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Invalid);
    assert_eq!(
        e.message(),
        format!(
            "the CA file {} holds no PEM certificate (a block starting -----BEGIN CERTIFICATE-----); give the certificate authority's certificate as a PEM file",
            key.display()
        )
    );
    assert_eq!(a.smtp_config().unwrap(), good);

    // The CA's certificate is saved as its path (no secret) and read back.
    let saved = a
        .save_smtp_config(Some(SmtpConfig {
            host: "127.0.0.1".into(),
            ca_file: Some(ca.ca_file()),
            ..config("smtp.club.example", "starttls")
        }))
        .unwrap()
        .unwrap();
    assert_eq!(saved.ca_file.as_deref(), Some(&*ca.ca_file()));
    assert_eq!(
        app(a.data_dir()).smtp_config().unwrap(),
        Some(saved.clone())
    );
    let text = std::fs::read_to_string(a.data_dir().join(ISSUER_SETTINGS_FILE)).unwrap();
    assert!(
        !text.contains("BEGIN CERTIFICATE"),
        "the path, not the file"
    );
    // An empty name means none.
    let none = a
        .save_smtp_config(Some(SmtpConfig {
            ca_file: Some("".into()),
            ..saved.clone()
        }))
        .unwrap()
        .unwrap();
    assert_eq!(none.ca_file, None);

    // The saved settings send over STARTTLS to a server of that CA.
    let Some(python) = smtp_python() else { return };
    let server = ca.smtp_server(&python, "starttls", "server");
    let mut settings = SmtpConfig {
        port: server.port,
        ..saved
    }
    .settings(Some("s3cret".into()))
    .unwrap();
    settings.username = Some("issuer".into());
    let badge = mail_badge("grace@example.org");
    let results = send(
        &settings,
        std::slice::from_ref(&badge),
        &mut |_, _| {},
        &std::sync::atomic::AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(results[0].outcome, Ok(()));
    assert_eq!(attachment_bytes(&server.received(1)), badge.attachment);
}

#[test]
fn a_damaged_settings_file_is_named() {
    let w = World::new();
    let a = &w.issuer_app;
    let path = a.data_dir().join(ISSUER_SETTINGS_FILE);
    std::fs::write(&path, b"{ not json").unwrap();
    let e = a.smtp_config().unwrap_err();
    assert!(
        e.message().contains(&*path.display().to_string()),
        "{}",
        e.message()
    );
    assert!(e.message().contains("is not a Satchel settings file"));
}

#[test]
fn each_issuer_keeps_its_default_class_format() {
    let w = World::new();
    let one = w.issuer("https://club.example/badges/", None);
    let two = w.issuer("https://other.example/badges/", None);
    let a = &w.issuer_app;
    assert_eq!(a.issuer_default_format(one).unwrap(), "ob3");
    a.set_issuer_default_format(one, "ob2-hosted").unwrap();
    a.save_smtp_config(Some(config("smtp.club.example", "tls")))
        .unwrap();
    assert_eq!(a.issuer_default_format(one).unwrap(), "ob2-hosted");
    assert_eq!(a.issuer_default_format(two).unwrap(), "ob3");
    assert!(
        a.smtp_config().unwrap().is_some(),
        "saving one part keeps the other"
    );
    assert!(a.set_issuer_default_format(one, "ob4").is_err());
    assert_eq!(
        a.set_issuer_default_format(99, "ob3").unwrap_err().code(),
        ErrorCode::NotFound
    );
}

#[cfg(unix)]
#[test]
fn a_key_file_others_may_read_gets_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let w = World::new();
    let id = w.issuer("https://club.example/badges/", None);
    let a = &w.issuer_app;
    assert_eq!(a.key_file_warnings(id).unwrap(), Vec::<String>::new());
    let key = satchel::issuer::KeyFolder::new(a.data_dir()).file(id, "key-1");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let warnings = a.key_file_warnings(id).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains(&*key.display().to_string()));
    assert!(warnings[0].contains("chmod 600"), "{}", warnings[0]);
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(a.key_file_warnings(id).unwrap().is_empty());
    std::fs::remove_file(&key).unwrap();
    let warnings = a.key_file_warnings(id).unwrap();
    assert!(warnings[0].contains("is missing"), "{warnings:?}");
}

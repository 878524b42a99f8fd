//! Issuer mode's delivery and keys through the real `satchel` binary: badge
//! emails (`.eml` drafts, SMTP to a real aiosmtpd server on 127.0.0.1),
//! key export and import, and backups with and without the keys.

use crate::issuer_mail_tls::TestCa;
use crate::issuer_parts::{attachment_bytes, python_parse, smtp_python, SmtpServer};
use crate::support::make_png;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ADA: &str = "ada.lovelace@example.org";

/// Runs `satchel --data-dir data ARGS` with `env` set (and no SMTP or
/// passphrase variables from outside); stdin is not a terminal.
fn run(data: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_satchel"));
    cmd.arg("--data-dir").arg(data).args(args);
    for var in [
        "SATCHEL_SMTP_HOST",
        "SATCHEL_SMTP_PORT",
        "SATCHEL_SMTP_SECURITY",
        "SATCHEL_SMTP_USER",
        "SATCHEL_SMTP_FROM",
        "SATCHEL_SMTP_CA_FILE",
        "SATCHEL_SMTP_PASSWORD",
        "SATCHEL_KEY_PASSPHRASE",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    let out: Output = cmd.stdin(std::process::Stdio::null()).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(data: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let (code, out, err) = run(data, args, env);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A data folder with issuer 1 and badge class 1 of `format`.
fn issuer_with_class(root: &Path, name: &str, format: &str) -> PathBuf {
    let data = root.join(name);
    let image = root.join(format!("{name}.png"));
    std::fs::write(&image, make_png(128, 128)).unwrap();
    ok(
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
        ],
        &[],
    );
    let image = image.to_string_lossy().into_owned();
    ok(
        &data,
        &[
            "badgeclass",
            "create",
            "--issuer",
            "1",
            "--name",
            "Harbour Navigator",
            "--description",
            "Plotted a course across the harbour.",
            "--image",
            &image,
            "--criteria",
            "Plot a course.",
            "--format",
            format,
        ],
        &[],
    );
    data
}

/// `satchel award --class 1 --recipient WHO --out OUT EXTRA` sending through `server`.
fn award_sending(server: &SmtpServer, who: &str, out: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["award", "--class", "1", "--recipient", who, "--out", out];
    args.extend_from_slice(extra);
    sending(server, &args)
}

/// `args` and the flags that send through `server` (plain SMTP).
fn sending(server: &SmtpServer, args: &[&str]) -> Vec<String> {
    sending_with(server, "plain", args)
}

/// `args` and the flags that send through `server` with `security`.
fn sending_with(server: &SmtpServer, security: &str, args: &[&str]) -> Vec<String> {
    let port = server.port.to_string();
    args.iter()
        .chain(&[
            "--send",
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            &port,
            "--smtp-security",
            security,
            "--smtp-user",
            "issuer",
        ])
        .map(|s| s.to_string())
        .collect()
}

#[test]
fn awards_are_drafted_as_eml_and_sent_by_smtp_with_the_baked_badge_byte_for_byte() {
    let Some(python) = smtp_python() else { return };
    let server = SmtpServer::start(&python);
    let tmp = tempfile::tempdir().unwrap();
    let data = issuer_with_class(tmp.path(), "data", "ob3");
    let out_dir = tmp.path().join("out").to_string_lossy().into_owned();
    let args = award_sending(
        &server,
        ADA,
        &out_dir,
        &["--name", "Ada Lovelace", "--eml", "--json"],
    );
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = run(&data, &argv, &[("SATCHEL_SMTP_PASSWORD", "s3cret")]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("s3cret") && !err.contains("s3cret"));
    let done = &json_lines(&out)[0];
    assert_eq!(done["email"]["sent"], true, "{done}");
    let files: Vec<&str> = done["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    let baked = std::fs::read(files[0]).unwrap();
    let eml = files.iter().find(|f| f.ends_with(".eml")).expect("an .eml");
    assert_eq!(
        Path::new(eml).parent(),
        Path::new(files[0]).parent(),
        "the draft lies beside the badge"
    );
    let drafted = python_parse(&python, &std::fs::read(eml).unwrap());
    assert_eq!(drafted["to"], format!("Ada Lovelace <{ADA}>"));
    assert_eq!(attachment_bytes(&drafted), baked);
    let received = server.received(1);
    assert_eq!(received["to"], format!("Ada Lovelace <{ADA}>"));
    assert_eq!(
        received["from"],
        "Harbour Coding Club <badges@club.example>"
    );
    assert!(received["text"]
        .as_str()
        .unwrap()
        .contains("Harbour Navigator"));
    assert_eq!(attachment_bytes(&received), baked);

    // A URL recipient cannot be emailed: the award stands, the report says why.
    let args = award_sending(&server, "https://ada.example/", &out_dir, &["--eml"]);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = run(&data, &argv, &[("SATCHEL_SMTP_PASSWORD", "s3cret")]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("not sent: https://ada.example/ has no email address"),
        "{out}"
    );
    assert!(out.contains("no email draft"), "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("the awards stand"), "{err}");
    let awards = ok(&data, &["awards", "--json"], &[]);
    assert_eq!(json_lines(&awards).len(), 2);

    // A refused login is a per-recipient sentence; the award stands.
    let (code, out, _) = run(&data, &argv, &[("SATCHEL_SMTP_PASSWORD", "wrong")]);
    assert_eq!(code, 1);
    assert!(out.contains("has no email address"), "{out}");
    let args = award_sending(&server, "grace@example.org", &out_dir, &["--json"]);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = run(&data, &argv, &[("SATCHEL_SMTP_PASSWORD", "wrong")]);
    assert_eq!(code, 1, "{err}");
    let done = &json_lines(&out)[0];
    assert_eq!(done["email"]["sent"], false);
    assert!(
        done["email"]["reason"]
            .as_str()
            .unwrap()
            .contains("refused the login for issuer"),
        "{done}"
    );
    assert!(Path::new(done["files"][0].as_str().unwrap()).exists());

    // Without a password and without a terminal, nothing is awarded.
    let (code, _, err) = run(&data, &argv, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("SATCHEL_SMTP_PASSWORD"), "{err}");
    assert_eq!(json_lines(&ok(&data, &["awards", "--json"], &[])).len(), 4);
}

#[test]
fn a_csv_award_drafts_and_sends_each_email_recipient() {
    let Some(python) = smtp_python() else { return };
    let server = SmtpServer::start(&python);
    let tmp = tempfile::tempdir().unwrap();
    let data = issuer_with_class(tmp.path(), "data", "ob2-signed");
    let csv = tmp.path().join("learners.csv");
    std::fs::write(
        &csv,
        format!("identity,name\n{ADA},Ada Lovelace\nhttps://grace.example/,Grace\n"),
    )
    .unwrap();
    let out_dir = tmp.path().join("out").to_string_lossy().into_owned();
    let csv = csv.to_string_lossy().into_owned();
    let args = sending(
        &server,
        &[
            "award", "--class", "1", "--csv", &csv, "--out", &out_dir, "--eml", "--json",
        ],
    );
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = run(&data, &argv, &[("SATCHEL_SMTP_PASSWORD", "s3cret")]);
    assert_eq!(code, 1, "one recipient has no email address: {err}");
    let rows = json_lines(&out);
    assert_eq!(rows.len(), 2, "{out}");
    assert_eq!(rows[0]["outcome"], "awarded");
    assert_eq!(rows[0]["email"]["sent"], true);
    assert!(rows[0]["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f.as_str().unwrap().ends_with(".eml")));
    assert_eq!(rows[1]["outcome"], "awarded");
    assert_eq!(rows[1]["email"]["sent"], false);
    let baked = std::fs::read(rows[0]["files"][0].as_str().unwrap()).unwrap();
    assert_eq!(attachment_bytes(&server.received(1)), baked);
    // Running the same file again awards and sends nobody twice.
    let (_, out, _) = run(&data, &argv, &[("SATCHEL_SMTP_PASSWORD", "s3cret")]);
    assert!(json_lines(&out)
        .iter()
        .all(|r| r["outcome"] == "already awarded" && r.get("email").is_none()));
    assert!(!server.has(2));
}

#[test]
fn award_send_over_starttls_and_tls_trusts_the_ca_file_from_a_flag_or_the_environment() {
    let Some(python) = smtp_python() else { return };
    let Some(ca) = TestCa::new() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let data = issuer_with_class(tmp.path(), "data", "ob3");
    let out_dir = s(&tmp.path().join("out"));
    let ca_file = s(&ca.ca_file());
    let password = ("SATCHEL_SMTP_PASSWORD", "s3cret");
    let tls_args = |server: &SmtpServer, security: &str, who: &str| -> Vec<String> {
        let award = [
            "award",
            "--class",
            "1",
            "--recipient",
            who,
            "--out",
            &out_dir,
        ];
        sending_with(server, security, &[&award[..], &["--json"]].concat())
    };
    let awarded = |data: &Path| json_lines(&ok(data, &["awards", "--json"], &[])).len();

    // STARTTLS with --smtp-ca-file: the baked badge arrives whole, over TLS.
    let server = ca.smtp_server(&python, "starttls", "server");
    let mut args = tls_args(&server, "starttls", ADA);
    args.extend(["--smtp-ca-file".to_owned(), ca_file.clone()]);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = run(&data, &argv, &[password]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("s3cret") && !err.contains("s3cret"));
    let done = &json_lines(&out)[0];
    assert_eq!(done["email"]["sent"], true, "{done}");
    let received = server.received(1);
    assert!(received["tls"].as_str().unwrap().starts_with("TLSv1."));
    let baked = std::fs::read(done["files"][0].as_str().unwrap()).unwrap();
    assert_eq!(attachment_bytes(&received), baked);

    // Implicit TLS with SATCHEL_SMTP_CA_FILE.
    let server = ca.smtp_server(&python, "tls", "server");
    let args = tls_args(&server, "tls", "grace@example.org");
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = run(
        &data,
        &argv,
        &[password, ("SATCHEL_SMTP_CA_FILE", &ca_file)],
    );
    assert_eq!(code, 0, "{out}{err}");
    let received = server.received(1);
    assert!(received["tls"].as_str().unwrap().starts_with("TLSv1."));
    let baked = std::fs::read(json_lines(&out)[0]["files"][0].as_str().unwrap()).unwrap();
    assert_eq!(attachment_bytes(&received), baked);

    // Without the CA file: the award stands, its email is not sent, and the
    // report names the host in one sentence.
    let (code, out, err) = run(&data, &argv, &[password]);
    assert_eq!(code, 1, "{out}{err}");
    let done = &json_lines(&out)[0];
    assert_eq!(done["email"]["sent"], false, "{done}");
    let reason = done["email"]["reason"].as_str().unwrap();
    assert!(
        reason.starts_with(&format!(
            "not sent: the secure connection to 127.0.0.1:{} failed (",
            server.port
        )),
        "{reason}"
    );
    assert!(!server.has(2));
    assert!(!out.contains("s3cret") && !err.contains("s3cret"));

    // A CA file that is not there stops everything before an award.
    let before = awarded(&data);
    let missing = s(&tmp.path().join("no-such-ca.pem"));
    let (code, out, err) = run(
        &data,
        &argv,
        &[password, ("SATCHEL_SMTP_CA_FILE", &missing)],
    );
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(
        err.trim(),
        format!("satchel: the CA file {missing} does not exist; give the certificate authority's certificate as a PEM file.")
    );
    assert_eq!(awarded(&data), before, "nothing awarded");
}

const PASS: (&str, &str) = ("SATCHEL_KEY_PASSPHRASE", "correct horse battery staple");

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn s(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Awards class 1 of `data` to Ada, publishes, and verifies the baked
/// badge against the publish folder.
fn award_and_verify(data: &Path, root: &Path) {
    let out = root.join("awarded");
    let site = root.join("site");
    let done = ok(
        data,
        &[
            "award",
            "--class",
            "1",
            "--recipient",
            ADA,
            "--out",
            &s(&out),
            "--json",
        ],
        &[],
    );
    let baked = PathBuf::from(json_lines(&done)[0]["files"][0].as_str().unwrap());
    ok(data, &["publish", "1", "--out", &s(&site)], &[]);
    let fetch = satchel::fetch::DirFetch::new("https://club.example/badges/", &site).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let report = satchel::verify::verify(
        &satchel::inspect::inspect_path(&baked).unwrap(),
        &fetch,
        &satchel::verify::Options {
            now,
            recipients: vec![ADA.to_owned()],
            recipient_rule: satchel::verify::RecipientRule::MustMatch,
        },
    );
    assert_eq!(
        report.status,
        satchel::verify::Verdict::Verified,
        "{:#?}",
        report.checks
    );
}

#[test]
fn keys_round_trip_through_an_export_into_a_fresh_data_folder_and_sign_there() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let old = issuer_with_class(root, "old", "ob3");
    let backup = root.join("club.backup");
    let keys = root.join("club-keys.age");
    ok(&old, &["backup", "--out", &s(&backup)], &[]);
    // Without a passphrase and without a terminal, nothing is written.
    let (code, _, err) = run(
        &old,
        &["issuer", "export-keys", "1", "--out", &s(&keys)],
        &[],
    );
    assert_eq!(code, 2);
    assert!(err.contains("SATCHEL_KEY_PASSPHRASE"), "{err}");
    assert!(!keys.exists());
    ok(
        &old,
        &["issuer", "export-keys", "1", "--out", &s(&keys)],
        &[PASS],
    );
    #[cfg(unix)]
    assert_eq!(mode(&keys), 0o600);
    let sealed = std::fs::read_to_string(&keys).unwrap();
    assert!(sealed.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
    assert!(!sealed.contains("PRIVATE KEY"));
    let (code, _, err) = run(
        &old,
        &["issuer", "export-keys", "1", "--out", &s(&keys)],
        &[PASS],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&keys).unwrap(), sealed);

    let new = root.join("new");
    ok(&new, &["restore", &s(&backup)], &[]);
    let wrong = ("SATCHEL_KEY_PASSPHRASE", "wrong");
    let (code, _, err) = run(&new, &["issuer", "import-keys", &s(&keys)], &[wrong]);
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("the passphrase is not the one this file was sealed with"),
        "{err}"
    );
    let imported = ok(
        &new,
        &["issuer", "import-keys", &s(&keys), "--json"],
        &[PASS],
    );
    assert_eq!(
        json_lines(&imported)[0]["outcome"],
        "imported",
        "{imported}"
    );
    let key_file = new.join("issuer-keys/issuer-1-key-1.pem");
    #[cfg(unix)]
    {
        assert_eq!(mode(&key_file), 0o600);
        assert_eq!(mode(&new.join("issuer-keys")), 0o700);
    }
    assert_eq!(
        std::fs::read(&key_file).unwrap(),
        std::fs::read(old.join("issuer-keys/issuer-1-key-1.pem")).unwrap()
    );
    award_and_verify(&new, root);
    let again = ok(
        &new,
        &["issuer", "import-keys", &s(&keys), "--json"],
        &[PASS],
    );
    assert_eq!(json_lines(&again)[0]["outcome"], "already here");

    // A different key under the same name is never replaced.
    let other = issuer_with_class(root, "other", "ob3");
    let theirs = std::fs::read(other.join("issuer-keys/issuer-1-key-1.pem")).unwrap();
    std::fs::write(&key_file, &theirs).unwrap();
    let (code, _, err) = run(&new, &["issuer", "import-keys", &s(&keys)], &[PASS]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&s(&key_file)) && err.contains("different key"),
        "{err}"
    );
    assert_eq!(std::fs::read(&key_file).unwrap(), theirs);
}

/// Every key file of `data`: (PEM text, DER bytes).
fn key_files(data: &Path) -> Vec<(PathBuf, String, Vec<u8>)> {
    use base64::Engine;
    let mut out = Vec::new();
    for entry in std::fs::read_dir(data.join("issuer-keys")).unwrap() {
        let path = entry.unwrap().path();
        let pem = std::fs::read_to_string(&path).unwrap();
        let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        out.push((path, pem, der));
    }
    out.sort();
    out
}

#[test]
fn backups_leave_the_keys_out_unless_asked_and_then_restore_them_sealed() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let data = issuer_with_class(root, "data", "ob2-signed");
    let keys = key_files(&data);
    assert_eq!(keys.len(), 2, "an Ed25519 and an RSA key");

    let plain = root.join("plain.backup");
    let (code, _, err) = run(&data, &["backup", "--out", &s(&plain)], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("--include-keys"), "{err}");
    assert!(!satchel::app::keys_beside(&plain).exists());
    let bytes = std::fs::read(&plain).unwrap();
    for (path, pem, der) in &keys {
        let tail = &der[der.len() - 32..];
        for needle in [pem.as_bytes(), der.as_slice(), tail] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{} is in the backup",
                path.display()
            );
        }
    }

    let sealed = root.join("sealed.backup");
    ok(
        &data,
        &["backup", "--out", &s(&sealed), "--include-keys"],
        &[PASS],
    );
    let keys_file = satchel::app::keys_beside(&sealed);
    assert_eq!(keys_file, root.join("sealed.backup.keys.age"));
    #[cfg(unix)]
    assert_eq!(mode(&keys_file), 0o600);
    assert!(!std::fs::read_to_string(&keys_file)
        .unwrap()
        .contains("PRIVATE KEY"));

    // A wrong passphrase restores nothing.
    let wrong = root.join("wrong");
    let bad = ("SATCHEL_KEY_PASSPHRASE", "wrong");
    let (code, _, err) = run(&wrong, &["restore", &s(&sealed), "--include-keys"], &[bad]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("passphrase is not the one"), "{err}");
    assert!(json_lines(&ok(&wrong, &["issuer", "list", "--json"], &[])).is_empty());

    let fresh = root.join("fresh");
    ok(&fresh, &["restore", &s(&sealed), "--include-keys"], &[PASS]);
    let restored = key_files(&fresh);
    assert_eq!(restored.len(), keys.len());
    for ((_, pem, _), (path, again, _)) in keys.iter().zip(&restored) {
        assert_eq!(pem, again);
        #[cfg(unix)]
        assert_eq!(mode(path), 0o600);
    }
    award_and_verify(&fresh, root);
}

//! Issuer mode: `satchel issuer …`, `satchel badgeclass …`, `satchel award`,
//! `satchel awards`, `satchel revoke`, `satchel suspend|unsuspend` and
//! `satchel publish`.

use crate::common::{date, open, parse_day, print_json};
use crate::Failure;
use satchel::app::{ClassEdit, IssuerEdit, IssuerView, NewClass, NewIssuer};
use satchel::issuer::AwardInput;
use satchel::store::{AwardRecord, ClassRecord};
use std::path::PathBuf;

/// `satchel issuer show`: the issuer's line, its documents, awards and keys.
fn say_issuer_in_full(v: &IssuerView) {
    say_issuer(v);
    say!("      OB 2.0 profile: {}", v.ob2_profile);
    say!("      OB 3.0 issuer:  {}", v.ob3_issuer);
    say!("      awards:         {}", v.awards);
    for k in &v.keys {
        say!(
            "      key {} ({}), made {}{}",
            k.name,
            k.algorithm,
            date(Some(k.created)),
            k.retired
                .map(|r| format!(", retired {}", date(Some(r))))
                .unwrap_or_default()
        );
    }
}

/// `satchel issuer …`.
#[derive(clap::Subcommand)]
pub enum IssuerCommand {
    /// Create an issuer profile (and its signing key).
    ///
    /// The base URL is where the publish folder will be hosted; every badge
    /// points there, so it cannot change once badges are awarded.
    #[command(
        after_help = "Example:\n  satchel issuer create --name \"Harbour Coding Club\" --url https://club.example/ \\\n    --email badges@club.example --base-url https://club.example/badges/"
    )]
    Create {
        /// The issuer's name.
        #[arg(long)]
        name: String,
        /// Its website.
        #[arg(long)]
        url: String,
        /// Its contact email.
        #[arg(long)]
        email: String,
        /// Where the publish folder will be hosted (https).
        #[arg(long, value_name = "URL")]
        base_url: String,
        /// A PNG or SVG image.
        #[arg(long, value_name = "FILE")]
        image: Option<PathBuf>,
        /// What the issuer is.
        #[arg(long)]
        description: Option<String>,
        /// How OB 3.0 badges name the issuer: `did` (did:web, the default for https) or `url` (its profile URL).
        #[arg(long, value_name = "did|url")]
        ob3_identity: Option<String>,
        /// Print the new issuer as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List issuer profiles.
    List {
        /// Print JSON, one issuer a line.
        #[arg(long)]
        json: bool,
    },
    /// Show one issuer profile with its identity and keys.
    Show {
        /// The issuer's number.
        id: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Make new signing keys; the old ones stay published, so earlier badges still verify.
    #[command(
        after_help = "Example:\n  satchel issuer rotate-key 1 && satchel publish 1 --out site/"
    )]
    RotateKey {
        /// The issuer's number.
        id: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write the issuer's private keys (retired ones too) to a new file sealed with a passphrase.
    ///
    /// The passphrase comes from SATCHEL_KEY_PASSPHRASE or is asked for twice
    /// without echo. The file is an age file (`age -d` opens it too), 0600.
    #[command(
        after_help = "Example:\n  satchel issuer export-keys 1 --out club-keys.age\n  satchel --data-dir new-laptop/ issuer import-keys club-keys.age"
    )]
    ExportKeys {
        /// The issuer's number.
        id: i64,
        /// The file to write (must not exist).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Print JSON, one key a line.
        #[arg(long)]
        json: bool,
    },
    /// Put the keys of a key export into this data folder's key folder.
    ///
    /// Each key goes to the issuer here whose public key it is (restore the
    /// backup holding the issuer first); a different key already under the
    /// same name is never replaced.
    ImportKeys {
        /// The key export (from `satchel issuer export-keys`).
        file: PathBuf,
        /// Print JSON, one key a line.
        #[arg(long)]
        json: bool,
    },
    /// Change an issuer profile.
    #[command(
        after_help = "Example:\n  satchel issuer edit 1 --description \"We code and sail.\""
    )]
    Edit {
        /// The issuer's number.
        id: i64,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new website.
        #[arg(long)]
        url: Option<String>,
        /// A new contact email.
        #[arg(long)]
        email: Option<String>,
        /// A new base URL (refused once badges are awarded).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// A new image.
        #[arg(long, value_name = "FILE")]
        image: Option<PathBuf>,
        /// A new description.
        #[arg(long)]
        description: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `satchel badgeclass …`.
#[derive(clap::Subcommand)]
pub enum ClassCommand {
    /// Create a badge class.
    #[command(
        after_help = "Example:\n  satchel badgeclass create --issuer 1 --name \"Harbour Navigator\" \\\n    --description \"Plotted a course across the harbour.\" --image navigator.png \\\n    --criteria \"Plot a course and sail it.\" --format ob3 --vc-jwt --valid-for 2y"
    )]
    Create {
        /// The issuer's number.
        #[arg(long)]
        issuer: i64,
        /// The badge's name.
        #[arg(long)]
        name: String,
        /// What it stands for.
        #[arg(long)]
        description: String,
        /// Its image (PNG or SVG).
        #[arg(long, value_name = "FILE")]
        image: PathBuf,
        /// How to earn it (Markdown).
        #[arg(long)]
        criteria: Option<String>,
        /// A page with the criteria.
        #[arg(long, value_name = "URL")]
        criteria_url: Option<String>,
        /// ob2-hosted, ob2-signed or ob3.
        #[arg(long)]
        format: String,
        /// Also issue OB 3.0 badges as VC-JWTs.
        #[arg(long)]
        vc_jwt: bool,
        /// Let OB 3.0 badges be suspended (a second status entry, which the 1EdTech JSON Schema does not model).
        #[arg(long)]
        suspendable: bool,
        /// Default validity: 2y, 18m, 90d.
        #[arg(long, value_name = "DURATION")]
        valid_for: Option<String>,
        /// A tag (repeat for several).
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// The OB 3.0 achievement type (e.g. Badge, Certificate).
        #[arg(long)]
        achievement_type: Option<String>,
        /// Print the new class as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List badge classes.
    List {
        /// Only this issuer's.
        #[arg(long)]
        issuer: Option<i64>,
        /// Print JSON, one class a line.
        #[arg(long)]
        json: bool,
    },
    /// Show one badge class.
    Show {
        /// The class's number.
        id: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change a badge class (awards already made keep what they were issued with).
    Edit {
        /// The class's number.
        id: i64,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new description.
        #[arg(long)]
        description: Option<String>,
        /// A new image.
        #[arg(long, value_name = "FILE")]
        image: Option<PathBuf>,
        /// New criteria.
        #[arg(long)]
        criteria: Option<String>,
        /// A new criteria page.
        #[arg(long, value_name = "URL")]
        criteria_url: Option<String>,
        /// A new default validity (`none` clears it).
        #[arg(long, value_name = "DURATION")]
        valid_for: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `satchel award`.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  satchel award --class 1 --recipient ada@example.org --name \"Ada Lovelace\" --out badges/\n  satchel award --class 1 --csv learners.csv --dry-run --out badges/\n  SATCHEL_SMTP_PASSWORD=… satchel award --class 1 --csv learners.csv --out badges/ --eml \\\n    --send --smtp-host smtp.club.example --smtp-user badges@club.example\n\nCSV columns (header line; comma or semicolon; UTF-8): identity (or email), identity type,\nname, issue date, expiry, narrative, evidence url, evidence narrative."
)]
pub struct AwardArgs {
    /// The badge class's number.
    #[arg(long)]
    class: i64,
    /// The recipient: email, URL, phone number (+…) or DID.
    #[arg(long, required_unless_present = "csv", conflicts_with = "csv")]
    recipient: Option<String>,
    /// Award to every row of this CSV file instead.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// With --csv: check every row and say what would be awarded, award nothing.
    #[arg(long, requires = "csv")]
    dry_run: bool,
    /// The recipient's name (kept by you, never published).
    #[arg(long)]
    name: Option<String>,
    /// Issue date (YYYY-MM-DD or RFC 3339; default now).
    #[arg(long, value_name = "DATE")]
    issued_on: Option<String>,
    /// Expiry date (default: from the class's validity).
    #[arg(long, value_name = "DATE")]
    expires: Option<String>,
    /// What the recipient did.
    #[arg(long)]
    narrative: Option<String>,
    /// Evidence URL.
    #[arg(long, value_name = "URL")]
    evidence: Option<String>,
    /// Evidence narrative.
    #[arg(long)]
    evidence_narrative: Option<String>,
    /// Put the identity in the badge in plain text instead of hashed.
    #[arg(long)]
    plaintext: bool,
    /// The folder for the baked badge and its files.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Also write an .eml draft beside each badge (email recipients), for your mail program.
    #[arg(long)]
    eml: bool,
    /// Email each badge to its recipient (email recipients) by SMTP; a per-recipient
    /// report follows, and a failed email leaves the award standing.
    #[arg(long, conflicts_with = "dry_run")]
    send: bool,
    #[command(flatten)]
    smtp: crate::delivery::SmtpArgs,
    /// Print one JSON object: {id, files, …} (with `email` when sending).
    #[arg(long)]
    json: bool,
}

/// `satchel award --csv`.
fn award_csv(
    app: &satchel::app::App,
    args: &AwardArgs,
    csv: &std::path::Path,
) -> Result<(), Failure> {
    let sending = args.send.then(|| args.smtp.sending()).transpose()?;
    crate::common::on_ctrl_c();
    let bar = crate::common::progress_bar(args.json || args.dry_run, "Awarding");
    let report = app.award_csv_with(
        args.class,
        csv,
        satchel::app::BulkOptions {
            dry_run: args.dry_run,
            eml: args.eml,
        },
        &args.out,
        &|n, total| {
            bar.set_length(total as u64);
            bar.set_position(n as u64);
        },
        &crate::common::CANCEL,
    );
    bar.finish_and_clear();
    let report = report?;
    let to_send: Vec<(i64, PathBuf)> = report
        .rows
        .iter()
        .filter_map(|r| Some((r.id?, PathBuf::from(r.files.first()?))))
        .collect();
    let sent = match &sending {
        Some(s) if !to_send.is_empty() => s.send(app, &to_send, args.json)?,
        _ => Vec::new(),
    };
    if args.json {
        crate::delivery::print_with_email(&report.rows, |r| r.id, &sent);
        for e in &report.errors {
            print_json(e);
        }
    } else {
        for r in &report.rows {
            say!("line {:>5}  {:<16} {}", r.line, r.outcome, r.recipient);
            for f in &r.files {
                say!("             {f}");
            }
            if let Some(n) = &r.note {
                say!("             ({n})");
            }
        }
    }
    for e in &report.errors {
        eprintln!(
            "satchel: {}: {}.",
            csv.display(),
            crate::output::clean(&e.to_string())
        );
    }
    if !report.errors.is_empty() {
        return Err(crate::common::rejected(format!(
            "{}: {} bad row{}; nothing was awarded",
            csv.display(),
            report.errors.len(),
            if report.errors.len() == 1 { "" } else { "s" }
        )));
    }
    if report.cancelled {
        return Err(crate::common::rejected(format!(
            "stopped: {} awarded before Ctrl-C",
            report
                .rows
                .iter()
                .filter(|r| r.outcome == "awarded")
                .count()
        )));
    }
    crate::delivery::report(&sent, args.json)
}

/// `satchel awards`.
#[derive(clap::Args)]
pub struct AwardsArgs {
    /// Only this class's awards.
    #[arg(long)]
    class: Option<i64>,
    /// Only awards whose recipient, name or id contains this.
    #[arg(long)]
    search: Option<String>,
    /// Print JSON, one award a line.
    #[arg(long)]
    json: bool,
}

/// Prints every item (one JSON object a line with `json`), or `empty`.
fn print_all<T: serde::Serialize>(all: &[T], json: bool, empty: &str, say_one: fn(&T)) {
    if all.is_empty() && !json {
        say!("{empty}");
    }
    for item in all {
        if json {
            print_json(item);
        } else {
            say_one(item);
        }
    }
}

fn say_issuer(v: &IssuerView) {
    say!(
        "{:>4}  {}  ({})",
        v.issuer.id,
        v.issuer.name,
        v.issuer.base_url
    );
}

fn say_class(c: &ClassRecord) {
    say!(
        "{:>4}  {:<10} {}  (issuer {})",
        c.id,
        c.format,
        c.name,
        c.issuer_id
    );
}

fn award_state(a: &AwardRecord) -> &'static str {
    if a.revoked.is_some() {
        "revoked"
    } else if a.suspended {
        "suspended"
    } else {
        "issued"
    }
}

fn say_award(a: &AwardRecord) {
    say!(
        "{:>4}  class {:<4} {:<9} {}  {}",
        a.id,
        a.class_id,
        award_state(a),
        date(Some(a.issued_on)),
        a.recipient
    );
}

/// `satchel issuer …`.
pub fn issuer(cmd: IssuerCommand, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let app = open(data_dir)?;
    match cmd {
        IssuerCommand::Create {
            name,
            url,
            email,
            base_url,
            image,
            description,
            ob3_identity,
            json,
        } => {
            let v = app.create_issuer(&NewIssuer {
                name,
                url,
                email,
                base_url,
                description,
                image,
                ob3_identity,
            })?;
            if json {
                print_json(&v);
            } else {
                say!(
                    "Created issuer {} ({}); OB 3.0 badges name it {}.",
                    v.issuer.id,
                    v.issuer.name,
                    v.ob3_issuer
                );
            }
        }
        IssuerCommand::List { json } => {
            print_all(
                &app.issuers()?,
                json,
                "No issuers yet. Create one with `satchel issuer create`.",
                say_issuer,
            );
        }
        IssuerCommand::Show { id, json } => {
            let v = app.issuer(id)?;
            if json {
                print_json(&v);
            } else {
                say_issuer_in_full(&v);
            }
        }
        IssuerCommand::RotateKey { id, json } => {
            let v = app.rotate_keys(id)?;
            if json {
                print_json(&v);
            } else {
                say!(
                    "Issuer {id} signs with new keys from now on; publish again so verifiers find them."
                );
            }
        }
        IssuerCommand::ExportKeys { id, out, json } => {
            let pass = crate::delivery::key_passphrase(true)?;
            crate::delivery::say_keys(&app.export_keys(Some(id), &out, &pass)?, json);
        }
        IssuerCommand::ImportKeys { file, json } => {
            let pass = crate::delivery::key_passphrase(false)?;
            let bundle = app.open_keys(&file, &pass)?;
            crate::delivery::say_keys(&app.import_keys(&bundle)?, json);
        }
        IssuerCommand::Edit {
            id,
            name,
            url,
            email,
            base_url,
            image,
            description,
            json,
        } => {
            let v = app.edit_issuer(
                id,
                &IssuerEdit {
                    name,
                    url,
                    email,
                    base_url,
                    description,
                    image,
                },
            )?;
            if json {
                print_json(&v);
            } else {
                say!("Changed issuer {}.", v.issuer.id);
            }
        }
    }
    Ok(())
}

/// `satchel badgeclass …`.
pub fn class(cmd: ClassCommand, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let app = open(data_dir)?;
    match cmd {
        ClassCommand::Create {
            issuer,
            name,
            description,
            image,
            criteria,
            criteria_url,
            format,
            vc_jwt,
            suspendable,
            valid_for,
            tags,
            achievement_type,
            json,
        } => {
            let warnings = app.check_badge_image(&image)?.warnings;
            let c = app.create_class(&NewClass {
                issuer,
                name,
                description,
                image,
                criteria,
                criteria_url,
                format,
                vc_jwt,
                suspendable,
                valid_for,
                tags,
                achievement_type,
                alignments: Vec::new(),
            })?;
            for warning in warnings {
                eprintln!("satchel: {warning}");
            }
            if json {
                print_json(&c);
            } else {
                say!("Created badge class {} ({}, {}).", c.id, c.name, c.format);
            }
        }
        ClassCommand::List { issuer, json } => {
            print_all(
                &app.classes(issuer)?,
                json,
                "No badge classes yet. Create one with `satchel badgeclass create`.",
                say_class,
            );
        }
        ClassCommand::Show { id, json } => {
            let c = app.class(id)?;
            if json {
                print_json(&c);
            } else {
                say_class(&c);
                say!("      {}", c.description);
                if !c.criteria.is_empty() {
                    say!("      criteria: {}", c.criteria);
                }
                if let Some(u) = &c.criteria_url {
                    say!("      criteria page: {u}");
                }
                if let Some(v) = &c.valid_for {
                    say!("      valid for: {v}");
                }
            }
        }
        ClassCommand::Edit {
            id,
            name,
            description,
            image,
            criteria,
            criteria_url,
            valid_for,
            json,
        } => {
            let c = app.edit_class(
                id,
                &ClassEdit {
                    name,
                    description,
                    image,
                    criteria,
                    criteria_url,
                    valid_for,
                    ..ClassEdit::default()
                },
            )?;
            if json {
                print_json(&c);
            } else {
                say!("Changed badge class {}.", c.id);
            }
        }
    }
    Ok(())
}

/// `satchel award`.
pub fn award(args: AwardArgs, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let app = open(data_dir)?;
    if let Some(csv) = &args.csv {
        return award_csv(&app, &args, csv);
    }
    let input = AwardInput {
        recipient: args.recipient.unwrap_or_default(),
        name: args.name,
        issued_on: parse_day("--issued-on", args.issued_on.as_deref())?,
        expires: parse_day("--expires", args.expires.as_deref())?,
        narrative: args.narrative,
        evidence_url: args.evidence,
        evidence_narrative: args.evidence_narrative,
        plaintext: args.plaintext,
        eml: args.eml,
    };
    let sending = args.send.then(|| args.smtp.sending()).transpose()?;
    let done = app.award(args.class, &input, &args.out)?;
    let sent = match &sending {
        Some(s) => {
            let baked = done.files.first().map(PathBuf::from).unwrap_or_default();
            s.send(&app, &[(done.id, baked)], true)?
        }
        None => Vec::new(),
    };
    if args.json {
        crate::delivery::print_with_email(std::slice::from_ref(&done), |d| Some(d.id), &sent);
    } else {
        say!(
            "Awarded badge class {} to {} (award {}):",
            done.class,
            done.recipient,
            done.id
        );
        for f in &done.files {
            say!("  {f}");
        }
        if let Some(n) = &done.note {
            say!("  ({n})");
        }
        say!("Publish the issuer's folder again (`satchel publish`) before sending it.");
    }
    crate::delivery::report(&sent, args.json)
}

/// `satchel awards`.
pub fn awards(args: AwardsArgs, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let app = open(data_dir)?;
    print_all(
        &app.awards(args.class, args.search.as_deref())?,
        args.json,
        "No awards found.",
        say_award,
    );
    Ok(())
}

/// `satchel revoke`.
pub fn revoke(id: i64, reason: &str, json: bool, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let a = open(data_dir)?.revoke(id, reason)?;
    if json {
        print_json(&a);
    } else {
        say!("Revoked award {id}; the next `satchel publish` carries it.");
    }
    Ok(())
}

/// `satchel suspend` / `satchel unsuspend`.
pub fn suspend(
    id: i64,
    suspended: bool,
    json: bool,
    data_dir: Option<PathBuf>,
) -> Result<(), Failure> {
    let a = open(data_dir)?.suspend(id, suspended)?;
    if json {
        print_json(&a);
    } else {
        say!(
            "{} award {id}; the next `satchel publish` carries it.",
            if suspended {
                "Suspended"
            } else {
                "Lifted the suspension of"
            }
        );
    }
    Ok(())
}

/// `satchel publish`.
pub fn publish(
    issuer: i64,
    out: &std::path::Path,
    json: bool,
    data_dir: Option<PathBuf>,
) -> Result<(), Failure> {
    let r = open(data_dir)?.publish(issuer, out)?;
    if json {
        print_json(&r);
        return Ok(());
    }
    say!("Published {} files to {}.", r.files, r.folder);
    if r.added.is_empty() && r.changed.is_empty() && r.removed.is_empty() {
        say!("Nothing changed since the last publish.");
    }
    for (word, list) in [
        ("added", &r.added),
        ("changed", &r.changed),
        ("removed", &r.removed),
    ] {
        for f in list {
            say!("  {word:<8} {f}");
        }
    }
    Ok(())
}

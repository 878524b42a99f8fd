//! `satchel backup`, `restore`, `export` and `export-all`: the backpack to
//! and from files.

use crate::common::{count, io_failure, open, print_json};
use crate::output::clean;
use crate::{sentence, Failure};
use satchel::app::ShareOptions;
use satchel::export::{PlannedBadge, SharePlan};
use serde_json::json;
use std::path::{Path, PathBuf};

/// `satchel backup`.
pub fn backup(
    out_file: &Path,
    include_keys: bool,
    json_out: bool,
    data_dir: Option<PathBuf>,
) -> Result<(), Failure> {
    let app = open(data_dir)?;
    let keys_file = satchel::app::keys_beside(out_file);
    let pass = if include_keys {
        if keys_file.exists() {
            return Err(crate::common::usage(format!(
                "{} already exists; choose a new backup file name",
                keys_file.display()
            )));
        }
        Some(crate::delivery::key_passphrase(true)?)
    } else {
        None
    };
    let summary = app.backup(out_file).map_err(io_failure)?;
    let keys = match &pass {
        Some(p) => app.export_keys(None, &keys_file, p)?,
        None => Vec::new(),
    };
    if json_out {
        print_json(&summary);
    } else {
        say!(
            "Backed up {}, {} and {} to {} ({} bytes).",
            count(summary.badges as usize, "badge", "badges"),
            count(summary.collections as usize, "collection", "collections"),
            count(summary.documents as usize, "document", "documents"),
            out_file.display(),
            summary.bytes
        );
        if pass.is_some() {
            say!(
                "Wrote {} sealed with your passphrase to {}.",
                count(keys.len(), "issuer key", "issuer keys"),
                keys_file.display()
            );
        } else if !app.issuers()?.is_empty() {
            eprintln!("satchel: note: the issuer keys are not in the backup; back them up with --include-keys or `satchel issuer export-keys`.");
        }
    }
    Ok(())
}

/// `satchel restore`.
pub fn restore(
    file: &Path,
    include_keys: bool,
    json_out: bool,
    data_dir: Option<PathBuf>,
) -> Result<(), Failure> {
    let app = open(data_dir)?;
    // The keys are opened first, so a wrong passphrase changes nothing.
    let keys = if include_keys {
        let pass = crate::delivery::key_passphrase(false)?;
        Some(app.open_keys(&satchel::app::keys_beside(file), &pass)?)
    } else {
        None
    };
    let done = app.restore(file).map_err(|e| {
        let mut f = Failure::from(e);
        if f.message.contains("restore into an empty data folder") {
            f.message = sentence(&format!("{} (--data-dir)", f.message.trim_end_matches('.')));
        }
        f
    })?;
    if json_out {
        print_json(&done.summary);
    } else {
        let s = &done.summary;
        say!(
            "Restored {}, {} and {} into {}.",
            count(s.badges as usize, "badge", "badges"),
            count(s.collections as usize, "collection", "collections"),
            count(s.documents as usize, "document", "documents"),
            done.data_dir
        );
    }
    if let Some(bundle) = &keys {
        crate::delivery::say_keys(&app.import_keys(bundle)?, json_out);
    }
    Ok(())
}

/// `satchel export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// The collection (name or number).
    pub collection: String,
    /// The folder to write (new, empty, or a previous export of Satchel's).
    #[arg(long, value_name = "DIR", required_unless_present = "dry_run")]
    pub out: Option<PathBuf>,
    /// Where the folder will be published (https://example.org/badges/): absolute links for
    /// social cards, embeds and LinkedIn.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Show the recipient's name on the pages (when the badge names one).
    #[arg(long)]
    pub include_recipient_name: bool,
    /// Show the badges' evidence on the pages.
    #[arg(long)]
    pub include_evidence: bool,
    /// Publish no badge's original file, JSON or in-browser check.
    #[arg(long)]
    pub leave_out_originals: bool,
    /// Print what would be published (badges, originals, names, evidence, warnings) and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `satchel export`.
pub fn export(args: ExportArgs, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let app = open(data_dir)?;
    let collection = app.find_collection(&args.collection)?;
    let opts = ShareOptions {
        base_url: args.base_url.clone(),
        include_recipient_name: args.include_recipient_name,
        include_evidence: args.include_evidence,
        leave_out_originals: args.leave_out_originals,
    };
    let out = match (&args.out, args.dry_run) {
        (Some(out), false) => out,
        _ => {
            let plan = app.share_plan(collection.id, &opts)?;
            return preview(&plan, args.json);
        }
    };
    let summary = app.share(collection.id, &opts, out)?;
    if args.json {
        print_json(&json!({
            "out_dir": summary.out_dir,
            "pages": summary.pages,
            "files": summary.files.len(),
            "warnings": summary.warnings,
        }));
        return Ok(());
    }
    say!(
        "Exported {} ({}) to {}: open {} in a browser, or publish the folder on any web host.",
        collection.name,
        count(collection.count as usize, "badge", "badges"),
        out.display(),
        summary.out_dir.join("index.html").display()
    );
    for w in &summary.warnings {
        eprintln!("satchel: warning: {}", clean(&sentence(w)));
    }
    Ok(())
}

/// `satchel export --dry-run`: what the export would publish.
fn preview(plan: &SharePlan, json_out: bool) -> Result<(), Failure> {
    if json_out {
        print_json(plan);
        return Ok(());
    }
    let n = plan.badges.len();
    say!(
        "{} would publish {}: {} of {} with the original file; the recipient's name shown on {}; evidence shown on {}.",
        clean(&plan.title),
        count(n, "badge", "badges"),
        plan.originals,
        n,
        count(plan.recipient_names, "page", "pages"),
        count(plan.evidence, "page", "pages"),
    );
    for b in &plan.badges {
        say!("  {} ({}): {}", clean(&b.name), b.page, inclusions(b));
        for w in &b.warnings {
            say!("    warning: {}", clean(&sentence(w)));
        }
    }
    say!("Nothing was written (--dry-run).");
    Ok(())
}

/// What one badge's page carries, in words.
fn inclusions(b: &PlannedBadge) -> String {
    let mut said = vec![if b.original {
        "original file and JSON included"
    } else if b.plaintext_email {
        "original file left out (it names the recipient's email address)"
    } else {
        "original file left out"
    }];
    if b.names_recipient {
        said.push(if b.recipient_name_shown {
            "recipient's name shown"
        } else {
            "recipient's name not shown"
        });
    }
    if b.evidence > 0 {
        said.push(if b.evidence_shown {
            "evidence shown"
        } else {
            "evidence not shown"
        });
    }
    said.join("; ")
}

/// `satchel export-all`.
pub fn export_all(
    out_dir: &Path,
    json_out: bool,
    data_dir: Option<PathBuf>,
) -> Result<(), Failure> {
    let summary = open(data_dir)?.export_all(out_dir).map_err(io_failure)?;
    if json_out {
        print_json(&summary);
    } else {
        say!(
            "Wrote {}, {} and {} to {} (see manifest.json and README.txt there).",
            count(summary.badges, "badge", "badges"),
            count(summary.documents, "document", "documents"),
            count(summary.collections, "collection", "collections"),
            out_dir.display()
        );
    }
    Ok(())
}

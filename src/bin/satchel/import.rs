//! `satchel import`.

use crate::common::{
    count, on_ctrl_c, open_with_net, out, progress_bar, rejected, silent_failure, warn_unkept,
    NetArgs, CANCEL,
};
use crate::output::{clean, clean_lines, json_text};
use crate::{sentence, Failure};
use satchel::backpack::{ImportInput, ImportProgress, ImportReport, ItemOutcome, ItemReport};
use satchel::store::DuplicateBy;
use serde_json::{json, Value};
use std::io::Write;
use std::path::PathBuf;

/// `satchel import`.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// Badge files, folders (walked recursively), zip archives, URLs, or `-` for standard input.
    #[arg(value_name = "INPUT", required_unless_present = "paste")]
    pub inputs: Vec<String>,
    /// Import this pasted text: assertion or credential JSON, a JWS, or a URL, or several one a line (repeatable).
    #[arg(long, value_name = "TEXT")]
    pub paste: Vec<String>,
    /// Print one JSON object per item and line, then a summary line.
    #[arg(long)]
    pub json: bool,
    /// Never draw a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// A file whose assertion or credential id is already stored from a different file takes the kept badge's place (its tags, note and collections stay).
    #[arg(long, conflicts_with = "keep_both")]
    pub replace_duplicate: bool,
    /// A file whose assertion or credential id is already stored from a different file is kept as a badge of its own.
    #[arg(long)]
    pub keep_both: bool,
    #[command(flatten)]
    pub net: NetArgs,
}

fn outcome_word(o: ItemOutcome) -> &'static str {
    match o {
        ItemOutcome::Imported => "imported",
        ItemOutcome::Duplicate => "duplicate",
        ItemOutcome::NotABadge => "not_a_badge",
        ItemOutcome::Failed => "failed",
    }
}

/// `satchel import`.
pub fn run(args: ImportArgs, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let app = open_with_net(data_dir, &args.net)?;
    let mut inputs = Vec::new();
    for arg in &args.inputs {
        if arg == "-" {
            let bytes = crate::read_stdin(satchel::limits::MAX_PNG_BAKE_BYTES)?;
            inputs.push(ImportInput::Bytes {
                name: "standard input".to_owned(),
                bytes,
            });
        } else {
            inputs.push(ImportInput::from_arg(arg));
        }
    }
    inputs.extend(args.paste.iter().cloned().map(ImportInput::Text));
    on_ctrl_c();
    let bar = progress_bar(args.no_progress || args.json, "Importing");
    let progress = |p: ImportProgress<'_>| {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
    };
    let (report, unkept) = if args.replace_duplicate {
        app.import_replacing(&inputs, &progress, &CANCEL)
    } else if args.keep_both {
        app.import_keeping_both(&inputs, &progress, &CANCEL)
    } else {
        app.import(&inputs, &progress, &CANCEL)
    };
    bar.finish_and_clear();
    let mut o = out();
    for item in &report.items {
        let line = if args.json {
            let mut v = serde_json::to_value(item).unwrap_or(Value::Null);
            v["outcome"] = json!(outcome_word(item.outcome));
            json_text(format!("{v}\n"))
        } else {
            clean_lines(&item_line(item)).into_owned()
        };
        if o.write_all(line.as_bytes()).is_err() {
            break;
        }
    }
    let _ = summary(&mut o, &report, args.json);
    let _ = o.flush();
    warn_unkept(&unkept);
    if report.cancelled {
        return Err(rejected(format!(
            "import cancelled after {} of {} items; every badge listed above is stored whole",
            report.items.len(),
            report.total
        )));
    }
    if report.count(ItemOutcome::NotABadge) + report.count(ItemOutcome::Failed) > 0 {
        return Err(silent_failure());
    }
    Ok(())
}

/// One item's line, for people.
fn item_line(item: &ItemReport) -> String {
    let what = match (&item.name, &item.issuer) {
        (Some(n), Some(i)) => format!(" — {}, issued by {}", clean(n), clean(i)),
        (Some(n), None) => format!(" — {}", clean(n)),
        _ => String::new(),
    };
    let source = clean(&item.source);
    let reason = clean(item.reason.as_deref().unwrap_or(""));
    match item.outcome {
        ItemOutcome::Imported => format!(
            "imported    {source}{what} as badge {} ({}): {reason}\n",
            item.badge_id.unwrap_or(0),
            item.status.map_or("?", |v| v.label()),
        ),
        ItemOutcome::Duplicate if item.duplicate_by == Some(DuplicateBy::SameId) => format!(
            "duplicate   {source}: {reason}\n            (to keep this one instead, import it again with --replace-duplicate; to keep both, with --keep-both)\n"
        ),
        ItemOutcome::Duplicate => format!("duplicate   {source}: {reason}\n"),
        ItemOutcome::NotABadge => format!("not a badge {source}: {}\n", sentence(&reason)),
        ItemOutcome::Failed => format!("failed      {source}: {}\n", sentence(&reason)),
    }
}

/// The closing line: counts (or, with `--json`, a `summary` object).
fn summary(o: &mut impl Write, report: &ImportReport, json: bool) -> std::io::Result<()> {
    let counts = json!({
        "total": report.total,
        "imported": report.count(ItemOutcome::Imported),
        "duplicate": report.count(ItemOutcome::Duplicate),
        "not_a_badge": report.count(ItemOutcome::NotABadge),
        "failed": report.count(ItemOutcome::Failed),
        "cancelled": report.cancelled,
    });
    if json {
        return writeln!(o, "{}", json!({ "summary": counts }));
    }
    if report.total == 0 {
        return writeln!(
            o,
            "Nothing to import: the folders and archives named hold no files (hidden ones are skipped)."
        );
    }
    let cancelled = if report.cancelled {
        format!(
            "; cancelled after {} of {} items",
            report.items.len(),
            report.total
        )
    } else {
        String::new()
    };
    let n = |o: ItemOutcome| report.count(o);
    writeln!(
        o,
        "{} imported, {} already present, {}, {} failed{cancelled}.",
        n(ItemOutcome::Imported),
        n(ItemOutcome::Duplicate),
        count(n(ItemOutcome::NotABadge), "not a badge", "not badges"),
        n(ItemOutcome::Failed),
    )
}

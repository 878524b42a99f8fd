//! `satchel reverify`.

use crate::common::{
    count, on_ctrl_c, open_with_net, out, progress_bar, rejected, silent_failure, warn_unkept,
    NetArgs, CANCEL,
};
use crate::output::{clean, clean_lines, json_text};
use crate::{sentence, Failure};
use satchel::app::Reverify;
use satchel::backpack::ReverifyItem;
use std::io::Write;
use std::path::PathBuf;

/// `satchel reverify`.
#[derive(clap::Args)]
pub struct ReverifyArgs {
    /// Badge numbers to check again.
    #[arg(required_unless_present_any = ["all", "older_than"], conflicts_with_all = ["all", "older_than"], value_parser = crate::common::badge_number)]
    pub ids: Vec<i64>,
    /// Check every badge in the backpack.
    #[arg(long, conflicts_with = "older_than")]
    pub all: bool,
    /// Check every badge whose last check is more than DAYS days old (for a scheduled job).
    #[arg(long, value_name = "DAYS")]
    pub older_than: Option<u32>,
    /// Print one JSON object per badge and line.
    #[arg(long)]
    pub json: bool,
    /// Never draw a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    #[command(flatten)]
    pub net: NetArgs,
}

/// `satchel reverify`.
pub fn run(args: ReverifyArgs, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let app = open_with_net(data_dir, &args.net)?;
    let which = match (args.all, args.older_than) {
        (true, _) => Reverify::All,
        (false, Some(days)) => Reverify::OlderThan(days),
        (false, None) => Reverify::Ids(args.ids.clone()),
    };
    let ids = app.reverify_ids(&which)?;
    on_ctrl_c();
    let bar = progress_bar(args.no_progress || args.json, "Verifying");
    bar.set_length(ids.len() as u64);
    let (report, unkept) = app.reverify(&ids, &|done, _, _| bar.set_position(done as u64), &CANCEL);
    bar.finish_and_clear();
    let mut o = out();
    let mut changed = 0;
    for item in &report.items {
        changed += usize::from(!item.changes.is_empty());
        let line = if args.json {
            let v = serde_json::to_value(item).unwrap_or_default();
            json_text(format!("{v}\n"))
        } else {
            clean_lines(&item_text(item)).into_owned()
        };
        if o.write_all(line.as_bytes()).is_err() {
            break;
        }
    }
    if !args.json {
        let _ = match args.older_than {
            Some(days) if report.items.is_empty() => writeln!(
                o,
                "No badge was last checked more than {} ago; nothing to check.",
                count(days as usize, "day", "days")
            ),
            _ => writeln!(
                o,
                "Checked {}; {changed} changed since the last check.",
                count(report.items.len(), "badge", "badges")
            ),
        };
    }
    let _ = o.flush();
    warn_unkept(&unkept);
    if report.cancelled {
        return Err(rejected(format!(
            "cancelled after {} of {} badges; the reports above are kept",
            report.items.len(),
            ids.len()
        )));
    }
    if report.items.iter().any(|i| i.after.is_none()) {
        return Err(silent_failure());
    }
    Ok(())
}

/// One badge's lines, for people.
fn item_text(item: &ReverifyItem) -> String {
    let mut l = format!(
        "{:>5}  {:<15} {}",
        item.id,
        item.after.map_or("Not checked", |v| v.label()),
        clean(item.name.as_deref().unwrap_or("Untitled badge"))
    );
    l.push_str(match (item.changes.is_empty(), item.after.is_some()) {
        (true, true) => "  (unchanged)\n",
        _ => "\n",
    });
    for c in &item.changes {
        l.push_str(&format!("         {}\n", clean(&c.message())));
    }
    if item.after != Some(satchel::verify::Verdict::Verified) {
        l.push_str(&format!("         {}\n", clean(&sentence(&item.message))));
    }
    l
}

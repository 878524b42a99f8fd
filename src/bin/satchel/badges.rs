//! `satchel list`, `show`, `delete`, `tag`, `untag` and `note`.

use crate::common::{date, open, out, parse_day, print_json, status_label, usage};
use crate::output::{clean, clean_lines, json_text};
use crate::Failure;
use satchel::app::{App, BadgeDetail};
use satchel::store::{BadgeQuery, BadgeSummary, SortBy};
use serde_json::{json, Value};
use std::io::Write;
use std::path::PathBuf;

/// `satchel list`.
#[derive(clap::Args)]
pub struct ListArgs {
    /// Words to find in name, description, issuer, criteria, tags and note.
    #[arg(long, short = 's', value_name = "TEXT")]
    pub search: Option<String>,
    /// Only this status: verified, expired, revoked, suspended, invalid, unverifiable (repeatable).
    #[arg(long, value_name = "S")]
    pub status: Vec<String>,
    /// Only badges from this issuer (its name or id, any case).
    #[arg(long, value_name = "I")]
    pub issuer: Option<String>,
    /// Only badges with this tag.
    #[arg(long, value_name = "T")]
    pub tag: Option<String>,
    /// Only badges in this collection (name or number), in its order.
    #[arg(long, value_name = "C")]
    pub collection: Option<String>,
    /// Issued on or after this date (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub issued_after: Option<String>,
    /// Issued before this date.
    #[arg(long, value_name = "DATE")]
    pub issued_before: Option<String>,
    /// Expiring on or after this date.
    #[arg(long, value_name = "DATE")]
    pub expires_after: Option<String>,
    /// Expiring before this date.
    #[arg(long, value_name = "DATE")]
    pub expires_before: Option<String>,
    /// Order: imported (newest first), name, issuer, issued, expires, status.
    #[arg(long, value_name = "KEY", default_value = "imported")]
    pub sort: String,
    /// Reverse the order.
    #[arg(long)]
    pub reverse: bool,
    /// At most this many.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// Skip this many.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: u32,
    /// Print one JSON object per badge and line.
    #[arg(long)]
    pub json: bool,
}

fn sort_by(word: &str) -> Result<SortBy, Failure> {
    Ok(match word {
        "imported" => SortBy::Imported,
        "name" => SortBy::Name,
        "issuer" => SortBy::Issuer,
        "issued" => SortBy::Issued,
        "expires" => SortBy::Expires,
        "status" => SortBy::Status,
        other => {
            return Err(usage(format!(
                "--sort {other:?} is not one of imported, name, issuer, issued, expires, status"
            )))
        }
    })
}

fn query(args: &ListArgs, app: &App) -> Result<BadgeQuery, Failure> {
    for st in &args.status {
        let st = st.to_lowercase();
        if satchel::verify::Verdict::parse(&st).is_none() {
            let words: Vec<&str> = satchel::verify::Verdict::ALL
                .iter()
                .map(|v| v.as_str())
                .collect();
            return Err(usage(format!(
                "--status {st:?} is not one of {}",
                words.join(", ")
            )));
        }
    }
    let collection = match &args.collection {
        Some(c) => Some(app.find_collection(c)?.id),
        None => None,
    };
    Ok(BadgeQuery {
        search: args.search.clone(),
        status: args.status.iter().map(|x| x.to_lowercase()).collect(),
        issuer: args.issuer.clone(),
        tag: args.tag.clone(),
        collection,
        issued_from: parse_day("--issued-after", args.issued_after.as_deref())?,
        issued_to: parse_day("--issued-before", args.issued_before.as_deref())?,
        expires_from: parse_day("--expires-after", args.expires_after.as_deref())?,
        expires_to: parse_day("--expires-before", args.expires_before.as_deref())?,
        sort: sort_by(&args.sort)?,
        reverse: args.reverse,
        limit: args.limit,
        offset: args.offset,
    })
}

/// `satchel list`.
pub fn list(args: ListArgs, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let app = open(data_dir)?;
    let page = app.list(&query(&args, &app)?)?;
    let mut o = out();
    if !args.json && page.items.is_empty() {
        let _ = writeln!(
            o,
            "{}",
            if app.badge_count()? == 0 {
                "The backpack is empty. Add badges with `satchel import FILE...`."
            } else {
                "No badge matches."
            }
        );
    }
    for b in &page.items {
        let tags = page.tags.get(&b.id).cloned().unwrap_or_default();
        let line = if args.json {
            let mut v = serde_json::to_value(b).unwrap_or(Value::Null);
            v["tags"] = json!(tags);
            json_text(format!("{v}\n"))
        } else {
            clean_lines(&list_line(b, &tags)).into_owned()
        };
        if o.write_all(line.as_bytes()).is_err() {
            break;
        }
    }
    let _ = o.flush();
    Ok(())
}

fn list_line(b: &BadgeSummary, tags: &[String]) -> String {
    format!(
        "{:>5}  {:<15} {}  —  {}  (issued {}{}){}\n",
        b.id,
        status_label(&b.status),
        clean(b.name.as_deref().unwrap_or("Untitled badge")),
        clean(b.issuer_name.as_deref().unwrap_or("Unknown issuer")),
        date(b.issued_on),
        b.expires
            .map(|e| format!(", expires {}", date(Some(e))))
            .unwrap_or_default(),
        if tags.is_empty() {
            String::new()
        } else {
            format!("  [{}]", clean(&tags.join(", ")))
        }
    )
}

/// `satchel show`.
pub fn show(id: i64, json_out: bool, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let app = open(data_dir)?;
    let detail = app.badge(id)?;
    if json_out {
        print_json(&show_json(&detail));
        return Ok(());
    }
    crate::write_text(&show_text(&detail))
}

/// `satchel show --json`: the record, the badge, the last report and the history.
fn show_json(d: &BadgeDetail) -> Value {
    let mut v = serde_json::to_value(&d.record).unwrap_or(Value::Null);
    v["badge"] = serde_json::to_value(&d.badge).unwrap_or(Value::Null);
    v["verification"] = serde_json::to_value(d.last_report()).unwrap_or(Value::Null);
    v["history"] = json!(d
        .verifications
        .iter()
        .map(|h| json!({
            "checked_at": h.checked_at,
            "status": h.status,
            "offline": h.offline,
            "replaced_source": h.replaced_source,
        }))
        .collect::<Vec<_>>());
    if let Some(obj) = v.as_object_mut() {
        obj.remove("badge_json");
    }
    v
}

/// One `  Label:       value` line of `satchel show`.
fn field(t: &mut String, label: &str, value: &str) {
    t.push_str(&format!("  {label:<13}{value}\n"));
}

/// `satchel show`: the badge for people.
fn show_text(d: &BadgeDetail) -> String {
    let (b, badge) = (&d.record.summary, &d.badge);
    let mut t = format!(
        "Badge {}: {}\n",
        b.id,
        clean(b.name.as_deref().unwrap_or("Untitled badge"))
    );
    let issuer_id = b.issuer_id.as_deref().map(|i| format!(" <{}>", clean(i)));
    let issuer = clean(b.issuer_name.as_deref().unwrap_or("Unknown issuer"));
    field(
        &mut t,
        "Issuer:",
        &format!("{issuer}{}", issuer_id.unwrap_or_default()),
    );
    if let Some(desc) = &badge.description {
        field(&mut t, "Description:", &clean(desc));
    }
    if let Some(c) = badge
        .criteria
        .narrative
        .as_ref()
        .or(badge.criteria.url.as_ref())
    {
        field(&mut t, "Criteria:", &clean(c));
    }
    let expires = b.expires.map_or("never".to_owned(), |e| date(Some(e)));
    field(
        &mut t,
        "Issued:",
        &format!("{}   Expires: {expires}", date(b.issued_on)),
    );
    let checked = satchel::clock::rfc3339(b.checked_at);
    field(
        &mut t,
        "Status:",
        &format!(
            "{} (checked {checked})",
            status_label(&b.status).to_uppercase()
        ),
    );
    for c in d
        .last_report()
        .map(|r| r.checks.as_slice())
        .unwrap_or_default()
    {
        let mark = crate::output::mark(c.status);
        t.push_str(&format!("    {mark} {}\n", clean(&c.message)));
    }
    show_rest(&mut t, d);
    t
}

/// The lines after the checks: recipient, format, ids, tags, collections,
/// note and history.
fn show_rest(t: &mut String, d: &BadgeDetail) {
    let (b, record) = (&d.record.summary, &d.record);
    if let Some(m) = record.recipient_match.matched() {
        let (who, how) = (clean(&m.identity), m.how());
        field(t, "Recipient:", &format!("matched {who} ({how})"));
    }
    let version = b.version.as_deref().unwrap_or("?");
    let format = format!("Open Badges {version} {} ({})", b.format, b.container);
    field(t, "Format:", &format);
    if let Some(a) = &b.assertion_id {
        field(t, "Id:", &clean(a));
    }
    field(t, "Source:", &clean(&record.source));
    field(t, "Imported:", &satchel::clock::rfc3339(b.imported_at));
    if !record.tags.is_empty() {
        field(t, "Tags:", &clean(&record.tags.join(", ")));
    }
    if !record.collections.is_empty() {
        let names: Vec<&str> = record.collections.iter().map(|(_, n)| n.as_str()).collect();
        field(t, "Collections:", &clean(&names.join(", ")));
    }
    if !record.note.is_empty() {
        field(t, "Note:", &clean(&record.note));
    }
    if d.verifications.len() > 1 {
        t.push_str("  History:\n");
        for h in &d.verifications {
            let offline = if h.offline { " (offline)" } else { "" };
            let at = satchel::clock::rfc3339(h.checked_at);
            let replaced = h
                .replaced_source
                .as_deref()
                .map(|from| format!(" (file replaced; it was {})", clean(from)))
                .unwrap_or_default();
            t.push_str(&format!("    {at}  {}{offline}{replaced}\n", h.status));
        }
    }
}

/// `satchel delete`.
pub fn delete(ids: &[i64], json_out: bool, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let app = open(data_dir)?;
    let mut first_missing = None;
    for &id in ids {
        let result = app.delete(id);
        if json_out {
            print_json(&json!({"id": id, "deleted": result.is_ok()}));
        } else if result.is_ok() {
            say!("Deleted badge {id}.");
        }
        if let Err(e) = result {
            first_missing.get_or_insert(e);
        }
    }
    match first_missing {
        None => Ok(()),
        Some(e) => Err(e.into()),
    }
}

/// `satchel tag` / `satchel untag`.
pub fn tag(
    id: i64,
    tags: &[String],
    remove: bool,
    json_out: bool,
    data_dir: Option<PathBuf>,
) -> Result<(), Failure> {
    let app = open(data_dir)?;
    let now = if remove {
        app.remove_tags(id, tags)?
    } else {
        app.add_tags(id, tags)?
    };
    if json_out {
        print_json(&json!({"id": id, "tags": now}));
    } else if now.is_empty() {
        say!("Badge {id} has no tags.");
    } else {
        say!("Badge {id} is tagged {}.", now.join(", "));
    }
    Ok(())
}

/// `satchel note`.
pub fn note(id: i64, text: &str, json_out: bool, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    open(data_dir)?.set_note(id, text)?;
    if json_out {
        print_json(&json!({"id": id, "note": text}));
    } else if text.is_empty() {
        say!("Cleared the note of badge {id}.");
    } else {
        say!("Saved the note of badge {id}.");
    }
    Ok(())
}

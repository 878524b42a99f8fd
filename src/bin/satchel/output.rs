//! How the CLI prints: [`clean`], the one sanitizer every badge-supplied
//! string passes through before it reaches a terminal in text mode, and how
//! `satchel inspect` prints an inspection, as text for people or as JSON.
//!
//! A badge is written by a stranger. Its name, description, file name, URLs
//! or a message quoting it could carry terminal control sequences (set the
//! window title, clear the screen, rewrite earlier lines, reorder text with
//! bidi overrides). Text output therefore never contains a C0 or C1 control
//! character other than the line breaks the CLI writes itself, nor DEL, nor a
//! bidi embedding, override or isolate. JSON output is escaped by serde.

use satchel::inspect::Inspection;
use std::borrow::Cow;
use std::fmt::Write;
use std::path::Path;

/// How the core words a document it did not fetch from a private address.
const PRIVATE_REFUSED: &str = "unless private network addresses are allowed";

/// Set once the output said that; `main` then says how to allow them.
pub static SAID_PRIVATE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// What replaces a character that could control the terminal: a visible mark.
pub const REPLACEMENT: char = '\u{fffd}';

/// Makes one field of text safe to print on a terminal, on one line: tabs,
/// line breaks and other white-space controls become spaces; every other C0
/// control (ESC, BEL ...), DEL, every C1 control (U+0080–U+009F) and the
/// bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069)
/// become [`REPLACEMENT`]. Text without any of them is returned as it is.
pub fn clean(s: &str) -> Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\t' | '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' => ' ',
                c if unsafe_char(c) => REPLACEMENT,
                c => c,
            })
            .collect(),
    )
}

/// Makes text of several lines safe to print: each line as [`clean`] makes
/// it, the line breaks kept. For the CLI's own output, as a last guard.
pub fn clean_lines(s: &str) -> Cow<'_, str> {
    if s.contains(PRIVATE_REFUSED) {
        SAID_PRIVATE.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    if !s
        .split('\n')
        .any(|line| matches!(clean(line), Cow::Owned(_)))
    {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.split('\n').map(clean).collect::<Vec<_>>().join("\n"))
}

/// One JSON object on one line, with the file name added.
pub fn inspection_json(file: &Path, found: &Inspection) -> String {
    let mut value = serde_json::to_value(found).unwrap_or_default();
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            "file".to_owned(),
            serde_json::Value::String(file.display().to_string()),
        );
    }
    json_text(format!("{value}\n"))
}

/// A labelled, aligned report for people.
pub fn inspection_text(file: &Path, found: &Inspection) -> String {
    let mut out = String::new();
    let mut row = |label: &str, value: &str| {
        let _ = writeln!(out, "{:<11} {}", format!("{label}:"), clean(value));
    };
    row("File", &file.display().to_string());
    match &found.baked {
        Some(b) => row("Container", &format!("{} image, {}", b.format, b.location)),
        None => row("Container", &found.container.to_string()),
    }
    let mut payload = found.payload_kind.to_string();
    if let Some(alg) = &found.jws_alg {
        let _ = write!(payload, " (alg {alg})");
    }
    row("Payload", &payload);
    let version = match found.version {
        Some(v) if v == satchel::detect::Version::Clr2_0 => v.to_string(),
        Some(v) => format!("Open Badges {v}"),
        None => "unknown".to_owned(),
    };
    let mut version = format!("{version}, {}", found.kind);
    if let Some(vcdm) = found.vcdm {
        let _ = write!(
            version,
            " (VC data model {})",
            serde_json::to_value(vcdm)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        );
    }
    row("Version", &version);
    if let Some(b) = &found.badge {
        badge_rows(b, &mut row);
    } else if let Some(url) = found.document.is_none().then_some(&found.payload) {
        row("Hosted at", satchel::detect::trim_text(url));
    }
    if let Some(hint) = found
        .baked
        .as_ref()
        .and_then(|b| b.verify_attribute.as_ref())
    {
        row("Verify URL", hint);
    }
    for w in &found.warnings {
        row("Warning", w);
    }
    out
}

/// The rows of [`inspection_text`] that describe the badge itself.
fn badge_rows(b: &satchel::model::BadgeView, row: &mut impl FnMut(&str, &str)) {
    if let Some(name) = &b.name {
        row("Badge", name);
    }
    let issuer = match (
        &b.issuer.name,
        &b.issuer.url.as_ref().or(b.issuer.id.as_ref()),
    ) {
        (Some(n), Some(u)) => Some(format!("{n} <{u}>")),
        (Some(n), None) => Some(n.clone()),
        (None, Some(u)) => Some(u.to_string()),
        (None, None) => None,
    };
    if let Some(i) = issuer {
        row("Issuer", &i);
    }
    if let Some(d) = &b.issued_on {
        row("Issued", d);
    }
    if let Some(d) = &b.expires {
        row("Expires", d);
    }
    for r in &b.recipient {
        let how = if r.hashed {
            format!(
                "{} (hashed{})",
                r.kind,
                if r.salt.is_some() { ", salted" } else { "" }
            )
        } else {
            r.kind.clone()
        };
        row("Recipient", &format!("{how}: {}", r.value));
    }
    if let Some(c) = b.criteria.url.as_ref().or(b.criteria.narrative.as_ref()) {
        row("Criteria", &one_line(c));
    }
    if let Some(d) = &b.description {
        row("About", &one_line(d));
    }
    if !b.tags.is_empty() {
        row("Tags", &b.tags.join(", "));
    }
    for a in &b.alignments {
        row(
            "Aligns to",
            &[a.name.as_deref(), a.url.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    for e in &b.evidence {
        if let Some(v) = e.url.as_ref().or(e.name.as_ref()).or(e.narrative.as_ref()) {
            row("Evidence", &one_line(v));
        }
    }
    if let Some(id) = &b.id {
        row("Id", id);
    }
}

/// JSON text with the C1 controls and bidi controls that serde writes as
/// they are (it escapes only C0) written as `\uXXXX` escapes instead: the same
/// JSON value, safe on a terminal. (Outside strings JSON has only ASCII, so
/// every such character is inside a string, where an escape means the same.)
pub fn json_text(json: String) -> String {
    if json.contains(PRIVATE_REFUSED) {
        SAID_PRIVATE.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    let escape = |c: char| matches!(c, '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !json.chars().any(escape) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if escape(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Prints one line (or several) to standard output through [`clean_lines`],
/// like `println!` (the `say!` macro).
pub fn say(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{}", clean_lines(text));
}

/// Collapses whitespace and shortens long text for a one-line field.
fn one_line(s: &str) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 160 {
        format!("{}…", flat.chars().take(159).collect::<String>())
    } else {
        flat
    }
}

/// The mark before a check in text reports: ✓ passed, ✗ failed, ! worth
/// knowing, ? could not be checked.
pub fn mark(status: satchel::verify::CheckStatus) -> &'static str {
    use satchel::verify::CheckStatus;
    match status {
        CheckStatus::Pass => "✓",
        CheckStatus::Fail => "✗",
        CheckStatus::Warn => "!",
        CheckStatus::Skip => "?",
    }
}

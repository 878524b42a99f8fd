//! How `satchel inspect` prints an inspection, as text for people or as JSON.

use satchel::inspect::Inspection;
use std::fmt::Write;
use std::path::Path;

/// One JSON object on one line, with the file name added.
pub fn inspection_json(file: &Path, found: &Inspection) -> String {
    let mut value = serde_json::to_value(found).unwrap_or_default();
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            "file".to_owned(),
            serde_json::Value::String(file.display().to_string()),
        );
    }
    format!("{value}\n")
}

/// A labelled, aligned report for people.
pub fn inspection_text(file: &Path, found: &Inspection) -> String {
    let mut out = String::new();
    let mut row = |label: &str, value: &str| {
        let _ = writeln!(out, "{:<11} {}", format!("{label}:"), value);
    };
    row("File", &file.display().to_string());
    match &found.baked {
        Some(b) => row("Container", &format!("{} image, {}", b.format, b.location)),
        None => row("Container", &found.container.to_string()),
    }
    let mut payload = found.payload_kind.to_owned();
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

/// Collapses whitespace and shortens long text for a one-line field.
fn one_line(s: &str) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 160 {
        format!("{}…", flat.chars().take(159).collect::<String>())
    } else {
        flat
    }
}

//! Bulk awards: a CSV file read into checked rows. UTF-8 with or without a
//! byte order mark, comma or semicolon (whichever the header line has
//! more of), a header line naming the columns (common variants accepted,
//! case and spaces ignored):
//!
//! | column | also accepted |
//! |---|---|
//! | `identity` (required) | `email`, `recipient`, `recipient identity`, `identifier` |
//! | `identity type` | `type`, `recipient type`, `kind` (`email`, `url`, `telephone`/`phone`, `did`) |
//! | `name` | `recipient name`, `display name`, `full name` |
//! | `issue date` | `issued`, `issued on`, `date` (YYYY-MM-DD or RFC 3339) |
//! | `expiry` | `expires`, `expiration`, `expiry date`, `expiration date` |
//! | `narrative` | |
//! | `evidence url` | `evidence` |
//! | `evidence narrative` | |
//!
//! Every row is checked; each problem names its line, its column and why.
//! Reading is streamed, so a long file costs the rows kept, not the file.

use super::{AwardInput, IssuerError};
use crate::store::IdentityKind;
use std::io::Read;

/// At most this many rows in one file.
pub const MAX_ROWS: usize = 100_000;
/// At most this many bytes are read from one file.
const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// One checked row.
#[derive(Clone, Debug)]
pub struct Row {
    /// Its line in the file (1: the header).
    pub line: u64,
    /// The award it asks for.
    pub input: AwardInput,
}

/// A row that cannot be awarded.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    /// Its line in the file.
    pub line: u64,
    /// The column (its header), if one is at fault.
    pub column: Option<String>,
    /// Why, in one phrase.
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "line {}, column {c:?}: {}", self.line, self.reason),
            None => write!(f, "line {}: {}", self.line, self.reason),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Identity,
    Type,
    Name,
    Issued,
    Expires,
    Narrative,
    EvidenceUrl,
    EvidenceNarrative,
}

fn column(header: &str) -> Option<Col> {
    let h: String = header
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    Some(match h.as_str() {
        "identity" | "email" | "recipient" | "recipientidentity" | "identifier"
        | "emailaddress" => Col::Identity,
        "identitytype" | "type" | "recipienttype" | "kind" => Col::Type,
        "name" | "recipientname" | "displayname" | "fullname" => Col::Name,
        "issuedate" | "issued" | "issuedon" | "date" => Col::Issued,
        "expiry" | "expires" | "expiration" | "expirydate" | "expirationdate" => Col::Expires,
        "narrative" => Col::Narrative,
        "evidenceurl" | "evidence" => Col::EvidenceUrl,
        "evidencenarrative" => Col::EvidenceNarrative,
        _ => return None,
    })
}

/// Parses a date: YYYY-MM-DD (midnight UTC) or RFC 3339.
pub fn parse_date(text: &str) -> Option<i64> {
    let t = text.trim();
    let rfc = time::format_description::well_known::Rfc3339;
    if let Ok(d) = time::OffsetDateTime::parse(t, &rfc) {
        return Some(d.unix_timestamp());
    }
    let day = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(t, &day)
        .ok()
        .map(|d| d.midnight().assume_utc().unix_timestamp())
}

/// Reads a CSV file's rows: the good ones and every problem, by line.
/// `Err` only when the file as a whole cannot be read (no header, no
/// identity column, not text).
pub fn read(name: &str, reader: impl Read) -> Result<(Vec<Row>, Vec<RowError>), IssuerError> {
    let mut reader = std::io::BufReader::new(reader.take(MAX_BYTES));
    let mut first = Vec::new();
    std::io::BufRead::read_until(&mut reader, b'\n', &mut first)
        .map_err(|e| IssuerError::Invalid(format!("{name} cannot be read ({e})")))?;
    let count = |c: u8| first.iter().filter(|b| **b == c).count();
    let delimiter = if count(b';') > count(b',') {
        b';'
    } else {
        b','
    };
    let head = first
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(&first)
        .to_vec();
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(std::io::Cursor::new(head).chain(reader));
    let headers = csv
        .headers()
        .map_err(|e| IssuerError::Invalid(format!("{name}: the header line cannot be read ({e})")))?
        .clone();
    let cols: Vec<Option<Col>> = headers.iter().map(column).collect();
    if !cols.contains(&Some(Col::Identity)) {
        return Err(IssuerError::Invalid(format!(
            "{name} has no identity column; name one `identity` (or `email`) in the header line"
        )));
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in csv.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(RowError {
                    line,
                    column: None,
                    reason: format!("the row cannot be read ({e})"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if rows.len() + errors.len() >= MAX_ROWS {
            return Err(IssuerError::Invalid(format!(
                "{name} has more than {MAX_ROWS} rows; split it into smaller files"
            )));
        }
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        match row(line, &headers, &cols, &record) {
            Ok(r) => rows.push(r),
            Err(e) => errors.push(e),
        }
    }
    Ok((rows, errors))
}

fn row(
    line: u64,
    headers: &csv::StringRecord,
    cols: &[Option<Col>],
    record: &csv::StringRecord,
) -> Result<Row, RowError> {
    let mut input = AwardInput::default();
    let mut kind_given = None;
    for (i, value) in record.iter().enumerate() {
        let Some(Some(col)) = cols.get(i) else {
            continue;
        };
        let v = value.trim();
        let bad = |reason: String| RowError {
            line,
            column: headers.get(i).map(str::to_owned),
            reason,
        };
        let some = || Some(v.to_owned()).filter(|s| !s.is_empty());
        match col {
            Col::Identity => input.recipient = v.to_owned(),
            Col::Type if !v.is_empty() => {
                kind_given = Some(match v.to_lowercase().as_str() {
                    "email" | "emailaddress" => IdentityKind::Email,
                    "url" => IdentityKind::Url,
                    "telephone" | "phone" => IdentityKind::Telephone,
                    "did" => IdentityKind::Did,
                    _ => {
                        return Err(bad(format!(
                            "{v:?} is not an identity type (email, url, telephone or did)"
                        )))
                    }
                })
            }
            Col::Type => {}
            Col::Name => input.name = some(),
            Col::Issued | Col::Expires if !v.is_empty() => {
                let t = parse_date(v)
                    .ok_or_else(|| bad(format!("{v:?} is not a date such as 2026-01-31")))?;
                if *col == Col::Issued {
                    input.issued_on = Some(t);
                } else {
                    input.expires = Some(t);
                }
            }
            Col::Issued | Col::Expires => {}
            Col::Narrative => input.narrative = some(),
            Col::EvidenceUrl if !v.is_empty() => {
                super::check_web_url("evidence URL", v).map_err(|e| bad(e.to_string()))?;
                input.evidence_url = some();
            }
            Col::EvidenceUrl => {}
            Col::EvidenceNarrative => input.evidence_narrative = some(),
        }
    }
    let identity_column = cols
        .iter()
        .position(|c| *c == Some(Col::Identity))
        .and_then(|i| headers.get(i))
        .map(str::to_owned);
    let kind = IdentityKind::classify(&input.recipient).map_err(|reason| RowError {
        line,
        column: identity_column.clone(),
        reason,
    })?;
    if kind_given.is_some_and(|k| k != kind) {
        return Err(RowError {
            line,
            column: identity_column,
            reason: format!(
                "{:?} is not of the identity type the row gives",
                input.recipient
            ),
        });
    }
    if let (Some(i), Some(e)) = (input.issued_on, input.expires) {
        if e <= i {
            return Err(RowError {
                line,
                column: None,
                reason: "the expiry is not after the issue date".to_owned(),
            });
        }
    }
    Ok(Row { line, input })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_a_bom_and_header_variants_are_read() {
        let text = "\u{feff}E-Mail;Full Name;Issued On\nada@example.org;Ada;2026-01-31\n;;\n";
        let (rows, errors) = read("a.csv", text.as_bytes()).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].input.recipient, "ada@example.org");
        assert_eq!(rows[0].input.name.as_deref(), Some("Ada"));
        assert_eq!(rows[0].input.issued_on, Some(1_769_817_600));
    }

    #[test]
    fn bad_rows_are_named_by_line_and_column() {
        let text = "email,issue date,evidence\nada@example.org,31/01/2026,\nnobody,,\ngrace@example.org,,ftp://x\n";
        let (rows, errors) = read("a.csv", text.as_bytes()).unwrap();
        assert!(rows.is_empty());
        let said: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(
            said[0].starts_with("line 2, column \"issue date\""),
            "{said:?}"
        );
        assert!(said[1].starts_with("line 3, column \"email\""), "{said:?}");
        assert!(
            said[2].starts_with("line 4, column \"evidence\""),
            "{said:?}"
        );
        assert!(read("a.csv", "name\nAda\n".as_bytes()).is_err());
    }
}

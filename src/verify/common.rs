//! Checks every Open Badges version shares: reading dates and comparing them
//! with [`Options::now`], expiry, matching the recipient against the user's
//! identities, and wording fetch failures.
//!
//! Check ids pushed here: `dates.start`, `dates.order`, `dates.format`,
//! [`EXPIRY`] and `recipient`.

use super::report::{Check, EXPIRY};
use super::{Options, RecipientRule, Report};
use crate::clock;
use crate::fetch::FetchError;
use crate::model::recipient::MatchVariant;
use crate::model::{IdentityCheck, RecipientIdentity};
use crate::verify::checks;
use serde_json::Value;
use time::format_description::well_known::{Iso8601, Rfc3339};
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// A date as read from a badge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BadgeDate {
    /// Seconds since the Unix epoch (UTC).
    pub secs: i64,
    /// Was it written as an ISO 8601 / RFC 3339 date-time with a time zone
    /// (what OB 2.0 and 3.0 require), rather than a Unix time, a bare date or
    /// a time without zone?
    pub conforming: bool,
}

/// Reads a date as badges write it: an RFC 3339 / ISO 8601 date-time (zone
/// `Z`, `±hh:mm`, `±hhmm` or `±hh`), a date-time without zone (taken as UTC),
/// a bare `YYYY-MM-DD` (midnight UTC), or Unix seconds as a number or a string
/// of 9–10 digits (OB 0.5/1.x). The error is a short phrase for people.
pub(crate) fn parse_date(value: &Value) -> Result<BadgeDate, String> {
    let legacy = |secs: i64| BadgeDate {
        secs,
        conforming: false,
    };
    match value {
        Value::Number(n) => match n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                .map(|f| f as i64)
        }) {
            Some(secs) if secs.abs() < 100_000_000_000 => Ok(legacy(secs)),
            _ => Err(format!("{n} is not a Unix time in seconds")),
        },
        Value::String(s) => parse_date_text(s.trim()),
        Value::Array(items) if items.len() == 1 => parse_date(&items[0]),
        _ => Err("it is not a date".to_owned()),
    }
}

fn parse_date_text(s: &str) -> Result<BadgeDate, String> {
    let shown = || s.chars().take(40).collect::<String>();
    if s.is_empty() {
        return Err("it is empty".to_owned());
    }
    if (9..=10).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        let secs = s.parse::<i64>().map_err(|_| shown())?;
        return Ok(BadgeDate {
            secs,
            conforming: false,
        });
    }
    let zoned = |t: &str| {
        OffsetDateTime::parse(t, &Rfc3339)
            .or_else(|_| OffsetDateTime::parse(t, &Iso8601::DEFAULT))
            .ok()
    };
    if let Some(t) = zoned(s).or_else(|| with_colon_offset(s).and_then(|t| zoned(&t))) {
        return Ok(BadgeDate {
            secs: t.unix_timestamp(),
            conforming: true,
        });
    }
    let naive = PrimitiveDateTime::parse(s, &Iso8601::DEFAULT)
        .map(PrimitiveDateTime::assume_utc)
        .or_else(|_| Date::parse(s, &Iso8601::DEFAULT).map(|d| d.midnight().assume_utc()));
    match naive {
        Ok(t) => Ok(BadgeDate {
            secs: t.unix_timestamp(),
            conforming: false,
        }),
        Err(_) => Err(format!("\"{}\" is not a date", shown())),
    }
}

/// `…T12:00:00+0100` → `…T12:00:00+01:00`; `…+01` → `…+01:00`.
fn with_colon_offset(s: &str) -> Option<String> {
    let t = s.find(['T', 't', ' '])?;
    let sign = s[t..].rfind(['+', '-'])? + t;
    let offset = &s[sign + 1..];
    if !offset.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (date_time, sign_char) = (&s[..sign], &s[sign..=sign]);
    match offset.len() {
        4 => Some(format!(
            "{date_time}{sign_char}{}:{}",
            &offset[..2],
            &offset[2..]
        )),
        2 => Some(format!("{date_time}{sign_char}{offset}:00")),
        _ => None,
    }
}

/// How long a kept copy of a revocation or status list is trusted when the
/// list does not say (its `ttl`): 30 days.
pub(crate) const MAX_KEPT_LIST_AGE: i64 = 30 * 24 * 3600;

/// A revocation or status list answered from Satchel's kept copy (the
/// issuer's server could not be reached, or offline mode): `Err` with the
/// reason when the copy is older than `max_age` (the list's own `ttl`, else
/// [`MAX_KEPT_LIST_AGE`]), so revocation "could not be checked"; else a note
/// saying how old it is (`None` for a copy fetched just now).
pub(crate) fn kept_list_age(
    fetched: &crate::fetch::Fetched,
    now: i64,
    max_age: Option<i64>,
    what: &str,
) -> Result<Option<String>, String> {
    if fetched.source != crate::fetch::Source::Cache {
        return Ok(None);
    }
    let age = (now - fetched.fetched_at).max(0);
    let days = age / 86_400;
    let ago = match days {
        0 => "today".to_owned(),
        1 => "1 day ago".to_owned(),
        n => format!("{n} days ago"),
    };
    let limit = max_age.unwrap_or(MAX_KEPT_LIST_AGE);
    if age > limit {
        let trusted = if max_age.is_some() {
            "the time the list itself says it may be kept".to_owned()
        } else {
            format!("{} days", MAX_KEPT_LIST_AGE / 86_400)
        };
        return Err(format!(
            "the issuer's {what} could not be fetched, and the copy Satchel kept is from {} ({ago}), older than {trusted}",
            clock::date(fetched.fetched_at)
        ));
    }
    Ok(Some(format!(
        "the issuer's {what} as Satchel kept it on {} ({ago})",
        clock::date(fetched.fetched_at)
    )))
}

/// A date property of a badge: its name as written (`issuedOn`, `validFrom`,
/// `expires` …) and its value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DateField<'a> {
    /// The property name, for details.
    pub name: &'a str,
    /// The value as written.
    pub value: &'a Value,
}

/// Checks a badge's start date (issue date or "valid from") and end date
/// (expiry) against `opts.now`, pushing:
///
/// - `dates.format`: fail for a date that cannot be read; when `strict`
///   (OB 2.0, 3.0), warn for one not written as a date-time with a zone;
/// - `dates.start`: pass, or fail ("not valid yet") when the start is after now;
/// - `dates.order`: fail when the badge expires before it starts;
/// - [`EXPIRY`]: pass, or fail with `report.expired = true` when the end is
///   not after now (the report then says expired rather than invalid).
///
/// A missing date pushes nothing for the start and a pass ("does not expire")
/// for the end. Returns the parsed (start, end).
pub(crate) fn check_dates(
    report: &mut Report,
    opts: &Options,
    start: Option<DateField<'_>>,
    end: Option<DateField<'_>>,
    strict: bool,
) -> (Option<i64>, Option<i64>) {
    let from = read_date(report, start, strict);
    let until = read_date(report, end, strict);
    let now = opts.now;
    let checked = format!("checked at {}", clock::rfc3339(now));
    if let (Some(field), Some(from)) = (start, from) {
        report.push(start_check(field, from, now, &checked));
    }
    if let (Some(from), Some(until)) = (from, until) {
        if until < from {
            report.push(Check::fail(
                checks::DATES_ORDER,
                format!(
                    "This badge's dates are wrong: it expires ({}) before it starts ({}).",
                    clock::date(until),
                    clock::date(from)
                ),
                Some(format!(
                    "{} {} is before {} {}",
                    end.map_or("end", |f| f.name),
                    clock::rfc3339(until),
                    start.map_or("start", |f| f.name),
                    clock::rfc3339(from)
                )),
            ));
        }
    }
    match (end, until) {
        (Some(field), Some(until)) => {
            let detail = Some(format!(
                "{}: {}; {checked}",
                field.name,
                clock::rfc3339(until)
            ));
            if until <= now {
                report.expired = true;
                report.push(Check::fail(
                    EXPIRY,
                    format!("This badge expired on {}.", clock::date(until)),
                    detail,
                ));
            } else {
                report.push(Check::pass(
                    EXPIRY,
                    format!("This badge is valid until {}.", clock::date(until)),
                    detail,
                ));
            }
        }
        (Some(_), None) if !end.is_some_and(|f| f.value.is_null()) => {}
        _ => report.push(Check::pass(EXPIRY, "This badge does not expire.", None)),
    }
    (from, until)
}

/// A date field's time (Unix seconds); `None` when missing or null, or (with a
/// `dates.format` failure) unreadable. When `strict`, a date not written as a
/// date-time with a zone earns a `dates.format` warning.
fn read_date(report: &mut Report, field: Option<DateField<'_>>, strict: bool) -> Option<i64> {
    let field = field?;
    if field.value.is_null() {
        return None;
    }
    match parse_date(field.value) {
        Ok(date) => {
            if strict && !date.conforming {
                report.push(Check::warn(
                    checks::DATES_FORMAT,
                    format!(
                        "The date in {} is not written as a date and time with a time zone, as the standard asks; Satchel read it as {}.",
                        field.name,
                        clock::rfc3339(date.secs)
                    ),
                    Some(format!("{}: {}", field.name, field.value)),
                ));
            }
            Some(date.secs)
        }
        Err(why) => {
            report.push(Check::fail(
                checks::DATES_FORMAT,
                format!("The badge's {} is not a date Satchel can read.", field.name),
                Some(format!("{}: {why}", field.name)),
            ));
            None
        }
    }
}

/// The `dates.start` check of a badge that starts (is issued or valid from) at
/// `from`.
fn start_check(field: DateField<'_>, from: i64, now: i64, checked: &str) -> Check {
    let said = if field.name.to_ascii_lowercase().contains("valid") {
        format!("it is valid from {}", clock::date(from))
    } else {
        format!("it says it was issued on {}", clock::date(from))
    };
    let detail = Some(format!(
        "{}: {}; {checked}",
        field.name,
        clock::rfc3339(from)
    ));
    if from > now {
        Check::fail(
            checks::DATES_START,
            format!("This badge is not valid yet: {said}, which is still in the future."),
            detail,
        )
    } else if field.name.to_ascii_lowercase().contains("valid") {
        Check::pass(
            checks::DATES_START,
            format!("This badge is valid from {}.", clock::date(from)),
            detail,
        )
    } else {
        Check::pass(
            checks::DATES_START,
            format!("This badge was issued on {}.", clock::date(from)),
            detail,
        )
    }
}

/// Matches the badge's recipient identities against the user's
/// (`opts.recipients`), pushing the `recipient` check and setting
/// `report.recipient_matched` and `report.recipient_detail`
/// ("matched ada@example.org (as lowercased)"). Does nothing when the user
/// gave no identities.
///
/// - pass: one identity matched (tried as given, then lower-cased);
/// - fail: none matched ("this badge was not issued to any of your identities"),
///   or a warning under [`RecipientRule::Note`];
/// - warn: the badge names no recipient, or its identity cannot be compared
///   (unknown hash algorithm …); `recipient_matched` is then `None`.
pub(crate) fn check_recipient(
    report: &mut Report,
    opts: &Options,
    identities: &[RecipientIdentity],
) {
    let candidates: Vec<&str> = opts
        .recipients
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    if candidates.is_empty() {
        return;
    }
    if identities.is_empty() {
        report.recipient_matched = None;
        report.push(Check::warn(
            checks::RECIPIENT,
            "This badge does not name its recipient, so Satchel cannot tell whether it is yours.",
            None,
        ));
        return;
    }
    let mut unsupported = Vec::new();
    let mut comparable = false;
    for identity in identities {
        for candidate in &candidates {
            match identity.check(candidate) {
                IdentityCheck::Match { variant } => {
                    let how = match variant {
                        MatchVariant::AsGiven => "as given",
                        MatchVariant::Lowercased => "as lowercased",
                    };
                    report.recipient_matched = Some(true);
                    report.recipient_detail = Some(format!("matched {candidate} ({how})"));
                    report.push(Check::pass(
                        checks::RECIPIENT,
                        format!("This badge was issued to you ({candidate})."),
                        Some(describe_identity(identity, Some(how))),
                    ));
                    return;
                }
                IdentityCheck::NoMatch => comparable = true,
                IdentityCheck::Unsupported { reason } => {
                    if !unsupported.contains(&reason) {
                        unsupported.push(reason);
                    }
                }
            }
        }
    }
    let detail = identities
        .iter()
        .map(|i| describe_identity(i, None))
        .collect::<Vec<_>>()
        .join("; ");
    if !comparable {
        report.recipient_matched = None;
        report.push(Check::warn(
            checks::RECIPIENT,
            format!(
                "Satchel cannot compare this badge's recipient with your identities: {}.",
                unsupported.join("; ")
            ),
            Some(detail),
        ));
        return;
    }
    report.recipient_matched = Some(false);
    report.recipient_detail = Some(format!(
        "no match among {} identit{}",
        candidates.len(),
        if candidates.len() == 1 { "y" } else { "ies" }
    ));
    let detail = Some(format!(
        "compared {} identit{} with: {detail}",
        candidates.len(),
        if candidates.len() == 1 { "y" } else { "ies" }
    ));
    report.push(match opts.recipient_rule {
        RecipientRule::MustMatch => Check::fail(
            checks::RECIPIENT,
            "This badge was not issued to any of your identities.",
            detail,
        ),
        RecipientRule::Note => Check::warn(
            checks::RECIPIENT,
            "This badge was issued to an identity you have not added; if it is yours, add it under Your identities.",
            detail,
        ),
    });
}

fn describe_identity(identity: &RecipientIdentity, how: Option<&str>) -> String {
    let kind = if identity.kind.is_empty() {
        "identity"
    } else {
        identity.kind.as_str()
    };
    let mut s = if identity.hashed {
        let alg = identity.value.split('$').next().unwrap_or("hash");
        match &identity.salt {
            Some(salt) => format!("{kind} hashed with {alg}, salt \"{salt}\""),
            None => format!("{kind} hashed with {alg}, no salt"),
        }
    } else {
        format!("{kind} {}", identity.value)
    };
    if let Some(how) = how {
        s.push_str(&format!(", matched {how}"));
    }
    s
}

/// The host (and port, when given) of a URL, for messages; the URL itself
/// when it does not parse.
pub(crate) fn host_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => match (u.host_str(), u.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            _ => url.to_owned(),
        },
        Err(_) => url.chars().take(80).collect(),
    }
}

/// Why a document could not be fetched, as a clause for a skip check's
/// message: "could not reach the issuer's server at example.org (connection
/// refused)". `whose` names the server ("the issuer's server").
pub(crate) fn fetch_failure(whose: &str, err: &FetchError) -> String {
    match err {
        FetchError::Unreachable { url, reason } => {
            format!("could not reach {whose} at {} ({reason})", host_of(url))
        }
        FetchError::Timeout { url, seconds } => format!(
            "could not reach {whose} at {} (no answer within {seconds} second{})",
            host_of(url),
            if *seconds == 1 { "" } else { "s" }
        ),
        FetchError::NotCached(url) => format!(
            "could not reach {whose} at {} (Satchel is offline and has no saved copy)",
            host_of(url)
        ),
        FetchError::Refused(reason) => format!("Satchel did not contact {whose} ({reason})"),
        FetchError::BadUrl(url) => format!(
            "the address {} is not an http or https URL",
            url.chars().take(80).collect::<String>()
        ),
        FetchError::TooLarge { url, .. } => format!(
            "{whose} at {} sent a document larger than Satchel accepts",
            host_of(url)
        ),
        FetchError::TooManyRedirects { url, .. } => {
            format!("{whose} at {} redirected too many times", host_of(url))
        }
    }
}

/// A sentence as a clause to follow other words: its first letter in lower
/// case, unless the first word is a name that keeps its capital (`Satchel`,
/// an acronym such as `JSON` or `DID`).
pub(crate) fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    let Some(first) = c.next() else {
        return String::new();
    };
    let acronym = c.clone().next().is_some_and(char::is_uppercase);
    if acronym || s.starts_with("Satchel ") || s == "Satchel" {
        return s.to_owned();
    }
    first.to_lowercase().chain(c).collect()
}

/// Makes a sentence of a clause: capital first letter, full stop.
pub(crate) fn sentence(clause: &str) -> String {
    let mut chars = clause.chars();
    let mut s = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect::<String>(),
        None => String::new(),
    };
    if !s.ends_with(['.', '!', '?']) {
        s.push('.');
    }
    s
}

/// [`crate::detect::is_http_url`], remembering the last few addresses that
/// passed on this thread: a batch names the same issuer, badge and key URLs
/// thousands of times, and parsing a URL costs more than comparing it.
pub(crate) fn is_http_url(s: &str) -> bool {
    const REMEMBERED: usize = 16;
    thread_local! {
        static KNOWN: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    if KNOWN.with(|k| k.borrow().iter().any(|u| u == s)) {
        return true;
    }
    let ok = crate::detect::is_http_url(s);
    if ok && s.len() <= 2048 {
        KNOWN.with(|k| {
            let mut k = k.borrow_mut();
            if k.len() >= REMEMBERED {
                k.remove(0);
            }
            k.push(s.to_owned());
        });
    }
    ok
}

/// At most `n` characters, with an ellipsis when cut.
pub(crate) fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(n).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_clause_keeps_names_and_acronyms_capitalized() {
        assert_eq!(lower_first("The list is gone"), "the list is gone");
        assert_eq!(lower_first("Éclair"), "éclair");
        assert_eq!(
            lower_first("Satchel could not check it"),
            "Satchel could not check it"
        );
        assert_eq!(lower_first("Satchels"), "satchels");
        assert_eq!(lower_first("JSON is broken"), "JSON is broken");
        assert_eq!(lower_first("DID document"), "DID document");
        assert_eq!(lower_first("A list"), "a list");
        assert_eq!(lower_first("X"), "x");
        assert_eq!(lower_first(""), "");
    }

    #[test]
    fn clip_counts_characters_not_bytes() {
        assert_eq!(clip("héllo", 5), "héllo");
        assert_eq!(clip("héllo", 2), "hé…");
        assert_eq!(clip("", 0), "");
    }

    fn secs(v: Value) -> (i64, bool) {
        let d = parse_date(&v).unwrap();
        (d.secs, d.conforming)
    }

    #[test]
    fn dates_in_every_form_badges_use() {
        assert_eq!(secs(json!("2016-12-31T23:59:59Z")), (1_483_228_799, true));
        assert_eq!(
            secs(json!("2017-01-01T00:59:59+01:00")),
            (1_483_228_799, true)
        );
        assert_eq!(
            secs(json!("2017-01-01T00:59:59+0100")),
            (1_483_228_799, true)
        );
        assert_eq!(secs(json!("2017-01-01T00:59:59+01")), (1_483_228_799, true));
        assert!(secs(json!("2017-10-01T00:00Z")).1);
        assert_eq!(secs(json!("2016-12-31T23:59:59")), (1_483_228_799, false));
        assert_eq!(secs(json!("2016-12-31")), (1_483_142_400, false));
        assert_eq!(secs(json!(1_483_228_799)), (1_483_228_799, false));
        assert_eq!(secs(json!("1483228799")), (1_483_228_799, false));
        assert!(parse_date(&json!("yesterday")).is_err());
        assert!(parse_date(&json!(true)).is_err());
        assert_eq!(clock::date(1_483_228_799), "2016-12-31");
    }

    #[test]
    fn sentences() {
        assert_eq!(sentence("could not reach x (y)"), "Could not reach x (y).");
        assert_eq!(sentence("Done."), "Done.");
    }
}

//! The words of a page: dates, verdicts, check symbols, sizes and
//! paragraphs, in one human form.

use crate::verify::{CheckStatus, Verdict};

/// A date as written in a badge, read: (seconds, whether a time of day was given).
pub(crate) fn parse_badge_date(s: &str) -> Option<i64> {
    use time::format_description::well_known::{Iso8601, Rfc3339};
    let s = s.trim();
    if (9..=10).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    if let Ok(t) = time::OffsetDateTime::parse(s, &Rfc3339)
        .or_else(|_| time::OffsetDateTime::parse(s, &Iso8601::DEFAULT))
    {
        return Some(t.unix_timestamp());
    }
    if let Ok(t) = time::PrimitiveDateTime::parse(s, &Iso8601::DEFAULT) {
        return Some(t.assume_utc().unix_timestamp());
    }
    // A plain date (`2024-05-01`), or a date followed by something unreadable.
    let day = s.get(..10)?.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i32> {
        std::str::from_utf8(&day[r]).ok()?.parse().ok()
    };
    if day[4] != b'-' || day[7] != b'-' {
        return None;
    }
    let month = time::Month::try_from(u8::try_from(num(5..7)?).ok()?).ok()?;
    let date =
        time::Date::from_calendar_date(num(0..4)?, month, u8::try_from(num(8..10)?).ok()?).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp())
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub(super) fn civil(secs: i64) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp(secs).ok()
}

/// `1 May 2024`.
pub(super) fn show_date(secs: i64) -> String {
    match civil(secs) {
        Some(t) => format!(
            "{} {} {}",
            t.day(),
            MONTHS[t.month() as usize - 1],
            t.year()
        ),
        None => secs.to_string(),
    }
}

/// `27 November 2026, 23:53 UTC`.
pub(super) fn show_time(secs: i64) -> String {
    match civil(secs) {
        Some(t) => format!("{}, {:02}:{:02} UTC", show_date(secs), t.hour(), t.minute()),
        None => secs.to_string(),
    }
}

/// Year and month of a badge date.
pub(super) fn year_month(s: &str) -> Option<(i32, u8)> {
    let t = civil(parse_badge_date(s)?)?;
    Some((t.year(), t.month() as u8))
}

pub(super) fn verdict_words(v: Verdict) -> (&'static str, &'static str, &'static str) {
    match v {
        Verdict::Verified => (v.as_str(), v.label(), "every required check passed"),
        Verdict::Expired => (v.as_str(), v.label(), "authentic, but past its expiry date"),
        Verdict::Revoked => (v.as_str(), v.label(), "the issuer has revoked it"),
        Verdict::Suspended => (
            v.as_str(),
            v.label(),
            "the issuer has suspended it for now; it may be reinstated",
        ),
        Verdict::Invalid => (
            v.as_str(),
            v.label(),
            "a check failed: it was changed, forged or is malformed",
        ),
        Verdict::Unverifiable => (
            v.as_str(),
            v.label(),
            "something needed could not be reached or resolved; this is not evidence of forgery",
        ),
    }
}

pub(super) fn status_words(s: CheckStatus) -> (&'static str, &'static str) {
    match s {
        CheckStatus::Pass => ("pass", "✓"),
        CheckStatus::Fail => ("fail", "✗"),
        CheckStatus::Warn => ("warn", "!"),
        CheckStatus::Skip => ("skip", "–"),
    }
}

pub(super) fn human_size(n: usize) -> String {
    if n < 1024 {
        format!("{n} bytes")
    } else if n < 1024 * 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    }
}

pub(super) fn nonblank(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Plain text split into paragraphs at blank lines (at most 100).
pub(super) fn paragraphs(text: Option<&str>) -> Vec<String> {
    let Some(text) = text else { return Vec::new() };
    let text = text.replace("\r\n", "\n");
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .take(100)
        .map(str::to_owned)
        .collect()
}

/// `text` with every ISO 8601 date in it (`2024-05-01`, `2024-05-01T12:00:00Z`)
/// written the one human way (`1 May 2024`, `1 May 2024, 12:00 UTC`).
pub(super) fn human_dates(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut copied) = (0, 0);
    while i + 10 <= b.len() {
        let starts = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        let end = starts.then(|| iso_end(b, i)).flatten();
        let Some(end) = end else {
            i += 1;
            continue;
        };
        let token = &text[i..end];
        let Some(secs) = parse_badge_date(token) else {
            i = end;
            continue;
        };
        out.push_str(&text[copied..i]);
        out.push_str(&if end > i + 10 {
            show_time(secs)
        } else {
            show_date(secs)
        });
        (i, copied) = (end, end);
    }
    out.push_str(&text[copied..]);
    out
}

/// Where the ISO date (and time) starting at `i` ends, if one does.
fn iso_end(b: &[u8], i: usize) -> Option<usize> {
    let shape = |at: usize, pattern: &[u8]| {
        b.get(at..at + pattern.len()).is_some_and(|s| {
            s.iter().zip(pattern).all(|(c, p)| {
                if *p == b'9' {
                    c.is_ascii_digit()
                } else {
                    c == p
                }
            })
        })
    };
    if !shape(i, b"9999-99-99") {
        return None;
    }
    let mut end = i + 10;
    if shape(end, b"T99:99") {
        end += 6;
        if shape(end, b":99") {
            end += 3;
            if b.get(end) == Some(&b'.') {
                end += 1;
                while b.get(end).is_some_and(u8::is_ascii_digit) {
                    end += 1;
                }
            }
        }
        if b.get(end) == Some(&b'Z') {
            end += 1;
        } else if shape(end, b"+99:99") || shape(end, b"-99:99") {
            end += 6;
        }
    }
    let after = b.get(end);
    (!after.is_some_and(|c| c.is_ascii_alphanumeric())).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::human_dates;

    #[test]
    fn iso_dates_in_sentences_read_the_one_human_way() {
        assert_eq!(
            human_dates("This badge was issued on 2022-11-27."),
            "This badge was issued on 27 November 2022."
        );
        assert_eq!(
            human_dates("It expired on 2025-01-09T14:03:59Z and 2025-01-10T01:02:03.5+02:00."),
            "It expired on 9 January 2025, 14:03 UTC and 9 January 2025, 23:02 UTC."
        );
        assert_eq!(
            human_dates("id 12024-05-01x, 2024-13-01"),
            "id 12024-05-01x, 2024-13-01"
        );
        assert_eq!(human_dates("No date here."), "No date here.");
    }
}

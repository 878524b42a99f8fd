//! The clock, and the two ways Satchel writes a point in time.
//!
//! [`now`] is the only place that reads the system clock for a timestamp;
//! code that must not read the clock (`model`, `verify`, `export`) takes the
//! time as a value and uses only the formatters. Every time is Unix seconds
//! in UTC, written as [`rfc3339`] (`2026-01-31T12:00:00Z`, the date-time with
//! its time zone) or [`date`] (`2026-01-31`), both by the `time` crate.
//! A time outside the years −9999 to 9999 (only a badge can claim one) is
//! written as its number of seconds.

use time::format_description::FormatItem;
use time::macros::format_description;
use time::OffsetDateTime;

const DATE_TIME: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
const DATE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");

/// Now, in seconds since the Unix epoch (UTC); 0 if the clock is before 1970.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn format(secs: i64, description: &[FormatItem<'_>]) -> String {
    OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(description).ok())
        .unwrap_or_else(|| secs.to_string())
}

/// `secs` as an RFC 3339 date-time in UTC: `2026-01-31T12:00:00Z`.
pub fn rfc3339(secs: i64) -> String {
    format(secs, DATE_TIME)
}

/// The day of `secs` in UTC: `2026-01-31`.
pub fn date(secs: i64) -> String {
    format(secs, DATE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
        assert_eq!(rfc3339(1_361_561_067), "2013-02-22T19:24:27Z");
        assert_eq!(rfc3339(253_402_300_799), "9999-12-31T23:59:59Z");
        assert_eq!(date(1_361_561_067), "2013-02-22");
        assert_eq!(date(-1), "1969-12-31");
        // Out of range: the number, never a panic.
        assert_eq!(rfc3339(253_402_300_800), "253402300800");
        assert_eq!(date(i64::MIN), i64::MIN.to_string());
        assert_eq!(rfc3339(i64::MAX), i64::MAX.to_string());
    }

    #[test]
    fn the_clock_reads_after_2020() {
        assert!(now() > 1_577_836_800);
    }
}

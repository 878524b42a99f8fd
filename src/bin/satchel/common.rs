//! What every backpack command shares: opening the [`App`], the network
//! flags, mapping an [`AppError`] to an exit code, progress bars, Ctrl-C,
//! and printing.

use crate::output::json_text;
use crate::{sentence, Failure};
use satchel::app::{App, AppError, Clock, Settings};
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by Ctrl-C: long runs stop after the badges in hand.
pub static CANCEL: AtomicBool = AtomicBool::new(false);

/// How to reach issuers.
#[derive(clap::Args, Clone, Debug)]
pub struct NetArgs {
    /// Use only documents kept from earlier fetches or pinned with `satchel cache`; no network.
    #[arg(long)]
    pub offline: bool,
    /// Allow fetching from loopback, private and link-local addresses (also SATCHEL_ALLOW_PRIVATE_NETWORK=1).
    #[arg(long)]
    pub allow_private_network: bool,
    /// Check as of this time (RFC 3339, e.g. 2026-01-31T12:00:00Z) instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Failure {
        Failure {
            code: if e.code().is_rejection() { 1 } else { 2 },
            message: sentence(e.message()),
        }
    }
}

/// A usage or I/O failure (exit code 2).
pub fn usage(message: impl std::fmt::Display) -> Failure {
    Failure {
        code: 2,
        message: sentence(&message.to_string()),
    }
}

/// An error of the app as a usage or I/O failure (exit code 2), whatever its code.
pub fn io_failure(e: AppError) -> Failure {
    usage(e.message())
}

/// A refused input or request (exit code 1).
pub fn rejected(message: impl std::fmt::Display) -> Failure {
    Failure {
        code: 1,
        message: sentence(&message.to_string()),
    }
}

/// Exit code 1 with nothing more to say (the output said it).
pub fn silent_failure() -> Failure {
    Failure {
        code: 1,
        message: String::new(),
    }
}

/// Opens the backpack in the data folder, with the command line's settings
/// (the desktop app's saved settings are its own).
pub fn open(data_dir: Option<PathBuf>) -> Result<App, Failure> {
    App::open(data_dir).map_err(|e| usage(e.message()))
}

/// Opens the backpack for a command that checks badges, as `net` asks.
pub fn open_with_net(data_dir: Option<PathBuf>, net: &NetArgs) -> Result<App, Failure> {
    let app = open(data_dir)?;
    let settings = Settings {
        offline: net.offline,
        allow_private: Settings::default().allow_private || net.allow_private_network,
        ..app.settings()
    };
    let app = app.with_settings(settings);
    Ok(match &net.now {
        Some(t) => app.with_clock(Clock::Fixed(
            crate::verify::parse_now(Some(t)).map_err(usage)?,
        )),
        None => app,
    })
}

/// Standard output, buffered.
pub fn out() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::new(std::io::stdout().lock())
}

/// Prints one JSON value on one line.
pub fn print_json(v: &impl serde::Serialize) {
    let v = serde_json::to_value(v).unwrap_or(Value::Null);
    let mut o = out();
    let _ = write!(o, "{}", json_text(format!("{v}\n")));
    let _ = o.flush();
}

/// A day as YYYY-MM-DD, or a dash.
pub fn date(t: Option<i64>) -> String {
    t.map(satchel::clock::date)
        .unwrap_or_else(|| "—".to_owned())
}

/// Parses a date argument: YYYY-MM-DD (midnight UTC) or RFC 3339.
pub fn parse_day(flag: &str, text: Option<&str>) -> Result<Option<i64>, Failure> {
    let Some(text) = text else { return Ok(None) };
    let rfc = time::format_description::well_known::Rfc3339;
    if let Ok(t) = time::OffsetDateTime::parse(text, &rfc) {
        return Ok(Some(t.unix_timestamp()));
    }
    let day = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &day)
        .map(|d| Some(d.midnight().assume_utc().unix_timestamp()))
        .map_err(|_| usage(format!("{flag} {text:?} is not a date such as 2026-01-31")))
}

/// Installs the Ctrl-C handler: the first press cancels after the badges
/// in hand; a second press stops at once (every stored badge is whole).
pub fn on_ctrl_c() {
    let _ = ctrlc::set_handler(|| {
        if CANCEL.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("\nsatchel: stopping after the badges in hand (press Ctrl-C again to stop now)…");
    });
}

/// A progress bar on standard error (hidden when asked).
pub fn progress_bar(hidden: bool, message: &'static str) -> indicatif::ProgressBar {
    let bar = if hidden {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr())
    };
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message);
    bar
}

/// Warns about documents that could not be kept for offline use.
pub fn warn_unkept(unkept: &[String]) {
    for e in unkept {
        eprintln!("satchel: warning: {}.", crate::output::clean(e));
    }
}

/// "1 badge", "2 badges".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Reads a badge number argument, or says in one sentence what it is not.
pub fn badge_number(text: &str) -> Result<i64, String> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{text:?} is not a badge number (`satchel list` shows them)"))
}

/// A stored status as people read it ("Could not check" for `unverifiable`).
pub fn status_label(id: &str) -> &str {
    satchel::verify::Verdict::parse(id).map_or(id, |v| v.label())
}

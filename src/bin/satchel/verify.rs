//! `satchel verify`: verify badges and print a report per input.

use crate::output::{clean, clean_lines};
use satchel::inspect::{self, Inspection};
use satchel::pool::{self, Indexed, Slots};
use satchel::verify::{CheckStatus, Options, Report, Verdict};
use std::io::Write;
use std::path::Path;

/// The options of `satchel verify`.
#[derive(clap::Args)]
pub struct VerifyArgs {
    /// Badge files (PNG, SVG, JSON, JWS), folders of them (searched recursively), URLs of hosted badges, or `-` for standard input.
    #[arg(required_unless_present = "list", value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Also verify every input named in this file (one file or URL per line).
    #[arg(long, value_name = "LISTFILE")]
    pub list: Option<std::path::PathBuf>,
    /// After the reports, print one more line: {"n", "ok", "loop_s", ...} (for benchmarks).
    #[arg(long, hide = true)]
    pub stats: bool,
    /// Print one JSON object per input and line instead of text.
    #[arg(long)]
    pub json: bool,
    /// An identity of yours (email, URL, phone number, DID) to match the recipient against; repeatable.
    #[arg(long = "recipient", value_name = "IDENTITY")]
    pub recipients: Vec<String>,
    /// Verify as of this time (RFC 3339, e.g. 2026-01-31T12:00:00Z) instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Use only documents kept from earlier fetches or pinned with `satchel cache`; no network.
    #[arg(long)]
    pub offline: bool,
    /// Allow fetching from loopback, private and link-local addresses (also SATCHEL_ALLOW_PRIVATE_NETWORK=1).
    #[arg(long)]
    pub allow_private_network: bool,
}

/// One input, read.
enum Loaded {
    Inspected(Box<Inspection>),
    /// Not a badge (`false`), or not readable at all (`true`): why.
    Failed(String, bool),
}

fn load(input: &str) -> Loaded {
    let result = if input == "-" {
        let mut buf = Vec::new();
        let cap = satchel::limits::MAX_PNG_BAKE_BYTES as u64;
        match std::io::Read::read_to_end(
            &mut std::io::Read::take(std::io::stdin(), cap + 1),
            &mut buf,
        ) {
            Ok(_) if buf.len() as u64 > cap => {
                return Loaded::Failed(
                    format!("the input is larger than Satchel's limit of {cap} bytes"),
                    false,
                )
            }
            Ok(_) => inspect::inspect(&buf),
            Err(e) => return Loaded::Failed(format!("could not read ({e})"), true),
        }
    } else if satchel::detect::is_http_url(input) {
        inspect::inspect_text(input)
    } else {
        inspect::inspect_path(Path::new(input))
    };
    match result {
        Ok(found) => Loaded::Inspected(Box::new(found)),
        Err(e) => Loaded::Failed(e.to_string(), !e.is_rejection()),
    }
}

/// Parses `--now`, or the clock.
pub fn parse_now(now: Option<&str>) -> Result<i64, String> {
    match now {
        None => Ok(satchel::clock::now()),
        Some(text) => {
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .map(|t| t.unix_timestamp())
                .map_err(|_| {
                    format!(
                        "--now {text:?} is not an RFC 3339 date-time such as 2026-01-31T12:00:00Z"
                    )
                })
        }
    }
}

/// The result line of one input.
pub struct Outcome {
    /// Did the input verify?
    verified: bool,
    /// Could the input not be read at all?
    unreadable: bool,
    /// The output for this input, rendered by the worker that verified it
    /// (`true` when it is the JSON line). The report itself is not kept, so
    /// a batch of 10,000 costs its output, not its reports.
    rendered: (bool, String),
    /// Already written to standard output by [`run`] (which streams results
    /// in input order as they complete).
    printed: bool,
}

/// Writes finished outcomes to standard output in input order, as soon as
/// every earlier one is done, so a batch never holds all its output.
struct Streamer {
    next: usize,
    out: std::io::BufWriter<std::io::Stdout>,
    failed: bool,
}

impl Streamer {
    fn drain(&mut self, results: &Slots<Outcome>) {
        while self.next < results.len() {
            let Some(text) = results.with(self.next, |outcome| {
                outcome.printed = true;
                std::mem::take(&mut outcome.rendered.1)
            }) else {
                break;
            };
            if !self.failed && self.out.write_all(text.as_bytes()).is_err() {
                self.failed = true;
            }
            self.next += 1;
        }
    }
}

/// One input and what became of it, before rendering.
struct Done {
    input: String,
    report: Option<Report>,
    error: Option<String>,
    /// The error is that the input could not be read (exit code 2).
    unreadable: bool,
}

/// The inputs named on the command line and in `--list`, folders replaced
/// by the files under them.
pub fn inputs(args: &VerifyArgs) -> Result<Vec<String>, String> {
    let mut all = args.inputs.clone();
    if let Some(list) = &args.list {
        let text = std::fs::read_to_string(list)
            .map_err(|e| format!("{}: could not read the list ({e})", list.display()))?;
        all.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned),
        );
    }
    Ok(crate::folders::expand(all)?.0)
}

/// Verifies every input, several at a time, and returns the outcomes in input order.
pub fn run(
    args: &VerifyArgs,
    inputs: &[String],
    fetch: &dyn satchel::fetch::Fetch,
    now: i64,
) -> Vec<Outcome> {
    let opts = Options {
        now,
        recipients: args.recipients.clone(),
        recipient_rule: satchel::verify::RecipientRule::MustMatch,
    };
    let results = Slots::new(inputs.len());
    let streamer = std::sync::Mutex::new(Streamer {
        next: 0,
        out: std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout()),
        failed: false,
    });
    // Offline, every input is computation plus a file read: two threads per
    // core, so one computes while the other waits for a file the page cache
    // no longer holds (a batch of files read for the first time took 1.3 s
    // with one per core, 1.0–1.1 s with two; the same when cached). Online,
    // threads mostly wait for servers, so more of them overlap the waits.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let workers = if args.offline { cores * 2 } else { cores * 4 };
    let never = std::sync::atomic::AtomicBool::new(false);
    pool::run(
        pool::workers(workers, inputs.len()),
        &never,
        &Indexed::new(inputs),
        &|i, input, _| {
            let done = match load(input) {
                Loaded::Inspected(found) => Done {
                    input: input.clone(),
                    report: Some(satchel::verify::verify(&found, fetch, &opts)),
                    error: None,
                    unreadable: false,
                },
                Loaded::Failed(e, unreadable) => Done {
                    input: input.clone(),
                    report: None,
                    error: Some(e),
                    unreadable,
                },
            };
            // Rendering is part of the work spread over the threads.
            let outcome = Outcome {
                unreadable: done.unreadable,
                verified: done
                    .report
                    .as_ref()
                    .is_some_and(|r| r.status == Verdict::Verified),
                rendered: (args.json, render(&done, args.json)),
                printed: false,
            };
            drop(done);
            results.put(i, outcome);
            // Whoever finds the streamer free writes what is ready.
            if let Ok(mut streamer) = streamer.try_lock() {
                streamer.drain(&results);
            }
        },
        || {},
    );
    if let Ok(mut streamer) = streamer.lock() {
        streamer.drain(&results);
        let _ = streamer.out.flush();
    }
    results.into_done()
}

/// Prints the outcomes (and, with `stats`, the benchmark line; `loop_s` is
/// the wall time of the whole run); returns the exit code: 0 when every
/// input verified, 2 when one could not be read, else 1.
pub fn print(outcomes: &[Outcome], json: bool, stats: Option<f64>) -> u8 {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut all_verified = true;
    let unreadable = outcomes.iter().any(|o| o.unreadable);
    let mut ok = 0usize;
    for o in outcomes {
        ok += usize::from(o.verified);
        all_verified &= o.verified;
        // Rendered by `run` as its arguments asked (the same `--json`), and
        // usually written by it already.
        debug_assert_eq!(o.rendered.0, json);
        if o.printed {
            continue;
        }
        if out.write_all(o.rendered.1.as_bytes()).is_err() {
            break;
        }
    }
    if let Some(loop_s) = stats {
        let n = outcomes.len().max(1) as f64;
        let line = serde_json::json!({
            "tool": "satchel verify",
            "n": outcomes.len(),
            "ok": ok,
            "startup_s": 0.0,
            "loop_s": loop_s,
            "per_badge_us_mean": (loop_s / n * 1e8).round() / 100.0,
            "per_badge_us_p50": null,
            "per_badge_us_p99": null,
            "badges_per_s": (n / loop_s.max(1e-9)).round(),
        });
        let _ = writeln!(out, "{line}");
    }
    let _ = out.flush();
    match (unreadable, all_verified) {
        (true, _) => 2,
        (false, true) => 0,
        (false, false) => 1,
    }
}

fn render(o: &Done, json: bool) -> String {
    if json {
        crate::output::json_text(json_line(o))
    } else {
        clean_lines(&text_block(o)).into_owned()
    }
}

/// One check in a JSON line (`detail` is always present, null when empty).
#[derive(serde::Serialize)]
struct JsonCheck<'a> {
    id: &'a str,
    status: CheckStatus,
    message: &'a str,
    detail: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct JsonBadge<'a> {
    name: Option<&'a str>,
    issuer: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct JsonRecipient<'a> {
    matched: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<Option<&'a str>>,
}

/// The JSON line of one input: `{"input","status","version","format",
/// "checked_at","checks","assertion_id","badge","recipient","issuer_identity"}`.
#[derive(serde::Serialize)]
struct JsonLine<'a> {
    input: &'a str,
    status: &'static str,
    version: Option<satchel::detect::Version>,
    format: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    checked_at: Option<String>,
    checks: Vec<JsonCheck<'a>>,
    assertion_id: Option<&'a str>,
    badge: JsonBadge<'a>,
    recipient: JsonRecipient<'a>,
    /// How the issuer is identified (`by`: web, key or other; `name`; `confirmed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    issuer_identity: Option<&'a satchel::verify::IssuerIdentity>,
}

fn json_line(o: &Done) -> String {
    let line = match (&o.report, &o.error) {
        (Some(r), _) => JsonLine {
            input: &o.input,
            status: r.status.as_str(),
            version: r.version,
            format: Some(r.format.as_str()),
            checked_at: Some(satchel::clock::rfc3339(r.checked_at)),
            checks: r
                .checks
                .iter()
                .map(|c| JsonCheck {
                    id: &c.id,
                    status: c.status,
                    message: &c.message,
                    detail: c.detail.as_deref(),
                })
                .collect(),
            assertion_id: r.assertion_id.as_deref(),
            badge: JsonBadge {
                name: r.badge_name.as_deref(),
                issuer: r.issuer.as_deref(),
            },
            recipient: JsonRecipient {
                matched: r.recipient_matched,
                detail: Some(r.recipient_detail.as_deref()),
            },
            issuer_identity: r.issuer_identity.as_ref(),
        },
        (None, e) => JsonLine {
            input: &o.input,
            status: if o.unreadable {
                "unreadable"
            } else {
                "not_a_badge"
            },
            version: None,
            format: None,
            checked_at: None,
            checks: vec![JsonCheck {
                id: satchel::verify::checks::INPUT,
                status: CheckStatus::Fail,
                message: e.as_deref().unwrap_or_default(),
                detail: None,
            }],
            assertion_id: None,
            badge: JsonBadge {
                name: None,
                issuer: None,
            },
            recipient: JsonRecipient {
                matched: None,
                detail: None,
            },
            issuer_identity: None,
        },
    };
    let mut text = serde_json::to_string(&line).unwrap_or_else(|e| {
        format!(
            "{{\"input\":{},\"status\":\"invalid\",\"checks\":[],\"error\":{}}}",
            serde_json::Value::from(o.input.as_str()),
            serde_json::Value::from(e.to_string())
        )
    });
    text.push('\n');
    text
}

fn text_block(o: &Done) -> String {
    let mut s = String::new();
    let Some(r) = &o.report else {
        s.push_str(&format!(
            "{}: {} — {}\n\n",
            clean(&o.input),
            if o.unreadable {
                "COULD NOT READ"
            } else {
                "NOT A BADGE"
            },
            clean(o.error.as_deref().unwrap_or_default())
        ));
        return s;
    };
    let what = match (&r.badge_name, &r.issuer) {
        (Some(n), Some(i)) => format!(" — {}, issued by {}", clean(n), clean(i)),
        (Some(n), None) => format!(" — {}", clean(n)),
        (None, Some(i)) => format!(" — issued by {}", clean(i)),
        (None, None) => String::new(),
    };
    s.push_str(&format!(
        "{}: {}{what}\n",
        clean(&o.input),
        r.status.label().to_uppercase()
    ));
    if let Some(identity) = &r.issuer_identity {
        s.push_str(&format!("  {}\n", identity.sentence()));
    }
    for c in &r.checks {
        let mark = crate::output::mark(c.status);
        s.push_str(&format!("  {mark} {}\n", clean(&c.message)));
    }
    s.push_str(&format!(
        "  Checked {}.\n\n",
        satchel::clock::rfc3339(r.checked_at)
    ));
    s
}

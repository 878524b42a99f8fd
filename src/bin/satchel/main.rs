//! The `satchel` command-line tool: argv in, one call into the core, text or
//! JSON out, and an exit code (0 success, 1 not a badge / rejected input,
//! 2 usage or I/O error). All behaviour lives in the `satchel` library.

/// `println!` through [`output::clean_lines`]: text the CLI prints never
/// carries terminal control characters from a badge.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::say(&format!($($arg)*))
    };
}

mod badges;
mod cache;
mod collections;
mod common;
mod delivery;
mod files;
mod folders;
mod identities;
mod import;
mod issuer;
mod output;
mod reverify;
mod verify;

use clap::{Parser, Subcommand};
use satchel::inspect::{self, InspectError, Inspection};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Satchel: a local-first backpack for Open Badges.
#[derive(Parser)]
#[command(name = "satchel", version = satchel::LONG_VERSION, about, long_about = None, propagate_version = true)]
struct Cli {
    /// Where Satchel keeps its data (default: the platform data directory; also SATCHEL_DATA_DIR).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the badge payload baked into a PNG or SVG image, exactly as embedded.
    ///
    /// With several images, a folder or `--list`, prints one line per image:
    /// `FILE: payload` (or why not), or with `--json` one JSON object per
    /// image and line, `{"file", "payload"}` or `{"file", "error"}`.
    Unbake {
        /// The baked image(s), or folders of them (searched recursively; `-` reads standard input).
        #[arg(required_unless_present = "list")]
        files: Vec<PathBuf>,
        /// Also unbake every image named in this file (one path per line).
        #[arg(long, value_name = "LISTFILE")]
        list: Option<PathBuf>,
        /// After a batch, print one more line: {"n", "ok", "loop_s"} (for benchmarks).
        #[arg(long, hide = true)]
        stats: bool,
        /// With several images, print one JSON object per image and line.
        #[arg(long)]
        json: bool,
    },
    /// Bake a badge payload (assertion JSON, credential JSON, JWS or URL) into a PNG or SVG image.
    ///
    /// The payload decides where it goes: Open Badges 0.5–2.0 in the `openbadges`
    /// chunk or `assertion` element, 3.0 credentials in `openbadgecredential` /
    /// `credential`, CLR 2.0 in `clrcredential`. An existing badge is replaced.
    Bake {
        /// The PNG or SVG image to bake into.
        image: PathBuf,
        /// The payload text, or `@FILE` to read it from a file (`@-` for standard input).
        #[arg(long, value_name = "TEXT|@FILE")]
        payload: String,
        /// Where to write the baked image.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Verify badges: signature or hosted copy, revocation, expiry and recipient, explained check by check.
    ///
    /// Exit code 0 when every input is verified, 1 when any is not.
    Verify(verify::VerifyArgs),
    /// Keep documents for offline verification: pin files for URLs, list or forget kept documents.
    #[command(subcommand)]
    Cache(cache::CacheCommand),
    /// Add badges to the backpack: files, folders, zip archives, URLs or pasted JSON/JWS.
    ///
    /// Each item is verified and stored, even when it does not verify (its
    /// status says why); duplicates are not stored twice. Ctrl-C stops after
    /// the badges in hand. Exit 1 when any item was not a badge or failed.
    Import(import::ImportArgs),
    /// List the badges in the backpack, with search, filters and sorting.
    List(badges::ListArgs),
    /// Show one badge: details, the last verification check by check, history, tags and note.
    Show {
        /// The badge number (see `satchel list`).
        #[arg(value_parser = common::badge_number)]
        id: i64,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Delete badges from the backpack (and from their collections).
    Delete {
        /// Badge numbers.
        #[arg(required = true, value_parser = common::badge_number)]
        ids: Vec<i64>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add tags to a badge.
    Tag {
        /// The badge number.
        #[arg(value_parser = common::badge_number)]
        id: i64,
        /// The tags.
        #[arg(required = true)]
        tags: Vec<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove tags from a badge.
    Untag {
        /// The badge number.
        #[arg(value_parser = common::badge_number)]
        id: i64,
        /// The tags.
        #[arg(required = true)]
        tags: Vec<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Set a badge's note (an empty text clears it).
    Note {
        /// The badge number.
        #[arg(value_parser = common::badge_number)]
        id: i64,
        /// The note.
        text: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Organize badges into collections: create, rename, describe, delete, add, remove, move, list, show.
    #[command(subcommand)]
    Collection(collections::CollectionCommand),
    /// Your identities (emails, web addresses, phone numbers, DIDs) that badges are matched against.
    #[command(subcommand)]
    Identity(identities::IdentityCommand),
    /// Verify stored badges again, keep the history, and say what changed since the last check.
    Reverify(reverify::ReverifyArgs),
    /// Write the whole backpack (badges, history, collections, kept documents) to one file.
    ///
    /// Issuer signing keys are files, never in the backup, unless --include-keys:
    /// then they are written beside it as FILE.keys.age, sealed with a passphrase
    /// (SATCHEL_KEY_PASSPHRASE or a prompt), and `restore --include-keys` brings them back.
    Backup {
        /// The backup file to write (must not exist).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Also write the issuer keys, sealed with a passphrase, to FILE.keys.age.
        #[arg(long)]
        include_keys: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Restore a backup into an empty data directory.
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Also restore the issuer keys from FILE.keys.age (written by `backup --include-keys`).
        #[arg(long)]
        include_keys: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export a collection as static share pages that verify themselves (any web host, or from disk).
    ///
    /// Nothing private by default: the recipient's email never appears; the
    /// recipient's name and the evidence only when asked for.
    Export(files::ExportArgs),
    /// Write every badge's original file and JSON, with a manifest, to an open folder.
    ExportAll {
        /// The folder to write (must not exist or be empty).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Issuer mode: your issuer profiles (create, list, show, edit, rotate-key, export-keys, import-keys).
    #[command(subcommand)]
    Issuer(issuer::IssuerCommand),
    /// Issuer mode: badge classes (create, list, show, edit).
    #[command(subcommand)]
    Badgeclass(issuer::ClassCommand),
    /// Issuer mode: award a badge class to a recipient; writes the signed, baked badge.
    Award(issuer::AwardArgs),
    /// Issuer mode: list awards.
    Awards(issuer::AwardsArgs),
    /// Issuer mode: revoke an award for good (the next publish carries it).
    #[command(after_help = "Example:\n  satchel revoke 12 --reason \"Awarded by mistake\"")]
    Revoke {
        /// The award's number (see `satchel awards`).
        award: i64,
        /// Why (published).
        #[arg(long)]
        reason: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Issuer mode: suspend an OB 3.0 award (reversible).
    Suspend {
        /// The award's number.
        award: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Issuer mode: lift an award's suspension.
    Unsuspend {
        /// The award's number.
        award: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Issuer mode: write the issuer's publish folder (upload it to the base URL).
    ///
    /// Every award is checked against the new folder first. Publishing again
    /// with nothing changed writes the same bytes; the command lists what changed.
    #[command(after_help = "Example:\n  satchel publish 1 --out site/")]
    Publish {
        /// The issuer's number.
        issuer: i64,
        /// The folder to write (missing, empty or an earlier publish).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show what an input is: container, Open Badges version, payload kind and the badge itself.
    Inspect {
        /// A baked PNG or SVG, a JSON or JWS file, or a file holding a URL (`-` reads standard input).
        file: PathBuf,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// A failure, already worded for people, with its exit code.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn rejected(file: &Path, msg: impl std::fmt::Display) -> Failure {
        Failure {
            code: 1,
            message: sentence(&format!("{}: {msg}", display(file))),
        }
    }
    fn io(file: &Path, msg: impl std::fmt::Display) -> Failure {
        Failure {
            code: 2,
            message: sentence(&format!("{}: {msg}", display(file))),
        }
    }
    fn from_inspect(file: &Path, e: InspectError) -> Failure {
        if e.is_rejection() {
            Failure::rejected(file, e)
        } else {
            Failure::io(file, e)
        }
    }
}

/// Ends a message with exactly one full stop.
fn sentence(s: &str) -> String {
    let t = s.trim_end();
    if t.ends_with(['.', '!', '?']) {
        t.to_owned()
    } else {
        format!("{t}.")
    }
}

fn display(path: &Path) -> String {
    if path == Path::new("-") {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let result = match cli.command {
        Command::Unbake {
            files,
            list,
            stats,
            json,
        } => unbake(files, list.as_deref(), stats, json),
        Command::Bake {
            image,
            payload,
            out,
        } => bake(&image, &payload, &out),
        Command::Inspect { file, json } => inspect_cmd(&file, json),
        Command::Verify(args) => verify_cmd(&args, cli.data_dir),
        Command::Cache(cmd) => cache::run(cmd, cli.data_dir).map_err(|message| Failure {
            code: 2,
            message: sentence(&message),
        }),
        Command::Import(args) => import::run(args, cli.data_dir),
        Command::List(args) => badges::list(args, cli.data_dir),
        Command::Show { id, json } => badges::show(id, json, cli.data_dir),
        Command::Delete { ids, json } => badges::delete(&ids, json, cli.data_dir),
        Command::Tag { id, tags, json } => badges::tag(id, &tags, false, json, cli.data_dir),
        Command::Untag { id, tags, json } => badges::tag(id, &tags, true, json, cli.data_dir),
        Command::Note { id, text, json } => badges::note(id, &text, json, cli.data_dir),
        Command::Collection(cmd) => collections::run(cmd, cli.data_dir),
        Command::Identity(cmd) => identities::run(cmd, cli.data_dir),
        Command::Reverify(args) => reverify::run(args, cli.data_dir),
        Command::Backup {
            out,
            include_keys,
            json,
        } => files::backup(&out, include_keys, json, cli.data_dir),
        Command::Restore {
            file,
            include_keys,
            json,
        } => files::restore(&file, include_keys, json, cli.data_dir),
        Command::Export(args) => files::export(args, cli.data_dir),
        Command::ExportAll { out, json } => files::export_all(&out, json, cli.data_dir),
        Command::Issuer(cmd) => issuer::issuer(cmd, cli.data_dir),
        Command::Badgeclass(cmd) => issuer::class(cmd, cli.data_dir),
        Command::Award(args) => issuer::award(args, cli.data_dir),
        Command::Awards(args) => issuer::awards(args, cli.data_dir),
        Command::Revoke {
            award,
            reason,
            json,
        } => issuer::revoke(award, &reason, json, cli.data_dir),
        Command::Suspend { award, json } => issuer::suspend(award, true, json, cli.data_dir),
        Command::Unsuspend { award, json } => issuer::suspend(award, false, json, cli.data_dir),
        Command::Publish { issuer, out, json } => issuer::publish(issuer, &out, json, cli.data_dir),
    };
    if output::SAID_PRIVATE.load(std::sync::atomic::Ordering::Relaxed) {
        eprintln!("satchel: to let Satchel fetch from private or local network addresses, pass --allow-private-network (or set SATCHEL_ALLOW_PRIVATE_NETWORK=1).");
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if !f.message.is_empty() {
                eprintln!("satchel: {}", output::clean(&f.message));
            }
            ExitCode::from(f.code)
        }
    }
}

/// A command line clap refuses: a value our own parser refused is one
/// sentence (`satchel: "abc" is not a badge number …`); anything else is
/// clap's usage message.
fn usage_error(e: clap::Error) -> ExitCode {
    use std::error::Error;
    if e.kind() == clap::error::ErrorKind::ValueValidation {
        if let Some(why) = e.source() {
            eprintln!("satchel: {}", sentence(&why.to_string()));
            return ExitCode::from(2);
        }
    }
    e.exit()
}

fn read_stdin(cap: usize) -> Result<Vec<u8>, Failure> {
    let mut buf = Vec::new();
    std::io::stdin()
        .take(cap as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Failure::io(Path::new("-"), format!("could not read ({e})")))?;
    if buf.len() > cap {
        return Err(Failure::rejected(
            Path::new("-"),
            format!("the input is larger than Satchel's limit of {cap} bytes"),
        ));
    }
    Ok(buf)
}

fn inspect_input(file: &Path) -> Result<Inspection, Failure> {
    let result = if file == Path::new("-") {
        inspect::inspect(&read_stdin(satchel::limits::MAX_PNG_BAKE_BYTES)?)
    } else {
        inspect::inspect_path(file)
    };
    result.map_err(|e| Failure::from_inspect(file, e))
}

fn unbake_one(file: &Path) -> Result<String, Failure> {
    let found = if file == Path::new("-") {
        inspect::unbake_bytes(&read_stdin(satchel::limits::MAX_PNG_BAKE_BYTES)?).and_then(|f| {
            f.ok_or(InspectError::NotBaked(
                satchel::bake::ImageFormat::Png,
                "openbadges, openbadgecredential or clrcredential text chunk",
            ))
        })
    } else {
        inspect::unbake_path(file)
    };
    found
        .map(|u| u.payload)
        .map_err(|e| Failure::from_inspect(file, e))
}

/// One line of batch unbake output.
#[derive(serde::Serialize)]
struct BatchLine<'a> {
    file: &'a Path,
    #[serde(skip_serializing_if = "Option::is_none")]
    payload: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

/// The files `satchel unbake` reads: those named, those listed one a line in
/// `list`, folders expanded; and whether a folder was named.
fn unbake_inputs(
    mut files: Vec<PathBuf>,
    list: Option<&Path>,
) -> Result<(Vec<PathBuf>, bool), Failure> {
    if let Some(list) = list {
        let text = std::fs::read_to_string(list)
            .map_err(|e| Failure::io(list, format!("could not read the list ({e})")))?;
        files.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(PathBuf::from),
        );
    }
    let (expanded, had_folder) =
        folders::expand(files.iter().map(|f| f.display().to_string()).collect()).map_err(|m| {
            Failure {
                code: 2,
                message: sentence(&m),
            }
        })?;
    Ok((
        expanded.into_iter().map(PathBuf::from).collect(),
        had_folder,
    ))
}

/// `satchel unbake --stats`' summary of `n` files (`ok` unbaked) in `loop_s`
/// seconds, `each` taking the seconds given: the line format of the peer
/// benchmark harness (bench/common.py).
fn unbake_stats(n_files: usize, ok: usize, loop_s: f64, mut each: Vec<f64>) -> serde_json::Value {
    each.sort_by(f64::total_cmp);
    let n = each.len().max(1);
    let us = |s: f64| (s * 1e8).round() / 100.0;
    serde_json::json!({
        "tool": "satchel unbake",
        "n": n_files,
        "ok": ok,
        "startup_s": 0.0,
        "loop_s": loop_s,
        "per_badge_us_mean": us(loop_s / n as f64),
        "per_badge_us_p50": us(each.get(n / 2).copied().unwrap_or(0.0)),
        "per_badge_us_p99": us(each.get((n * 99 / 100).min(n - 1)).copied().unwrap_or(0.0)),
        "badges_per_s": (n_files as f64 / loop_s.max(1e-9)).round(),
    })
}

fn unbake(
    files: Vec<PathBuf>,
    list: Option<&Path>,
    stats: bool,
    json: bool,
) -> Result<(), Failure> {
    let (files, had_folder) = unbake_inputs(files, list)?;
    if files.len() == 1 && list.is_none() && !stats && !had_folder {
        // The payload exactly as embedded, unless it goes to a terminal.
        let payload = unbake_one(&files[0])?;
        if std::io::stdout().is_terminal() {
            return write_text(&payload);
        }
        return write_stdout(payload.as_bytes());
    }
    let started = std::time::Instant::now();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut ok, mut worst) = (0usize, 0u8);
    let mut each = Vec::with_capacity(if stats { files.len() } else { 0 });
    for file in &files {
        let t = std::time::Instant::now();
        let one = unbake_one(file);
        if stats {
            each.push(t.elapsed().as_secs_f64());
        }
        let line = match &one {
            Ok(payload) => {
                ok += 1;
                BatchLine {
                    file,
                    payload: Some(payload),
                    error: None,
                }
            }
            Err(f) => {
                worst = worst.max(f.code);
                BatchLine {
                    file,
                    payload: None,
                    error: Some(&f.message),
                }
            }
        };
        let written = if json || stats {
            serde_json::to_writer(&mut out, &line)
                .map_err(std::io::Error::other)
                .and_then(|()| out.write_all(b"\n"))
        } else {
            let text = match (line.payload, line.error) {
                (Some(payload), _) => format!("{}: {}\n", display(file), output::clean(payload)),
                (None, error) => format!(
                    "{}: could not be unbaked: {}\n",
                    display(file),
                    output::clean(error.unwrap_or_default())
                ),
            };
            out.write_all(output::clean_lines(&text).as_bytes())
        };
        if written.is_err() {
            break;
        }
    }
    if stats {
        let summary = unbake_stats(files.len(), ok, started.elapsed().as_secs_f64(), each);
        let _ = writeln!(out, "{summary}");
    }
    let _ = out.flush();
    match worst {
        0 => Ok(()),
        code => Err(Failure {
            code,
            message: format!(
                "{} of {} images could not be unbaked.",
                files.len() - ok,
                files.len()
            ),
        }),
    }
}

/// Writes text for people, through [`output::clean_lines`].
fn write_text(text: &str) -> Result<(), Failure> {
    write_stdout(output::clean_lines(text).as_bytes())
}

fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`satchel unbake x | head -c 10`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure {
            code: 2,
            message: sentence(&format!("could not write to standard output ({e})")),
        }),
    }
}

fn inspect_cmd(file: &Path, json: bool) -> Result<(), Failure> {
    let found = inspect_input(file)?;
    if json {
        write_stdout(output::inspection_json(file, &found).as_bytes())
    } else {
        write_text(&output::inspection_text(file, &found))
    }
}

fn verify_cmd(args: &verify::VerifyArgs, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let net = common::NetArgs {
        offline: args.offline,
        allow_private_network: args.allow_private_network,
        now: args.now.clone(),
    };
    let app = common::open_with_net(data_dir, &net)?;
    let inputs = verify::inputs(args).map_err(common::usage)?;
    let started = std::time::Instant::now();
    let (outcomes, unkept) =
        app.with_fetch(false, |fetch| verify::run(args, &inputs, fetch, app.now()));
    let elapsed = started.elapsed().as_secs_f64();
    for e in unkept {
        eprintln!(
            "satchel: warning: could not keep a fetched document for offline use ({}).",
            output::clean(&e)
        );
    }
    match verify::print(&outcomes, args.json, args.stats.then_some(elapsed)) {
        0 => Ok(()),
        code => Err(Failure {
            code,
            message: String::new(),
        }),
    }
}

fn read_payload_arg(arg: &str) -> Result<String, Failure> {
    let Some(path) = arg.strip_prefix('@') else {
        return Ok(arg.to_owned());
    };
    let path = Path::new(path);
    let cap = satchel::limits::MAX_PAYLOAD_BYTES;
    let bytes = if path == Path::new("-") {
        read_stdin(cap)?
    } else {
        let meta = std::fs::metadata(path)
            .map_err(|e| Failure::io(path, format!("could not read the payload ({e})")))?;
        if meta.len() > cap as u64 {
            return Err(Failure::rejected(
                path,
                format!(
                    "the payload is {} bytes, over Satchel's limit of {cap} bytes",
                    meta.len()
                ),
            ));
        }
        std::fs::read(path)
            .map_err(|e| Failure::io(path, format!("could not read the payload ({e})")))?
    };
    String::from_utf8(bytes).map_err(|e| {
        Failure::rejected(
            path,
            format!(
                "the payload is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

fn bake(image: &Path, payload_arg: &str, out: &Path) -> Result<(), Failure> {
    let payload = read_payload_arg(payload_arg)?;
    let payload_name = payload_arg
        .strip_prefix('@')
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("the payload"));
    let checked =
        inspect::inspect_text(&payload).map_err(|e| Failure::rejected(&payload_name, e))?;
    let slot = checked
        .version
        .map(|v| v.slot())
        .unwrap_or(satchel::bake::Slot::OpenBadges);
    let cap = satchel::limits::MAX_PNG_BAKE_BYTES;
    let meta = std::fs::metadata(image)
        .map_err(|e| Failure::io(image, format!("could not read the image ({e})")))?;
    if meta.is_dir() {
        return Err(Failure::io(
            image,
            "this is a folder; name the PNG or SVG image to bake into",
        ));
    }
    if out.is_dir() {
        return Err(Failure::io(
            out,
            "this is a folder; name the image file to write",
        ));
    }
    if meta.len() > cap as u64 {
        return Err(Failure::rejected(
            image,
            format!(
                "the image is {} bytes, over Satchel's limit of {cap} bytes for baking",
                meta.len()
            ),
        ));
    }
    let bytes = std::fs::read(image)
        .map_err(|e| Failure::io(image, format!("could not read the image ({e})")))?;
    let baked =
        satchel::bake::bake(&bytes, &payload, slot).map_err(|e| Failure::rejected(image, e))?;
    satchel::atomic::write_file(out, &baked)
        .map_err(|e| Failure::io(out, format!("could not write the baked image ({e})")))
}

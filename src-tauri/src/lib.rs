//! Satchel's desktop app: a thin Tauri 2 shell over the `satchel` core.
//!
//! The window is plain HTML/CSS/ES modules from `../ui`; `ui/api.js` is the
//! only file that calls into Rust, through the commands in [`commands`] and
//! [`jobs`]. The shell holds no badge logic: every command is a call into the
//! core plus error mapping. Badge images reach the window only through the
//! `satchel:` scheme ([`images`]) and are shown with `<img>`.
//!
//! The data folder is `--data-dir DIR`, else `SATCHEL_DATA_DIR`, else the
//! platform's data folder.
#![forbid(unsafe_code)]

pub mod args;
pub mod commands;
mod error;
pub mod images;
// issuer: awards
pub mod issuer_awards;
// issuer: set-up
pub mod issuer_setup;
pub mod jobs;
pub mod opened;
pub mod state;

pub use error::CommandError;

use state::{AppState, Startup};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tauri::Manager;

/// The commands that answer while the backpack is not open: the error
/// screen's own. Every other command refuses with `unavailable`.
const WITHOUT_BACKPACK: &[&str] = &[
    "startup_status",
    "retry_startup",
    "open_data_folder",
    "quit",
    "launch_ready",
];

/// Builds and runs the app; returns when the last window closes.
pub fn run() {
    run_from(Instant::now())
}

/// [`run`], with the instant the process started (for launch timing: call it
/// first thing in `main`).
///
/// When the backpack cannot be opened (a `satchel.sqlite3` that is not a
/// database, or one from a newer Satchel, an unusable data folder), the
/// window still opens, on an error screen that names the file and says what
/// to do.
pub fn run_from(launched: Instant) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| std::env::var(name).as_deref() == Ok("1");
    let opened = state::open_from_args(&args);
    let startup = Startup {
        args,
        failure: Mutex::new(opened.as_ref().err().cloned()),
        launched,
        timing: flag("SATCHEL_LAUNCH_TIMING"),
        timing_exit: flag("SATCHEL_LAUNCH_TIMING_EXIT"),
        timed: AtomicBool::new(false),
    };
    if let Err(failure) = &opened {
        eprintln!("satchel-desktop: {}", failure.message);
    }
    explain_display_failures();
    let handler = handler();
    let context = tauri::generate_context!();
    // First: a second launch on this data folder hands its files over and exits here.
    let data_dir = state::data_dir_from_args(&startup.args).ok();
    let single = opened::single_instance(&context.config().identifier, data_dir.as_deref());
    let items = args::read(&startup.args)
        .map(|l| l.items)
        .unwrap_or_default();
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut builder = tauri::Builder::default()
        .plugin(single)
        .manage(opened::Opened::new(opened::Items::from_args(&items, &cwd)))
        .plugin(navigation_guard(&startup))
        .plugin(tauri_plugin_dialog::init())
        .manage(startup)
        // issuer: set-up
        .manage(issuer_setup::SmtpPassword::default());
    if let Ok(state) = opened {
        builder = builder.manage(Arc::new(state));
    }
    builder
        .register_asynchronous_uri_scheme_protocol("satchel", |ctx, request, responder| {
            let state = ctx.app_handle().try_state::<Arc<AppState>>();
            let Some(state) = state.map(|s| s.inner().clone()) else {
                responder.respond(images::not_found());
                return;
            };
            tauri::async_runtime::spawn_blocking(move || {
                responder.respond(images::respond(&state, &request));
            });
        })
        .invoke_handler(move |invoke| {
            let open = invoke
                .message
                .webview_ref()
                .state::<Startup>()
                .failure()
                .is_none();
            if open || WITHOUT_BACKPACK.contains(&invoke.message.command()) {
                return handler(invoke);
            }
            invoke.resolver.reject(CommandError::new(
                satchel::app::ErrorCode::Unavailable,
                "Satchel could not open your backpack, so this cannot be done now",
            ));
            true
        })
        .run(context)
        .unwrap_or_else(|e| {
            eprintln!("satchel-desktop: the window could not be opened ({e}).");
            std::process::exit(1);
        });
}

/// A display that is set but cannot be used (a closed X server, a stale
/// `DISPLAY`) makes the windowing library panic while starting: say so in
/// one sentence instead of a backtrace. Every other panic is reported as usual.
fn explain_display_failures() {
    let usual = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let text = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if text.contains("Failed to initialize gtk") {
            let display = std::env::var("DISPLAY").unwrap_or_default();
            eprintln!(
                "satchel-desktop: the display {display:?} cannot be used (is its X server running?); start Satchel from a desktop session, or use the `satchel` command-line tool."
            );
            std::process::exit(1);
        }
        usual(info);
    }));
}

/// Every command the window may call.
fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        commands::startup_status,
        commands::retry_startup,
        commands::quit,
        commands::launch_ready,
        commands::app_info,
        commands::set_network,
        commands::stale_badges,
        commands::list_badges,
        commands::badge_detail,
        commands::delete_badge,
        commands::keep_duplicate,
        commands::add_tags,
        commands::remove_tags,
        commands::all_tags,
        commands::set_note,
        commands::collections,
        commands::create_collection,
        commands::rename_collection,
        commands::describe_collection,
        commands::delete_collection,
        commands::add_to_collection,
        commands::remove_from_collection,
        commands::move_in_collection,
        commands::identities,
        commands::add_identity,
        commands::remove_identity,
        commands::pick_import_files,
        commands::pick_import_folder,
        commands::backup,
        commands::restore,
        commands::open_link,
        commands::open_data_folder,
        jobs::import,
        jobs::reverify,
        jobs::cancel_job,
        jobs::export_collection,
        commands::share_plan,
        // issuer: awards
        issuer_awards::award_badge,
        issuer_awards::pick_award_csv,
        issuer_awards::award_csv,
        issuer_awards::awards_page,
        issuer_awards::award_detail,
        issuer_awards::revoke_award,
        issuer_awards::suspend_award,
        issuer_awards::open_award_folder,
        issuer_awards::send_award_emails,
        issuer_awards::publish_state,
        issuer_awards::choose_publish_folder,
        issuer_awards::publish_preview,
        issuer_awards::publish_issuer,
        issuer_awards::open_publish_folder,
        // issuer: set-up
        issuer_setup::issuers,
        issuer_setup::create_issuer,
        issuer_setup::edit_issuer,
        issuer_setup::pick_badge_image,
        issuer_setup::check_image,
        issuer_setup::classes,
        issuer_setup::class,
        issuer_setup::create_class,
        issuer_setup::edit_class,
        issuer_setup::criteria_preview,
        issuer_setup::designer_choices,
        issuer_setup::render_design,
        issuer_setup::rotate_keys,
        issuer_setup::pick_key_file,
        issuer_setup::pick_ca_file,
        issuer_setup::export_keys,
        issuer_setup::import_keys,
        issuer_setup::key_warnings,
        issuer_setup::default_format,
        issuer_setup::set_default_format,
        issuer_setup::smtp_settings,
        issuer_setup::save_smtp_settings,
        opened::take_opened,
    ]
}

/// Keeps the webview on the app's own pages: a click on a link inside a badge
/// never replaces the app (links are opened with [`commands::open_link`]).
/// Also hands the page the startup failure (`window.__SATCHEL_STARTUP__`,
/// `null` when the backpack opened), which saves the window a round trip
/// before it can draw; `startup_status` answers the same.
fn navigation_guard<R: tauri::Runtime>(startup: &Startup) -> tauri::plugin::TauriPlugin<R> {
    let failure = serde_json::to_string(&startup.failure()).unwrap_or_else(|_| "null".into());
    tauri::plugin::Builder::new("satchel-navigation")
        .js_init_script(format!(
            "Object.defineProperty(window, '__SATCHEL_STARTUP__', {{ value: Object.freeze({failure}) }});"
        ))
        .on_navigation(|_webview, url| is_app_url(url))
        .build()
}

fn is_app_url(url: &tauri::Url) -> bool {
    url.scheme() == "tauri" || url.host_str() == Some("tauri.localhost")
}

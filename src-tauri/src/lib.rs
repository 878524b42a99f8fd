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

pub mod commands;
mod error;
pub mod images;
pub mod jobs;
pub mod state;

pub use error::CommandError;

use state::AppState;
use std::sync::Arc;

/// Builds and runs the app; returns when the last window closes.
pub fn run() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let state = match state::data_dir_from_args(&args).and_then(AppState::open) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("satchel-desktop: {e}");
            std::process::exit(2);
        }
    };
    let for_images = state.clone();
    tauri::Builder::default()
        .plugin(navigation_guard())
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .register_asynchronous_uri_scheme_protocol("satchel", move |_ctx, request, responder| {
            let state = for_images.clone();
            tauri::async_runtime::spawn_blocking(move || {
                responder.respond(images::respond(&state, &request));
            });
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::set_network,
            commands::list_badges,
            commands::badge_detail,
            commands::delete_badge,
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
            commands::reorder_collection,
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
        ])
        .run(tauri::generate_context!())
        .expect("error while running the Satchel window");
}

/// Keeps the webview on the app's own pages: a click on a link inside a badge
/// never replaces the app (links are opened with [`commands::open_link`]).
fn navigation_guard<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("satchel-navigation")
        .on_navigation(|_webview, url| is_app_url(url))
        .build()
}

fn is_app_url(url: &tauri::Url) -> bool {
    url.scheme() == "tauri" || url.host_str() == Some("tauri.localhost")
}

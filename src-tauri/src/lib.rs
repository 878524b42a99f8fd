//! Satchel's desktop window: a thin Tauri 2 shell over the `satchel` core.
//!
//! The window is plain HTML/CSS/ES modules from `../ui`; `ui/api.js` is the
//! only file that calls into Rust, through the commands in [`commands`]. The
//! shell holds no badge logic: every command is a call into the core plus
//! error mapping.
#![forbid(unsafe_code)]

pub mod commands;
mod error;
mod preview;

pub use error::CommandError;

/// Builds and runs the app; returns when the last window closes.
pub fn run() {
    tauri::Builder::default()
        .plugin(navigation_guard())
        .invoke_handler(tauri::generate_handler![
            commands::inspect_bytes,
            commands::inspect_text,
            commands::inspect_file,
            commands::open_link,
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

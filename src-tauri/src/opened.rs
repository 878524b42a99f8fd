//! Files and URLs the app was opened with (`satchel-desktop FILE…`, what a
//! file manager's "Open with" runs), and one running window per data folder.
//!
//! The items wait in [`Opened`] until the window takes them
//! ([`take_opened`]) and imports them the way it imports a drop, with the
//! same per-item report. A second launch on the same data folder does not
//! open a second window: `tauri-plugin-single-instance` hands its command
//! line to the running app ([`single_instance`]), which queues the items,
//! tells the window (`opened-items`) and comes to the front. The instance is
//! named after the data folder, so two data folders are two instances (and
//! tests, each on a fresh folder, never meet). On Linux the hand-over goes
//! through the session D-Bus; without one, every launch opens its own window.

use crate::args;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

/// What the window is asked to import: the shape of the `import` command's
/// request (files and folders as absolute paths, links as lines of text).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Items {
    /// Files, folders and archives.
    pub paths: Vec<String>,
    /// Badge links, one a line (`None` when there are none).
    pub text: Option<String>,
}

impl Items {
    /// Sorts command-line items into paths and links: http(s) URLs are
    /// links, `file:` URLs and everything else paths (relative ones from
    /// `cwd`, the launching program's folder).
    pub fn from_args(items: &[String], cwd: &Path) -> Items {
        let mut paths = Vec::new();
        let mut links = Vec::new();
        for item in items {
            let lower = item.get(..8).unwrap_or(item).to_ascii_lowercase();
            if lower.starts_with("http://") || lower.starts_with("https://") {
                links.push(item.clone());
                continue;
            }
            let path = if lower.starts_with("file:") {
                match tauri::Url::parse(item)
                    .ok()
                    .and_then(|u| u.to_file_path().ok())
                {
                    Some(path) => path,
                    // Not a local file: the import names it as unreadable.
                    None => PathBuf::from(item),
                }
            } else {
                cwd.join(item)
            };
            paths.push(path.to_string_lossy().into_owned());
        }
        Items {
            paths,
            text: (!links.is_empty()).then(|| links.join("\n")),
        }
    }

    fn is_empty(&self) -> bool {
        self.paths.is_empty() && self.text.is_none()
    }

    fn append(&mut self, more: Items) {
        self.paths.extend(more.paths);
        self.text = match (self.text.take(), more.text) {
            (Some(a), Some(b)) => Some(format!("{a}\n{b}")),
            (a, b) => a.or(b),
        };
    }
}

/// The items not yet taken by the window.
#[derive(Default)]
pub struct Opened(Mutex<Items>);

impl Opened {
    /// Starts with the items of this launch's command line.
    pub fn new(items: Items) -> Opened {
        Opened(Mutex::new(items))
    }

    fn push(&self, items: Items) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .append(items);
    }

    fn take(&self) -> Option<Items> {
        let items = std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner));
        (!items.is_empty()).then_some(items)
    }
}

/// The files and links the app was opened with since the window last asked
/// (`null` when none).
#[tauri::command]
pub fn take_opened(opened: State<'_, Opened>) -> Option<Items> {
    opened.take()
}

/// The D-Bus name (on Linux; the instance's name elsewhere) of the app on
/// `data_dir`: the app's identifier and a hash of the folder's path.
pub fn instance_id(identifier: &str, data_dir: Option<&Path>) -> String {
    let Some(dir) = data_dir else {
        return identifier.to_owned();
    };
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
    // FNV-1a: a name, not a secret; stable across builds, unlike std's hasher.
    let hash = dir
        .as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        });
    // A D-Bus name element must not start with a digit.
    format!("{identifier}.d{hash:016x}")
}

/// The single-instance plugin for the app on `data_dir`: a second launch
/// hands over its items, and the window comes to the front.
pub fn single_instance<R: Runtime>(
    identifier: &str,
    data_dir: Option<&Path>,
) -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(instance_id(identifier, data_dir))
        .callback(|app: &AppHandle<R>, argv: Vec<String>, cwd: String| {
            let given: Vec<String> = argv.into_iter().skip(1).collect();
            let items = args::read(&given)
                .map(|line| line.items)
                .unwrap_or_default();
            if let Some(opened) = app.try_state::<Opened>() {
                opened.push(Items::from_args(&items, Path::new(&cwd)));
            }
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
            let _ = app.emit("opened-items", ());
        })
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn items_become_absolute_paths_and_lines_of_links() {
        let items = Items::from_args(
            &strings(&[
                "badge.png",
                "/abs/b.svg",
                "HTTPS://example.org/a/1",
                "file:///tmp/c%20d.json",
                "http://example.org/a/2",
            ]),
            Path::new("/home/ada/Downloads"),
        );
        assert_eq!(
            items.paths,
            [
                "/home/ada/Downloads/badge.png",
                "/abs/b.svg",
                "/tmp/c d.json"
            ]
        );
        assert_eq!(
            items.text.as_deref(),
            Some("HTTPS://example.org/a/1\nhttp://example.org/a/2")
        );
        assert_eq!(Items::from_args(&[], Path::new("/")), Items::default());
    }

    #[test]
    fn items_wait_until_taken_once() {
        let opened = Opened::new(Items::from_args(&strings(&["a.png"]), Path::new("/d")));
        opened.push(Items::from_args(
            &strings(&["https://e.org/1", "b.png"]),
            Path::new("/e"),
        ));
        opened.push(Items::from_args(
            &strings(&["https://e.org/2"]),
            Path::new("/e"),
        ));
        let taken = opened.take().unwrap();
        assert_eq!(taken.paths, ["/d/a.png", "/e/b.png"]);
        assert_eq!(
            taken.text.as_deref(),
            Some("https://e.org/1\nhttps://e.org/2")
        );
        assert_eq!(opened.take(), None);
    }

    #[test]
    fn each_data_folder_is_its_own_instance() {
        let a = instance_id("org.satchel.app", Some(Path::new("/nonexistent/a")));
        let b = instance_id("org.satchel.app", Some(Path::new("/nonexistent/b")));
        assert_ne!(a, b);
        assert_eq!(
            a,
            instance_id("org.satchel.app", Some(Path::new("/nonexistent/a")))
        );
        // A valid D-Bus name: dot-separated elements of [A-Za-z0-9_-], none
        // starting with a digit.
        for element in a.split('.') {
            assert!(!element.is_empty() && !element.starts_with(|c: char| c.is_ascii_digit()));
            assert!(element
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
        }
        assert_eq!(instance_id("org.satchel.app", None), "org.satchel.app");
    }
}

//! The long tasks: import, re-verify and export. Each runs on a blocking
//! worker thread (never the UI thread), one at a time, and streams
//! `job-progress` events (`{task, done, total, label}`, at most every 80 ms
//! and always for the last item); `cancel_job` flips the cancel switch the
//! core polls between items. The command itself resolves with the core's
//! report when the task ends.

use crate::state::AppState;
use crate::CommandError;
use satchel::app::{ErrorCode, Reverify, ShareOptions};
use satchel::backpack::{ImportInput, ImportReport, ReverifyReport};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;

type Answer<T> = Result<T, CommandError>;

/// The `job-progress` event.
#[derive(Clone, Debug, Serialize)]
pub struct Progress {
    /// `import`, `reverify`, `export`, `award`, `send` or `publish`.
    pub task: &'static str,
    /// Items handled.
    pub done: usize,
    /// Items in all.
    pub total: usize,
    /// The item just handled (a file name or badge name).
    pub label: Option<String>,
}

/// Marks the one long task as running; released on drop.
pub(crate) struct Busy(Arc<AppState>);

impl Busy {
    pub(crate) fn take(state: &Arc<AppState>) -> Answer<Busy> {
        if state.busy.swap(true, Ordering::SeqCst) {
            return Err(CommandError::new(
                ErrorCode::Busy,
                "Satchel is still working on the last task; wait for it or cancel it",
            ));
        }
        state.cancel.store(false, Ordering::SeqCst);
        Ok(Busy(state.clone()))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.store(false, Ordering::SeqCst);
    }
}

/// Emits progress, throttled.
pub(crate) struct Reporter {
    app: AppHandle,
    task: &'static str,
    last: Mutex<Option<Instant>>,
}

impl Reporter {
    pub(crate) fn new(app: &AppHandle, task: &'static str) -> Reporter {
        Reporter {
            app: app.clone(),
            task,
            last: Mutex::new(None),
        }
    }

    pub(crate) fn report(&self, done: usize, total: usize, label: Option<String>) {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        let due = last.is_none_or(|t| t.elapsed() >= Duration::from_millis(80));
        if due || done >= total {
            *last = Some(Instant::now());
            let _ = self.app.emit(
                "job-progress",
                Progress {
                    task: self.task,
                    done,
                    total,
                    label,
                },
            );
        }
    }
}

/// Runs `f` on a blocking worker thread (never the UI thread).
pub(crate) async fn run_blocking<T: Send + 'static>(
    f: impl FnOnce() -> Answer<T> + Send + 'static,
) -> Answer<T> {
    tauri::async_runtime::spawn_blocking(f).await.map_err(|e| {
        CommandError::new(
            ErrorCode::Internal,
            format!("the task stopped unexpectedly ({e})"),
        )
    })?
}

/// What to import.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ImportRequest {
    /// Files, folders and zip archives (dropped or picked).
    pub paths: Vec<String>,
    /// Pasted text: a URL, JSON or a compact JWS.
    pub text: Option<String>,
    /// The sample badges Satchel makes (`satchel::samples`).
    pub samples: bool,
}

/// Imports files, folders, archives, pasted text or the samples.
#[tauri::command]
pub async fn import(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    request: ImportRequest,
) -> Answer<ImportReport> {
    let state = state.inner().clone();
    let busy = Busy::take(&state)?;
    let mut inputs: Vec<ImportInput> = request
        .paths
        .iter()
        .map(|p| ImportInput::Path(PathBuf::from(p)))
        .collect();
    if let Some(text) = request.text.filter(|t| !t.trim().is_empty()) {
        inputs.push(ImportInput::Text(text));
    }
    if inputs.is_empty() && !request.samples {
        return Err(CommandError::new(
            ErrorCode::BadRequest,
            "there is nothing to import",
        ));
    }
    run_blocking(move || {
        let _busy = busy;
        let reporter = Reporter::new(&app, "import");
        let progress = |p: satchel::backpack::ImportProgress<'_>| {
            let label = p.item.name.clone().or_else(|| Some(p.item.source.clone()));
            reporter.report(p.done, p.total, label)
        };
        let (report, _) = if request.samples {
            state.import_samples(&progress, &state.cancel)
        } else {
            state.import(&inputs, &progress, &state.cancel)
        };
        Ok(report)
    })
    .await
}

/// Checks badges again (`ids`, or every badge) and says what changed.
#[tauri::command]
pub async fn reverify(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    ids: Option<Vec<i64>>,
) -> Answer<ReverifyReport> {
    let state = state.inner().clone();
    let busy = Busy::take(&state)?;
    run_blocking(move || {
        let _busy = busy;
        let ids = state.reverify_ids(&ids.map_or(Reverify::All, Reverify::Ids))?;
        let reporter = Reporter::new(&app, "reverify");
        let (report, _) = state.reverify(
            &ids,
            &|done, total, item| reporter.report(done, total, item.name.clone()),
            &state.cancel,
        );
        Ok(report)
    })
    .await
}

/// Stops the running task after the items in hand.
#[tauri::command]
pub async fn cancel_job(state: State<'_, Arc<AppState>>) -> Answer<()> {
    state.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

/// What a share export wrote.
#[derive(Debug, Serialize)]
pub struct ShareDone {
    /// The folder.
    pub out_dir: String,
    /// How many pages.
    pub pages: usize,
    /// Things to know before publishing.
    pub warnings: Vec<String>,
}

/// Exports collection `id` as share pages (with `options`, as previewed by
/// `share_plan`) into a new folder inside the folder the user picks (or `into`, for tests), then opens it unless
/// `open` is false. `None` when the dialog was cancelled.
#[tauri::command]
pub async fn export_collection(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    id: i64,
    options: Option<ShareOptions>,
    into: Option<String>,
    open: Option<bool>,
) -> Answer<Option<ShareDone>> {
    let options = options.unwrap_or_default();
    let parent = match into {
        Some(p) => Some(PathBuf::from(p)),
        None => app
            .dialog()
            .file()
            .set_title("Choose where to save the share pages")
            .blocking_pick_folder()
            .and_then(|p| p.into_path().ok()),
    };
    let Some(parent) = parent else {
        return Ok(None);
    };
    let state = state.inner().clone();
    let busy = Busy::take(&state)?;
    let done = run_blocking(move || {
        let _busy = busy;
        let reporter = Reporter::new(&app, "export");
        let out = parent.join(state.share_folder_name(id)?);
        reporter.report(0, 1, None);
        let summary = state.share(id, &options, &out)?;
        reporter.report(1, 1, None);
        Ok(ShareDone {
            out_dir: summary.out_dir.display().to_string(),
            pages: summary.pages.len(),
            warnings: summary.warnings,
        })
    })
    .await?;
    if open.unwrap_or(true) {
        let _ = open::that_detached(&done.out_dir);
    }
    Ok(Some(done))
}

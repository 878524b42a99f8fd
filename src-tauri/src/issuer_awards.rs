//! Issue mode's award, awards-list and publish commands: each one call into
//! the core's `App`. Awarding from a CSV file, sending emails and
//! publishing are long tasks (the one long task at a time, `job-progress`
//! events, `cancel_job`), like those in [`crate::jobs`]. Badge files go to
//! the issuer's award folder (`App::award_folder`); native dialogs are
//! opened from here, never from the page.

use crate::issuer_setup::SmtpPassword;
use crate::jobs::{run_blocking, Busy, Reporter};
use crate::state::AppState;
use crate::CommandError;
use satchel::app::{
    AwardDetail, AwardDone, AwardPage, BulkOptions, BulkReport, Delivery, ErrorCode, PublishState,
};
use satchel::issuer::{AwardInput, PublishReport};
use satchel::store::AwardRecord;
use serde::Deserialize;
use std::path::PathBuf;
use std::sync::Arc;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

type Shared<'a> = State<'a, Arc<AppState>>;
type Answer<T> = Result<T, CommandError>;

/// One award as the form sends it: the class and the core's input.
#[derive(Debug, Deserialize)]
pub struct AwardRequest {
    /// The badge class.
    pub class: i64,
    /// Recipient, name, dates (Unix seconds), narrative, evidence, `eml`.
    #[serde(flatten)]
    pub input: AwardInput,
}

fn issuer_of_class(state: &AppState, class: i64) -> Answer<i64> {
    Ok(state.class(class)?.issuer_id)
}

/// Awards a class to one recipient; the files go to the issuer's award folder.
#[tauri::command]
pub async fn award_badge(state: Shared<'_>, request: AwardRequest) -> Answer<AwardDone> {
    let state = state.inner().clone();
    run_blocking(move || {
        let out = state.award_folder(issuer_of_class(&state, request.class)?);
        let input = AwardInput {
            plaintext: false,
            ..request.input
        };
        Ok(state.award(request.class, &input, &out)?)
    })
    .await
}

/// Asks for a CSV file of recipients; `None` when cancelled.
#[tauri::command]
pub async fn pick_award_csv(app: AppHandle) -> Answer<Option<String>> {
    Ok(app
        .dialog()
        .file()
        .set_title("Choose a CSV file of recipients")
        .add_filter("CSV files", &["csv", "txt"])
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}

/// Checks (`dry_run`) or awards every row of a CSV file, with progress and
/// cancel; the badge files (and `.eml` drafts when `eml`) go to the
/// issuer's award folder.
#[tauri::command]
pub async fn award_csv(
    app: AppHandle,
    state: Shared<'_>,
    class: i64,
    path: String,
    dry_run: bool,
    eml: Option<bool>,
) -> Answer<BulkReport> {
    let state = state.inner().clone();
    let busy = Busy::take(&state)?;
    run_blocking(move || {
        let _busy = busy;
        let out = state.award_folder(issuer_of_class(&state, class)?);
        let reporter = Reporter::new(&app, "award");
        let options = BulkOptions {
            dry_run,
            eml: eml.unwrap_or(false),
        };
        Ok(state.award_csv_with(
            class,
            &PathBuf::from(path),
            options,
            &out,
            &|done, total| reporter.report(done, total, None),
            &state.cancel,
        )?)
    })
    .await
}

/// A page of an issuer's awards, newest first, optionally searched.
#[tauri::command]
pub async fn awards_page(
    state: Shared<'_>,
    issuer: i64,
    search: Option<String>,
    limit: u32,
    offset: u32,
) -> Answer<AwardPage> {
    Ok(state.award_page(issuer, search.as_deref(), limit, offset)?)
}

/// One award as issued, with Satchel's report on it.
#[tauri::command]
pub async fn award_detail(state: Shared<'_>, id: i64) -> Answer<AwardDetail> {
    let state = state.inner().clone();
    run_blocking(move || Ok(state.award_detail(id)?)).await
}

/// Revokes an award for good.
#[tauri::command]
pub async fn revoke_award(state: Shared<'_>, id: i64, reason: String) -> Answer<AwardRecord> {
    Ok(state.revoke(id, &reason)?)
}

/// Suspends an OB 3.0 award, or lifts its suspension.
#[tauri::command]
pub async fn suspend_award(state: Shared<'_>, id: i64, suspended: bool) -> Answer<AwardRecord> {
    Ok(state.suspend(id, suspended)?)
}

/// Opens the issuer's award folder in the file manager.
#[tauri::command]
pub async fn open_award_folder(state: Shared<'_>, issuer: i64) -> Answer<()> {
    let dir = state.award_folder(issuer);
    std::fs::create_dir_all(&dir).map_err(|e| {
        CommandError::new(
            ErrorCode::Io,
            format!("the folder {} could not be made ({e})", dir.display()),
        )
    })?;
    open_path(&dir)
}

fn open_path(path: &std::path::Path) -> Answer<()> {
    open::that_detached(path).map_err(|e| {
        CommandError::new(
            ErrorCode::Io,
            format!("{} could not be opened ({e})", path.display()),
        )
    })
}

/// Emails each award's badge to its recipient through the saved SMTP
/// settings, with progress and cancel; one result per award. `password`,
/// when given, is used for this call only (else the one kept in memory).
#[tauri::command]
pub async fn send_award_emails(
    app: AppHandle,
    state: Shared<'_>,
    kept: State<'_, SmtpPassword>,
    ids: Vec<i64>,
    password: Option<String>,
) -> Answer<Vec<Delivery>> {
    let mut settings = kept.settings(&state)?;
    if let Some(p) = password.filter(|p| !p.is_empty()) {
        settings.password = Some(p);
    }
    let from = state.smtp_config()?.and_then(|c| c.from);
    let state = state.inner().clone();
    let busy = Busy::take(&state)?;
    run_blocking(move || {
        let _busy = busy;
        let files = ids
            .iter()
            .map(|id| Ok((*id, state.award_file(*id)?)))
            .collect::<Answer<Vec<_>>>()?;
        let reporter = Reporter::new(&app, "send");
        Ok(state.send_awards(
            &files,
            &settings,
            from.as_deref(),
            &mut |done, total| reporter.report(done, total, None),
            &state.cancel,
        )?)
    })
    .await
}

/// Where the issuer publishes and whether something waits to be published.
#[tauri::command]
pub async fn publish_state(state: Shared<'_>, issuer: i64) -> Answer<PublishState> {
    let state = state.inner().clone();
    run_blocking(move || Ok(state.publish_state(issuer)?)).await
}

/// Asks for the issuer's publish folder (or takes `folder`, for tests) and
/// remembers it; `None` when the dialog was cancelled.
#[tauri::command]
pub async fn choose_publish_folder(
    app: AppHandle,
    state: Shared<'_>,
    issuer: i64,
    folder: Option<String>,
) -> Answer<Option<PublishState>> {
    let folder = match folder {
        Some(f) => Some(PathBuf::from(f)),
        None => app
            .dialog()
            .file()
            .set_title("Choose the folder to publish into")
            .blocking_pick_folder()
            .and_then(|p| p.into_path().ok()),
    };
    let Some(folder) = folder else {
        return Ok(None);
    };
    Ok(Some(state.set_publish_folder(issuer, &folder)?))
}

fn remembered_folder(state: &AppState, issuer: i64) -> Answer<PathBuf> {
    state.publish_folder(issuer).ok_or_else(|| {
        CommandError::new(
            ErrorCode::BadRequest,
            "no publish folder is chosen yet; choose one first",
        )
    })
}

/// What publishing into the remembered folder would add, change and remove.
#[tauri::command]
pub async fn publish_preview(state: Shared<'_>, issuer: i64) -> Answer<PublishReport> {
    let state = state.inner().clone();
    run_blocking(move || {
        let out = remembered_folder(&state, issuer)?;
        Ok(state.publish_preview(issuer, &out)?)
    })
    .await
}

/// Checks every award and writes the publish folder.
#[tauri::command]
pub async fn publish_issuer(
    app: AppHandle,
    state: Shared<'_>,
    issuer: i64,
) -> Answer<PublishReport> {
    let state = state.inner().clone();
    let busy = Busy::take(&state)?;
    run_blocking(move || {
        let _busy = busy;
        let out = remembered_folder(&state, issuer)?;
        let reporter = Reporter::new(&app, "publish");
        reporter.report(0, 1, None);
        let report = state.publish(issuer, &out)?;
        reporter.report(1, 1, None);
        Ok(report)
    })
    .await
}

/// Opens the remembered publish folder in the file manager.
#[tauri::command]
pub async fn open_publish_folder(state: Shared<'_>, issuer: i64) -> Answer<()> {
    open_path(&remembered_folder(&state, issuer)?)
}

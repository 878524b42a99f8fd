// The only module that talks to the Rust side. One function per command;
// every failure is normalized to { code, message }.

function tauri() {
  const t = window.__TAURI__;
  if (!t || !t.core) {
    throw { code: "no_backend", message: "Satchel's window was opened outside the app" };
  }
  return t;
}

function normalizeError(err) {
  if (err && typeof err === "object" && typeof err.message === "string") {
    return { code: typeof err.code === "string" ? err.code : "internal", message: err.message };
  }
  return { code: "internal", message: String(err) };
}

async function call(command, args) {
  try {
    return await tauri().core.invoke(command, args);
  } catch (err) {
    throw normalizeError(err);
  }
}

// ---------------------------------------------------------------- startup

/** null when the backpack is open, else { code, message, data_dir, database } */
export const startupStatus = () => call("startup_status");
/** Opens the backpack again: null when it is open now, else why not (as startupStatus). */
export const retryStartup = () => call("retry_startup");
export const quit = () => call("quit");
/** Tells the app the window is interactive (for SATCHEL_LAUNCH_TIMING). */
export const launchReady = (page) => call("launch_ready", { page });

// ---------------------------------------------------------------- app

/** { data_dir, database, version, badges, net: { offline, allow_private } } */
export const appInfo = () => call("app_info");
export const setNetwork = (net) => call("set_network", { net });
export const staleBadges = () => call("stale_badges");

// ---------------------------------------------------------------- badges

/** query: { search, status: [], tag, collection, sort, reverse, limit, offset } → { total, offset, items } */
export const listBadges = (query) => call("list_badges", { query });
export const badgeDetail = (id) => call("badge_detail", { id });
export const deleteBadge = (id) => call("delete_badge", { id });
export const addTags = (id, tags) => call("add_tags", { id, tags });
export const removeTags = (id, tags) => call("remove_tags", { id, tags });
export const allTags = () => call("all_tags");
export const setNote = (id, note) => call("set_note", { id, note });

/** The URL of a badge's image (served by the app from its own store). */
export function badgeImageUrl(id, version = 0) {
  return `${schemeBase()}/badge/${encodeURIComponent(id)}?v=${encodeURIComponent(version)}`;
}

/** The URL of a badge issuer's image, when the badge carries or kept one. */
export function issuerImageUrl(id) {
  return `${schemeBase()}/issuer/${encodeURIComponent(id)}`;
}

function schemeBase() {
  // Windows serves custom schemes as http://<scheme>.localhost.
  return navigator.userAgent.includes("Windows") ? "http://satchel.localhost" : "satchel://localhost";
}

// ---------------------------------------------------------------- collections

export const collections = () => call("collections");
export const createCollection = (name, description = "") => call("create_collection", { name, description });
export const renameCollection = (id, name) => call("rename_collection", { id, name });
export const describeCollection = (id, description) => call("describe_collection", { id, description });
export const deleteCollection = (id) => call("delete_collection", { id });
export const addToCollection = (id, badges, position = null) => call("add_to_collection", { id, badges, position });
export const removeFromCollection = (id, badges) => call("remove_from_collection", { id, badges });
export const moveInCollection = (id, badge, position) => call("move_in_collection", { id, badge, position });

// ---------------------------------------------------------------- identities

export const identities = () => call("identities");
export const addIdentity = (value) => call("add_identity", { value });
export const removeIdentity = (value) => call("remove_identity", { value });

// ---------------------------------------------------------------- files and long tasks

export const pickImportFiles = () => call("pick_import_files");
export const pickImportFolder = () => call("pick_import_folder");
/** request: { paths: [], text, samples } → ImportReport */
export const importItems = (request) => call("import", { request });
/** Keeps a duplicate whose file differs after all: how is "replace" or "keep_both" → ImportReport */
export const keepDuplicate = (source, how) => call("keep_duplicate", { source, how });
export const reverify = (ids = null) => call("reverify", { ids });
export const cancelJob = () => call("cancel_job");
/** options: { include_recipient_name, include_evidence, leave_out_originals } */
export const sharePlan = (id, options) => call("share_plan", { id, options });
export const exportCollection = (id, options) => call("export_collection", { id, options, into: null, open: true });
export const backup = () => call("backup", { path: null });
export const restore = () => call("restore", { path: null });
export const openLink = (url) => call("open_link", { url });
export const openDataFolder = () => call("open_data_folder");

/** Calls listener({ task, done, total, label }) as a long task advances. */
export function onProgress(listener) {
  const events = window.__TAURI__ && window.__TAURI__.event;
  if (events) events.listen("job-progress", (event) => listener(event.payload));
}

/**
 * Calls handlers.enter(), handlers.leave() and handlers.drop(paths) as files
 * are dragged over and dropped on the window. Does nothing outside the app.
 */
export function onFileDrop(handlers) {
  const events = window.__TAURI__ && window.__TAURI__.event;
  if (!events) return;
  events.listen("tauri://drag-enter", () => handlers.enter());
  events.listen("tauri://drag-leave", () => handlers.leave());
  events.listen("tauri://drag-drop", (event) => handlers.drop((event.payload && event.payload.paths) || []));
}

// ---------------------------------------------------------------- issuer: set-up

/** Every issuer: [{ id, name, url, email, description, base_url, ob3_identity, image_uri, ob2_profile, ob3_issuer, keys, awards, ... }] */
export const issuers = () => call("issuers");
/** form: { name, url, email, base_url, description, image (path), ob3_identity } */
export const createIssuer = (form) => call("create_issuer", { form });
export const editIssuer = (id, form) => call("edit_issuer", { id, form });
/** Native dialog for a PNG/SVG file: its path, or null when cancelled. */
export const pickBadgeImage = (title = null) => call("pick_badge_image", { title });
/** Checks an image file as a badge image (or, logo, an issuer's image) → { path, width, height, warnings, uri } */
export const checkImage = (path, logo = false) => call("check_image", { path, logo });
/** Classes of an issuer: [{ id, name, description, image_uri, awards, criteria, format, tags, valid_for, ... }] */
export const classes = (issuer) => call("classes", { issuer });
export const badgeClass = (id) => call("class", { id });
/** form: { name, description, image (path), criteria, criteria_url, format, vc_jwt, suspendable, valid_for, tags } */
export const createClass = (issuer, form) => call("create_class", { issuer, form });
export const editClass = (id, form) => call("edit_class", { id, form });
/** Criteria Markdown → the safe HTML the badge page carries. */
export const criteriaPreview = (markdown) => call("criteria_preview", { markdown });
export const designerChoices = () => call("designer_choices");
/** design: { shape, background, foreground, accent, title, subtitle, icon } → { uri, path, contrast, warnings } */
export const renderDesign = (form, save = false) => call("render_design", { form, save });
export const rotateKeys = (id) => call("rotate_keys", { id });
/** Native dialog: where to save a key export (save) or which to open; null when cancelled. */
export const pickKeyFile = (save, id = null) => call("pick_key_file", { save, id });
/** Seals the issuer's keys with the passphrase into the new file `path` → [{ issuer, name, algorithm, outcome }] */
export const exportKeys = (id, passphrase, path) => call("export_keys", { id, passphrase, path });
export const importKeys = (passphrase, path) => call("import_keys", { passphrase, path });
/** Sentences about key files that cannot sign as they are (open permissions, missing). */
export const keyWarnings = (id) => call("key_warnings", { id });
export const defaultFormat = (id) => call("default_format", { id });
export const setDefaultFormat = (id, format) => call("set_default_format", { id, format });
/** { config: { host, port, security, username, from, ca_file } | null, has_password } */
export const smtpSettings = () => call("smtp_settings");
/** The password is kept in the app's memory for this run only, never saved. */
/** Native dialog: the PEM file of a mail server's private certificate authority; null when cancelled. */
export const pickCaFile = () => call("pick_ca_file");
export const saveSmtpSettings = (config, newPassword = null, forgetPassword = false) =>
  call("save_smtp_settings", { config, newPassword, forgetPassword });

// ---------------------------------------------------------------- issuer: awards

/** request: { class, recipient, name, issued_on, expires, narrative, evidence_url, evidence_narrative, eml } → AwardDone */
export const awardBadge = (request) => call("award_badge", { request });
export const pickAwardCsv = () => call("pick_award_csv");
/** → BulkReport { dry_run, rows, errors: [{ line, column, reason }], cancelled } */
export const awardCsv = (cls, path, dryRun, eml = false) => call("award_csv", { class: cls, path, dryRun, eml });
/** → { total, offset, items: [AwardRow] } */
export const awardsPage = (issuer, search, limit, offset) => call("awards_page", { issuer, search, limit, offset });
export const awardDetail = (id) => call("award_detail", { id });
export const revokeAward = (id, reason) => call("revoke_award", { id, reason });
export const suspendAward = (id, suspended) => call("suspend_award", { id, suspended });
export const openAwardFolder = (issuer) => call("open_award_folder", { issuer });
/** Through the saved SMTP settings; `password` (or null: the one kept this run) → [Delivery] */
export const sendAwardEmails = (ids, password = null) => call("send_award_emails", { ids, password });
export const publishState = (issuer) => call("publish_state", { issuer });
export const choosePublishFolder = (issuer, folder = null) => call("choose_publish_folder", { issuer, folder });
export const publishPreview = (issuer) => call("publish_preview", { issuer });
export const publishIssuer = (issuer) => call("publish_issuer", { issuer });
export const openPublishFolder = (issuer) => call("open_publish_folder", { issuer });
/**
 * The files and links Satchel was opened with ("Open with", or a second
 * launch handing them over): { paths, text } or null. Calls `listener()`
 * whenever more arrive. Does nothing outside the app.
 */
export const takeOpened = () => call("take_opened");
export function onOpened(listener) {
  const events = window.__TAURI__ && window.__TAURI__.event;
  if (events) events.listen("opened-items", () => listener());
}

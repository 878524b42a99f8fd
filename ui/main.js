// Wires the window: the screens, navigation and shortcuts, drops anywhere on
// the window, and links.

import * as api from "./api.js";
import { initBackpack, refreshFilters, reload, restoreFocus } from "./backpack.js";
import { initCollections, showCollections } from "./collections.js";
import { initDetail, showDetail } from "./detail.js";
import { importOpened, importRequest, initImport } from "./import.js";
import { initJobs, runJob } from "./jobs.js";
import { initSettings, showSettings } from "./settings.js";
import { showStartupError } from "./startup.js";
import { changesDialog } from "./dialog.js";
import { plural } from "./format.js";
import { showError, toast } from "./notify.js";
// issuer: Issue mode shell and its set-up screens (each registers itself)
import { handleIssueDrop, initIssue, isIssueMode, issueTakesDrops } from "./issue.js";
import "./issue-setup.js";
import "./issue-classes.js";
import "./issue-settings.js";
// issuer: awards
import "./issue-award.js";
import "./issue-awards.js";
import "./issue-publish.js";

const $ = (id) => document.getElementById(id);
const scriptAt = performance.now();
const SCREENS = ["backpack", "detail", "import", "collections", "settings"];
let screen = null;
let previous = "backpack";

function show(name, { focus = true } = {}) {
  if (screen && screen !== "detail" && name === "detail") previous = screen;
  const previousScreen = screen;
  screen = name;
  for (const s of SCREENS) $(`screen-${s}`).hidden = s !== name;
  for (const tab of document.querySelectorAll("[data-screen]")) {
    const on = tab.dataset.screen === name || (name === "detail" && tab.dataset.screen === previous);
    if (on) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  document.body.dataset.screen = name;
  const titles = { import: "Add badges", collections: "Collections", settings: "Settings" };
  if (name !== "detail") document.title = titles[name] ? `${titles[name]} — Satchel` : "Satchel";
  // Coming back from another screen: show what changed there (a restore, an import).
  if (name === "backpack" && previousScreen && previousScreen !== "backpack" && previousScreen !== "detail") reload({ keepScroll: true });
  if (name === "collections") showCollections();
  if (name === "settings") showSettings();
  if (focus && name !== "detail" && name !== "backpack") {
    const heading = $(`screen-${name}`).querySelector("h2");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }
}

async function openBadge(id) {
  show("detail");
  $("screen-detail").scrollTop = 0;
  // Opened again meanwhile, or left: the later request owns the screen.
  if (!(await showDetail(id)) || screen !== "detail") return;
  const heading = $("detail-name");
  if (heading) {
    document.title = `${heading.textContent} — Satchel`;
    heading.focus({ preventScroll: true });
  }
}

function closeDetail() {
  show(previous);
  if (previous === "backpack") restoreFocus();
}

function changed() {
  refreshFilters();
  reload({ keepScroll: true });
}

/** Checks `ids` again (all badges when null). A batch (every badge, or the
 *  launch-time check of `auto`) lists what changed in a dialog. */
async function verifyAgain(ids, { auto = false } = {}) {
  try {
    const label = auto ? `Checking ${plural(ids.length, "badge")} not checked recently…` : ids ? "Checking again…" : "Checking every badge again…";
    const report = await runJob(label, () => api.reverify(ids));
    const changes = report.items.filter((i) => i.changes && i.changes.length);
    const said = changes.length ? `${plural(changes.length, "badge")} changed since the last check.` : `Checked ${plural(report.items.length, "badge")} again; nothing changed.`;
    $("status").textContent = said;
    if (!ids || auto) {
      if (changes.length) changesDialog(auto ? `Checked again at launch: ${said}` : said, changes, openBadge);
      else toast(said, "info");
    }
    return report;
  } catch (err) {
    showError("The check could not run", err);
    return null;
  }
}

/** At launch, badges not checked for longer than the user's setting are
 *  checked again in the background. */
async function checkStaleBadges() {
  let ids = [];
  try {
    ids = await api.staleBadges();
  } catch (err) {
    showError("Satchel could not tell which badges are due for a check", err);
    return;
  }
  if (!ids.length) return;
  const report = await verifyAgain(ids, { auto: true });
  if (report) changed();
}

// ---------------------------------------------------------------- init

/** Wires every screen and shows the backpack. */
function startApp() {

  initJobs();
  initBackpack({
    open: openBadge,
    emptyChange: (empty) => document.body.classList.toggle("is-empty", empty),
  });
  initDetail({
    changed,
    verifyAgain,
    deleted: () => {
      changed();
      closeDetail();
    },
  });
  initImport({
    show: () => show("import", { focus: false }),
    imported: () => changed(),
    open: openBadge,
  });
  initCollections({ changed, open: openBadge });
  initSettings({ changed });
  // issuer: Issue mode
  initIssue();

  for (const tab of document.querySelectorAll("[data-screen]")) {
    tab.addEventListener("click", () => show(tab.dataset.screen));
  }
  for (const b of document.querySelectorAll("[data-go]")) {
    b.addEventListener("click", () => show(b.dataset.go));
  }
  $("detail-back").addEventListener("click", closeDetail);
  $("verify-all").addEventListener("click", () => verifyAgain(null).then(() => changed()));
  $("try-samples").addEventListener("click", async () => {
    const report = await importRequest({ samples: true });
    if (report) show("backpack");
  });
  $("toast").addEventListener("click", () => {
    $("toast").hidden = true;
  });

  document.addEventListener("keydown", (e) => {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && !e.shiftKey && !e.altKey) {
      const k = e.key.toLowerCase();
      if (k === "o") {
        e.preventDefault();
        show("import");
        $("pick-files").click();
      } else if (k === "f") {
        e.preventDefault();
        show("backpack");
        $("search").focus();
        $("search").select();
      } else if (k === "1" || k === "2" || k === "3") {
        e.preventDefault();
        show({ 1: "backpack", 2: "collections", 3: "settings" }[k]);
      }
    } else if (e.key === "Escape" && screen === "detail" && !isIssueMode() && !(e.target instanceof HTMLTextAreaElement)) {
      e.preventDefault();
      closeDetail();
    }
  });

  // Links from a badge open in the user's browser, never inside the app.
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!link || link.classList.contains("skip-link")) return;
    event.preventDefault();
    if (link.dataset.external === "true") {
      api.openLink(link.href).catch((err) => showError("The link could not be opened", err));
    }
  });

  // File drops arrive as paths from Tauri; keep stray HTML drags from navigating.
  for (const type of ["dragover", "drop"]) {
    document.addEventListener(type, (event) => {
      if (!event.defaultPrevented) event.preventDefault();
    });
  }
  api.onFileDrop({
    enter: () => {
      // issuer: in Issue mode only an image field takes drops
      if (!isIssueMode() || issueTakesDrops()) document.body.classList.add("is-dragging");
    },
    leave: () => document.body.classList.remove("is-dragging"),
    drop: (paths) => {
      document.body.classList.remove("is-dragging");
      // issuer: Issue mode's screens take their own drops
      if (paths.length && isIssueMode()) handleIssueDrop(paths);
      else if (paths.length) importRequest({ paths });
    },
  });

  show("backpack", { focus: false });
  return Promise.all([reload(), refreshFilters()]);
}

/** Once the frame after the first content has painted. */
function afterPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}

async function start() {
  // The app hands the page its startup state; asking costs a round trip.
  let failure = window.__SATCHEL_STARTUP__;
  if (failure === undefined) {
    try {
      failure = await api.startupStatus();
    } catch {
      failure = null; // outside the app: the screens say so themselves
    }
  }
  if (failure) showStartupError(failure, { opened: () => startApp().then(checkStaleBadges).catch(() => {}) });
  else await startApp().catch(() => {});
  const dataAt = performance.now();
  document.body.dataset.ready = "true";
  window.__satchelReadyAt = dataAt;
  await afterPaint();
  const page = { time_origin: performance.timeOrigin, script: scriptAt, data: dataAt, ready: performance.now() };
  // Only the launch-timing measurement listens; nothing for the user to know.
  api.launchReady(page).catch(() => {});
  // Files Satchel was opened with first, then the launch-time check.
  if (!failure) importOpened().finally(checkStaleBadges);
}

start();

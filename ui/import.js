// The Import screen: file and folder pickers, paste, and per-item results
// with reasons and what to do about failures. Drops anywhere on the window
// also land here (see main.js).

import * as api from "./api.js";
import { el, icon } from "./dom.js";
import { baseName, plural } from "./format.js";
import { runJob } from "./jobs.js";
import { attempt, showError } from "./notify.js";
import { statusMark } from "./status.js";

const $ = (id) => document.getElementById(id);
let hooks = { imported: () => {}, show: () => {}, open: () => {} };

export function initImport(h) {
  hooks = { ...hooks, ...h };
  $("pick-files").addEventListener("click", async () => {
    const paths = await attempt("The file chooser could not be opened", api.pickImportFiles);
    if (paths && paths.length) importRequest({ paths });
  });
  $("pick-folder").addEventListener("click", async () => {
    const path = await attempt("The folder chooser could not be opened", api.pickImportFolder);
    if (path) importRequest({ paths: [path] });
  });
  $("paste-form").addEventListener("submit", (e) => {
    e.preventDefault();
    importPasted();
  });
  $("import-paste").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      importPasted();
    }
  });
  $("import-paste").addEventListener("input", () => $("import-paste").removeAttribute("aria-invalid"));
  api.onOpened(importOpened);
}

/** Lines that are all absolute file paths are imported as files. */
function asPaths(text) {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const isPath = (l) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(l) && !l.startsWith("//");
  return lines.length && lines.every(isPath) ? lines : null;
}

function importPasted() {
  const box = $("import-paste");
  const text = box.value;
  if (!text.trim()) {
    box.setAttribute("aria-invalid", "true");
    showSummary({ items: [], total: 0, cancelled: false }, "Paste a badge link, its JSON, a compact JWS or a file path first.");
    box.focus();
    return;
  }
  const paths = asPaths(text);
  importRequest(paths ? { paths } : { text }).then((report) => {
    if (report && report.items.some((i) => i.outcome === "imported" || i.outcome === "duplicate")) box.value = "";
  });
}

/** Imports the files and links Satchel was opened with, as a drop. Resolves
 *  once they are in (or there were none). */
export async function importOpened() {
  let items = null;
  try {
    items = await api.takeOpened();
  } catch {
    return; // outside the app, or the backpack is not open
  }
  if (items) await importRequest(items);
}

/** Imports what was dropped, picked, pasted or the samples; shows the results. */
export async function importRequest(request) {
  hooks.show();
  const what = request.samples ? "Adding the sample badges…" : "Adding badges…";
  // The last results make way for this run's.
  $("import-summary").hidden = false;
  $("import-counts").textContent = what;
  $("import-counts").dataset.error = "false";
  $("import-results").replaceChildren();
  const controls = ["pick-files", "pick-folder", "import-submit", "try-samples"].map($).filter(Boolean);
  for (const c of controls) c.disabled = true;
  try {
    const report = await runJob(what, () => api.importItems({ paths: [], text: null, samples: false, ...request }));
    showSummary(report);
    hooks.imported(report);
    return report;
  } catch (err) {
    showError("The badges could not be added", err);
    showSummary({ items: [], total: 0, cancelled: false }, `Nothing was added: ${err.message}`);
    return null;
  } finally {
    for (const c of controls) c.disabled = false;
  }
}

const OUTCOME = {
  imported: { label: "Added", icon: "check", tone: "ok" },
  duplicate: { label: "Already in your backpack", icon: "info", tone: "muted" },
  not_a_badge: { label: "Not a badge", icon: "warning", tone: "warn" },
  failed: { label: "Could not be added", icon: "alert", tone: "bad" },
  kept_instead: { label: "Kept instead", icon: "check", tone: "ok" },
};

/** The outcome a row shows: an imported file that took a kept badge's place is "kept instead". */
const shownOutcome = (item) => (item.outcome === "imported" && item.replaced_source ? "kept_instead" : item.outcome);

/** What to do about an item that was not added, by the kind of problem Satchel reported. */
const ADVICE = {
  plain_image:
    "This is a plain image. Download the badge again from the issuer or platform: the badge is inside the original file, and editing or re-saving the picture removes it.",
  not_an_award:
    "This describes a badge but is not one awarded to someone. Ask the issuer for your own badge: the baked image or the link they sent you.",
  unsupported:
    "Satchel reads baked PNG and SVG badge images, Open Badges JSON (0.5 to 3.0, CLR 2.0), compact JWS and badge links. Check that you chose the badge itself and not a web page or another file.",
  damaged: "The file is damaged or was not downloaded completely. Download it again from where you got it.",
  too_large: "The file is larger than any badge needs; check that it is the right file.",
  unsafe: "Satchel refused this file because it asks for something unsafe to load. Ask the issuer for a standard copy of the badge.",
  unreadable: "Satchel could not read this file: check that it still exists and that you may open it.",
  unreachable: "The link could not be fetched. Check the address and your connection (and the offline setting), then try again.",
  storage: "The backpack could not save this badge. Check that the disk has room, then try again.",
};

/** A duplicate by id whose own file or link can be read again. */
function keepable(item) {
  return item.outcome === "duplicate" && item.duplicate_by === "same_id" && !item.source.startsWith("pasted text") && !/\.zip!/i.test(item.source);
}

function advice(item) {
  if (keepable(item)) return "Keeping this one instead keeps the badge's tags, note and collections.";
  if (item.outcome === "duplicate" && item.duplicate_by === "same_id") return "To keep this one instead, add its own file again.";
  if (item.outcome === "duplicate") return "Nothing to do: the badge is already kept.";
  if (item.outcome === "imported") return null;
  return ADVICE[item.problem] || "Check the file and try again; if it keeps failing, the file may be damaged.";
}

function showSummary(report, error = null) {
  $("import-summary").hidden = false;
  const counts = ["imported", "kept_instead", "duplicate", "not_a_badge", "failed"].map((o) => [o, report.items.filter((i) => shownOutcome(i) === o).length]).filter(([, n]) => n);
  const parts = counts.map(([o, n]) => `${n} ${OUTCOME[o].label.toLowerCase()}`);
  if (report.cancelled) parts.push(`cancelled after ${report.items.length} of ${report.total}`);
  $("import-counts").textContent = error ? error : parts.length ? parts.join(" · ") : "Nothing was found to add.";
  $("import-counts").dataset.error = error ? "true" : "false";
  const list = $("import-results");
  const shown = report.items.slice(0, 500);
  list.replaceChildren(...shown.map((item, i) => resultRow(item, (done) => {
    // What became of a kept duplicate takes its row, and the counts follow.
    const items = report.items.slice();
    items[i] = done;
    showSummary({ ...report, items });
  })));
  const more = report.items.length - shown.length;
  if (more > 0) list.append(el("li", { class: "muted" }, `and ${plural(more, "more item")}`));
}

function resultRow(item, kept) {
  const o = OUTCOME[shownOutcome(item)] || OUTCOME.failed;
  const title = item.name || baseName(item.source);
  const help = item.outcome === "imported" ? null : advice(item);
  let open = null;
  if (item.badge_id) {
    open = el("button", { type: "button", class: "button button--small" }, "Open");
    open.addEventListener("click", () => hooks.open(item.badge_id));
  }
  return el(
    "li",
    { class: `result result--${o.tone}`, "data-outcome": item.outcome },
    icon(o.icon, "result__icon"),
    el(
      "div",
      { class: "result__body" },
      resultTitle(title, o.label, item.status),
      el("p", { class: "result__source muted" }, item.source),
      item.reason ? el("p", { class: "result__reason" }, item.reason) : null,
      help ? el("p", { class: "result__advice" }, help) : null,
      keepable(item) ? keepButtons(item, kept) : null,
    ),
    open,
  );
}

/** "Keep this one instead" and "Keep both" for a duplicate whose file differs; `kept(item)` shows what became of it. */
function keepButtons(item, kept) {
  const buttons = el("div", { class: "button-row" });
  const choice = (label, how) => {
    const b = el("button", { type: "button", class: "button button--small", "data-keep": how }, label);
    b.addEventListener("click", async () => {
      const all = [...buttons.querySelectorAll("button")];
      for (const x of all) x.disabled = true;
      const report = await attempt("The badge could not be kept", () => api.keepDuplicate(item.source, how));
      const done = report && report.items[0];
      if (!done) {
        for (const x of all) x.disabled = false;
        return;
      }
      kept(done);
      hooks.imported(report);
    });
    return b;
  };
  buttons.append(choice("Keep this one instead", "replace"), choice("Keep both", "keep_both"));
  return buttons;
}

function resultTitle(title, outcome, status) {
  return el("p", { class: "result__title" }, el("strong", {}, title), " — ", outcome, status ? [" ", statusMark(status)] : null);
}

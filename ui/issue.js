// Issue mode: the mode switch beside the Backpack, Issue mode's own tabs and
// screens, the issuer in use, and the "not yet published" warning.
//
// Each mode keeps its own state: the Backpack's screens stay as they were
// (they are only hidden while Issue mode shows), and Issue mode returns to
// the screen it showed last. Screens register themselves at import time:
//
//   registerIssueScreen("awards", { init(section), show(section, params), drop(paths) })
//
// `init` runs once, before the first `show`; `show` runs every time the
// screen is opened (params as given to showIssueScreen), but not when Issue
// mode is returned to from the Backpack (the screen is shown as it was
// left); `drop`, when given, receives the paths of files dropped on the
// window while it shows.
//
// Keys: Ctrl+Shift+B / Ctrl+Shift+I switch modes; in Issue mode Ctrl+1…4
// open its tabs (as they open the Backpack's in the Backpack).

import * as api from "./api.js";
import { showError } from "./notify.js";

const $ = (id) => document.getElementById(id);
const TABS = ["classes", "awards", "publish", "issuer"];
const TITLES = {
  setup: "Set up issuing",
  classes: "Badge classes",
  class: "Badge class",
  awards: "Awards",
  award: "Award a badge",
  publish: "Publish",
  issuer: "Issuer and keys",
};
/** Which tab is lit for screens that are not tabs themselves. */
const TAB_OF = { setup: null, class: "classes", award: "awards" };

const screens = new Map();
const started = new Set();
const issuerListeners = [];
let mode = "backpack";
let current = null; // { name, params }
let issuer = null;
let issuersLoaded = false;
let warningSource = null;
let backpackTitle = "Satchel";

/** Registers an Issue screen (see the top of this file). */
export function registerIssueScreen(name, handlers) {
  screens.set(name, handlers);
}

/** The issuer in use (the view `issuers` answers), or null before set-up. */
export function currentIssuer() {
  return issuer;
}

/** Calls fn(issuer) whenever the issuer in use changes or is edited. */
export function onIssuerChanged(fn) {
  issuerListeners.push(fn);
}

/** Makes `view` the issuer in use (after set-up, or an edit). */
export function setCurrentIssuer(view) {
  issuer = view;
  for (const fn of issuerListeners) {
    try {
      fn(issuer);
    } catch (err) {
      console.error(err);
    }
  }
  refreshIssueWarnings();
}

/** Whether the window shows Issue mode. */
export function isIssueMode() {
  return mode === "issue";
}

/**
 * Sets what the warning banner on Issue screens says: source(issuer)
 * resolves to a sentence (e.g. "3 awards are not published yet …") or null.
 */
export function setIssueWarningSource(source) {
  warningSource = source;
  refreshIssueWarnings();
}

/** Re-reads the "not yet published" state shown on Issue screens. */
export async function refreshIssueWarnings() {
  const banner = $("issue-warning");
  if (!banner) return;
  let text = null;
  if (warningSource && issuer) {
    try {
      text = await warningSource(issuer);
    } catch {
      text = null;
    }
  }
  $("issue-warning-text").textContent = text || "";
  banner.hidden = !text;
}

/** Opens Issue screen `name` (switching to Issue mode if needed). */
export async function showIssueScreen(name, params = {}, { focus = true } = {}) {
  if (mode !== "issue") setMode("issue", { focus: false, route: false });
  const handlers = screens.get(name);
  const section = $(`issue-screen-${name}`);
  if (!section) return;
  current = { name, params };
  for (const s of document.querySelectorAll('[id^="issue-screen-"]')) s.hidden = s !== section;
  const lit = name in TAB_OF ? TAB_OF[name] : name;
  for (const tab of document.querySelectorAll("[data-issue-screen]")) {
    tab.disabled = !issuer;
    if (tab.dataset.issueScreen === lit) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  document.body.dataset.issueScreen = name;
  document.title = `${TITLES[name] || "Issue"} — Satchel`;
  if (handlers) {
    if (!started.has(name)) {
      started.add(name);
      if (handlers.init) handlers.init(section);
    }
    if (handlers.show) await handlers.show(section, params);
  }
  if (focus && current && current.name === name) {
    const heading = section.querySelector("h2");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }
}

/** Hands files dropped on the window to the Issue screen showing. */
export function handleIssueDrop(paths) {
  const handlers = current && screens.get(current.name);
  if (handlers && handlers.drop) handlers.drop(paths);
  else showError("The files were not added", { message: "drop images on an image field, such as a badge class's image" });
}

/** Whether the Issue screen showing takes dropped files. */
export function issueTakesDrops() {
  const handlers = current && screens.get(current.name);
  return Boolean(handlers && handlers.drop);
}

async function loadIssuers() {
  const list = await api.issuers();
  issuersLoaded = true;
  const keep = issuer && list.find((i) => i.id === issuer.id);
  issuer = keep || list[0] || null;
  if (issuer) setCurrentIssuer(issuer);
  return list;
}

/** Switches between "backpack" and "issue". */
export async function setMode(next, { focus = true, route = true } = {}) {
  if (next === mode && !(route && next === "issue" && !current)) return;
  if (mode === "backpack") backpackTitle = document.title;
  mode = next;
  document.body.dataset.mode = next;
  for (const b of document.querySelectorAll("[data-mode]")) {
    if (b.tagName === "BUTTON") b.setAttribute("aria-pressed", String(b.dataset.mode === next));
  }
  if (next === "backpack") {
    document.title = backpackTitle;
    if (focus) $("mode-backpack").focus();
    return;
  }
  refreshIssueWarnings();
  if (!route) return;
  if (!issuersLoaded) {
    try {
      await loadIssuers();
    } catch (err) {
      showError("Satchel could not read your issuers", err);
    }
  }
  if (!issuer) await showIssueScreen("setup", {}, { focus });
  else if (current && current.name !== "setup") comeBack({ focus });
  else await showIssueScreen("classes", {}, { focus });
}

/** Back in Issue mode: the screen shown last, as it was left (a form
 *  half filled in stays so); only the warning is read again. */
function comeBack({ focus }) {
  document.title = `${TITLES[current.name] || "Issue"} — Satchel`;
  const heading = $(`issue-screen-${current.name}`).querySelector("h2");
  if (focus && heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

/** Wires the mode switch, Issue mode's tabs and keys. */
export function initIssue() {
  for (const b of document.querySelectorAll("button[data-mode]")) {
    b.addEventListener("click", () => setMode(b.dataset.mode));
  }
  for (const tab of document.querySelectorAll("[data-issue-screen]")) {
    tab.addEventListener("click", () => showIssueScreen(tab.dataset.issueScreen));
  }
  // Captured before the Backpack's own shortcuts, so Ctrl+1… in Issue mode
  // never changes the Backpack's screen behind it.
  window.addEventListener(
    "keydown",
    (e) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod || e.altKey) return;
      const k = e.key.toLowerCase();
      if (e.shiftKey && (k === "b" || k === "i")) {
        e.preventDefault();
        e.stopImmediatePropagation();
        setMode(k === "b" ? "backpack" : "issue");
        return;
      }
      if (mode !== "issue" || e.shiftKey) return;
      if (["1", "2", "3", "4"].includes(k)) {
        e.preventDefault();
        e.stopImmediatePropagation();
        if (issuer) showIssueScreen(TABS[Number(k) - 1]);
      } else if (k === "o" || k === "f") {
        // The Backpack's own shortcuts: go there, and let them run.
        setMode("backpack", { focus: false });
      }
    },
    { capture: true },
  );
}

/** Reloads the issuers (after set-up or a key import) and tells listeners. */
export async function reloadIssuers() {
  return loadIssuers();
}

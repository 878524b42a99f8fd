// Issue mode's award screen: award a badge class to one recipient, or to
// every row of a CSV file (checked first: a table of every row, bad rows
// with their line, column and reason; reload after fixing; then awarded as
// a long task with progress and cancel). Afterwards: open the folder, send
// the badges by email (SMTP settings asked for in a dialog; the password
// stays in this page's memory only). Every issuer or CSV string is text.

import * as api from "./api.js";
import { el, icon } from "./dom.js";
import { plural } from "./format.js";
import { formDialog } from "./dialog.js";
import { runJob } from "./jobs.js";
import { attempt, showError, toast } from "./notify.js";
import { currentIssuer, refreshIssueWarnings, registerIssueScreen, showIssueScreen } from "./issue.js";

const SHOWN_ROWS = 1000;
const KIND_WORDS = { email: "Email address", url: "Web address", telephone: "Phone number", did: "DID" };

let root = null;
let classes = [];
let csv = { path: "", report: null };

const $ = (id) => document.getElementById(id);

registerIssueScreen("award", { init, show, drop });

function init(section) {
  root = el("div", { class: "page award" });
  section.append(root);
  const heading = section.querySelector("h2");
  if (heading) root.prepend(heading);
  heading && heading.classList.add("page__title");
  heading && heading.setAttribute("id", "award-title");
  root.append(
    el(
      "div",
      { class: "settings-field" },
      el("label", { for: "award-class" }, el("strong", {}, "Badge class")),
      el("select", { id: "award-class" }),
    ),
    el(
      "div",
      { class: "segmented", role: "tablist", "aria-label": "Award to" },
      el("button", { type: "button", class: "tab", id: "award-mode-one", role: "tab", "aria-selected": "true", "aria-controls": "award-one" }, "One recipient"),
      el("button", { type: "button", class: "tab", id: "award-mode-csv", role: "tab", "aria-selected": "false", "aria-controls": "award-csv" }, "From a CSV file"),
    ),
    el("section", { id: "award-result", class: "panel", "aria-labelledby": "award-result-title", hidden: true }),
    oneForm(),
    csvPanel(),
  );
  $("award-mode-one").addEventListener("click", () => setMode("one"));
  $("award-mode-csv").addEventListener("click", () => setMode("csv"));
  for (const b of [$("award-mode-one"), $("award-mode-csv")]) {
    b.addEventListener("keydown", (e) => {
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        e.preventDefault();
        const other = b.id === "award-mode-one" ? "csv" : "one";
        setMode(other);
        $(`award-mode-${other}`).focus();
      }
    });
  }
  $("award-class").addEventListener("change", classChanged);
  // Escape leaves the form for the awards list (not from a text field or a dialog).
  section.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !(e.target instanceof HTMLTextAreaElement) && !document.querySelector("dialog[open]")) {
      e.preventDefault();
      showIssueScreen("awards", {});
    }
  });
}

async function show(section, params = {}) {
  const issuer = currentIssuer();
  if (!issuer) return;
  classes = (await attempt("The badge classes could not be loaded", () => api.classes(issuer.id))) || [];
  const select = $("award-class");
  select.replaceChildren(...classes.map((c) => el("option", { value: String(c.id) }, `${c.name} (${formatName(c.format)})`)));
  if (params.classId) select.value = String(params.classId);
  if (!classes.length) {
    $("award-result").hidden = false;
    $("award-result").replaceChildren(el("p", { class: "empty empty--small" }, "There are no badge classes yet. Make one under Badge classes first."));
  }
  classChanged();
  setMode(params.mode === "csv" ? "csv" : "one", { focus: false });
  const first = params.mode === "csv" ? $("award-csv-path") : $("award-recipient");
  first.focus();
}

function formatName(f) {
  return { ob3: "Open Badges 3.0", "ob2-hosted": "Open Badges 2.0, hosted", "ob2-signed": "Open Badges 2.0, signed" }[f] || f;
}

function selectedClass() {
  const id = Number($("award-class").value);
  return classes.find((c) => c.id === id) || null;
}

function classChanged() {
  const c = selectedClass();
  const today = new Date().toISOString().slice(0, 10);
  $("award-issued").value = today;
  $("award-expires").value = c && c.valid_for ? addValidity(today, c.valid_for) : "";
  $("award-expires-help").textContent = c && c.valid_for ? `Prefilled from the class (valid for ${c.valid_for}).` : "The class sets no expiry; leave empty for none.";
}

/** "2y", "18m", "90d" added to a YYYY-MM-DD date. */
function addValidity(day, validFor) {
  const m = /^(\d+)([ymd])$/.exec(validFor.trim());
  if (!m) return "";
  const d = new Date(`${day}T00:00:00Z`);
  const n = Number(m[1]);
  if (m[2] === "y") d.setUTCFullYear(d.getUTCFullYear() + n);
  if (m[2] === "m") d.setUTCMonth(d.getUTCMonth() + n);
  if (m[2] === "d") d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function setMode(mode, { focus = false } = {}) {
  $("award-mode-one").setAttribute("aria-selected", String(mode === "one"));
  $("award-mode-csv").setAttribute("aria-selected", String(mode === "csv"));
  $("award-one").hidden = mode !== "one";
  $("award-csv").hidden = mode !== "csv";
  if (focus) (mode === "one" ? $("award-recipient") : $("award-csv-path")).focus();
}

// ---------------------------------------------------------------- one recipient

function field(id, label, input, help = null) {
  return el("div", { class: "settings-field" }, el("label", { for: id }, el("strong", {}, label)), input, help ? el("p", { class: "field-help", id: `${id}-help` }, help) : null);
}

function oneForm() {
  const form = el(
    "form",
    { id: "award-one", class: "panel award-form", novalidate: true, "aria-label": "Award to one recipient" },
    field("award-recipient", "Recipient", el("input", { id: "award-recipient", type: "text", autocomplete: "off", spellcheck: "false", placeholder: "ada@example.org", required: true }), "An email address, web address, phone number (+44…) or DID."),
    field("award-name", "Name (kept by you, never published)", el("input", { id: "award-name", type: "text", autocomplete: "off" })),
    el(
      "div",
      { class: "award-dates" },
      field("award-issued", "Issued on", el("input", { id: "award-issued", type: "date" })),
      field("award-expires", "Expires on", el("input", { id: "award-expires", type: "date" }), " "),
    ),
    field("award-narrative", "What they did (optional)", el("textarea", { id: "award-narrative", rows: "3" })),
    field("award-evidence-url", "Evidence web address (optional)", el("input", { id: "award-evidence-url", type: "url", autocomplete: "off", spellcheck: "false" })),
    field("award-evidence-narrative", "Evidence description (optional)", el("textarea", { id: "award-evidence-narrative", rows: "2" })),
    el("label", { class: "check" }, el("input", { type: "checkbox", id: "award-eml" }), el("span", {}, "Also write an email draft (.eml) beside the badge")),
    el("p", { id: "award-error", class: "form-error", role: "alert" }),
    el("div", { class: "button-row" }, el("button", { type: "submit", class: "button button--primary", id: "award-submit" }, "Award badge")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    awardOne();
  });
  const recipient = form.querySelector("#award-recipient");
  recipient.addEventListener("input", () => {
    const kind = detectKind(recipient.value);
    form.querySelector("#award-recipient-help").textContent = kind ? `${KIND_WORDS[kind]}.` : "An email address, web address, phone number (+44…) or DID.";
  });
  return form;
}

function detectKind(text) {
  const t = text.trim();
  if (!t) return null;
  if (/^did:[a-z0-9]+:/i.test(t)) return "did";
  if (/^https?:\/\//i.test(t)) return "url";
  if (/^(tel:)?\+?[0-9 ()-]{6,}$/.test(t)) return "telephone";
  if (/^(mailto:)?[^@\s]+@[^@\s]+$/.test(t)) return "email";
  return null;
}

function dayToUnix(value) {
  return value ? Math.floor(Date.parse(`${value}T00:00:00Z`) / 1000) : null;
}

async function awardOne() {
  const c = selectedClass();
  const error = $("award-error");
  error.textContent = "";
  if (!c) {
    error.textContent = "Choose a badge class first.";
    return;
  }
  if (!$("award-recipient").value.trim()) {
    error.textContent = "Type the recipient's email address, web address, phone number or DID.";
    $("award-recipient").focus();
    return;
  }
  const today = new Date().toISOString().slice(0, 10);
  const issued = $("award-issued").value;
  const request = {
    class: c.id,
    recipient: $("award-recipient").value.trim(),
    name: $("award-name").value.trim() || null,
    // Today means now (the time of day is kept); another day starts at midnight UTC.
    issued_on: issued && issued !== today ? dayToUnix(issued) : null,
    expires: dayToUnix($("award-expires").value),
    narrative: $("award-narrative").value.trim() || null,
    evidence_url: $("award-evidence-url").value.trim() || null,
    evidence_narrative: $("award-evidence-narrative").value.trim() || null,
    eml: $("award-eml").checked,
  };
  const button = $("award-submit");
  button.disabled = true;
  try {
    const done = await runJob("Signing and checking the badge…", () => api.awardBadge(request));
    showResult(`Awarded “${c.name}” to ${done.recipient}`, [done.id], done.note ? [done.note] : []);
    for (const id of ["award-recipient", "award-name", "award-narrative", "award-evidence-url", "award-evidence-narrative"]) $(id).value = "";
    refreshIssueWarnings();
  } catch (err) {
    error.textContent = `The badge was not awarded: ${err.message}`;
    $("award-recipient").focus();
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- CSV

function csvPanel() {
  const panel = el(
    "section",
    { id: "award-csv", class: "panel", "aria-labelledby": "award-csv-title", hidden: true },
    el("h3", { id: "award-csv-title", class: "panel__title" }, "Award from a CSV file"),
    el("p", { class: "field-help" }, "One recipient a line, with a header line naming the columns: identity (required), name, issue date, expiry, narrative, evidence url. Satchel checks every line first and awards nothing until the whole file is right."),
    el(
      "div",
      { class: "inline-form" },
      el("label", { for: "award-csv-path", class: "visually-hidden" }, "CSV file"),
      el("input", { id: "award-csv-path", type: "text", placeholder: "Choose a CSV file…", autocomplete: "off", spellcheck: "false" }),
      el("button", { type: "button", class: "button", id: "award-csv-choose" }, "Choose file…"),
      el("button", { type: "button", class: "button", id: "award-csv-check" }, "Check file"),
    ),
    el("label", { class: "check" }, el("input", { type: "checkbox", id: "award-csv-eml" }), el("span", {}, "Also write email drafts (.eml) beside the badges")),
    el("div", { id: "award-csv-summary", role: "status" }),
    el("div", { id: "award-csv-table-wrap", class: "table-wrap" }),
  );
  panel.querySelector("#award-csv-choose").addEventListener("click", async () => {
    const path = await attempt("The file could not be chosen", () => api.pickAwardCsv());
    if (path) {
      $("award-csv-path").value = path;
      checkCsv();
    }
  });
  panel.querySelector("#award-csv-check").addEventListener("click", () => checkCsv());
  panel.querySelector("#award-csv-path").addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      checkCsv();
    }
  });
  return panel;
}

/** Files dropped on the award screen: a CSV file is checked. */
function drop(paths) {
  const path = paths.find((p) => /\.(csv|txt)$/i.test(p));
  if (!path) {
    toast("Drop a CSV file of recipients here.");
    return;
  }
  $("award-csv-path").value = path;
  setMode("csv");
  checkCsv();
}

async function checkCsv() {
  const c = selectedClass();
  const path = $("award-csv-path").value.trim();
  if (!c || !path) {
    toast(c ? "Choose a CSV file first." : "Choose a badge class first.");
    return;
  }
  csv = { path, report: null };
  const report = await attempt("The file could not be checked", () => runJob("Checking the file…", () => api.awardCsv(c.id, path, true)));
  if (!report) return;
  csv.report = report;
  renderCsv(c, report);
}

function renderCsv(c, report) {
  const bad = report.errors.length;
  const todo = report.rows.filter((r) => r.outcome === "would award").length;
  const already = report.rows.length - todo;
  const summary = $("award-csv-summary");
  const lines = [];
  if (bad) {
    lines.push(
      el("p", { class: "notice notice--warning", id: "award-csv-bad" }, icon("warning", "notice__icon"), el("span", {}, `${plural(bad, "problem")} in the file: nothing will be awarded until they are fixed. Fix the file, save it, then reload it.`)),
    );
  } else {
    lines.push(el("p", { class: "notice notice--info", id: "award-csv-ok" }, icon("check", "notice__icon"), el("span", {}, `${plural(todo, "badge")} to award${already ? `; ${already} already awarded (skipped)` : ""}.`)));
  }
  const buttons = el("div", { class: "button-row" }, el("button", { type: "button", class: "button", id: "award-csv-reload" }, "Reload file"));
  if (!bad && todo) {
    const go = el("button", { type: "button", class: "button button--primary", id: "award-csv-go" }, `Award ${plural(todo, "badge")}`);
    go.addEventListener("click", () => awardCsv(c));
    buttons.append(go);
  }
  buttons.firstChild.addEventListener("click", () => checkCsv());
  summary.replaceChildren(...lines, buttons);
  $("award-csv-table-wrap").replaceChildren(...csvTable(report));
  // The verdict and the table in view; the first bad line at the top of the table.
  summary.scrollIntoView({ block: "start" });
  const firstBad = $("award-csv-table").querySelector("tr[data-bad]");
  if (firstBad) $("award-csv-table-wrap").scrollTop = Math.max(0, firstBad.offsetTop - 40);
}

function csvTable(report) {
  const errorsByLine = new Map();
  for (const e of report.errors) {
    if (!errorsByLine.has(e.line)) errorsByLine.set(e.line, []);
    errorsByLine.get(e.line).push(e);
  }
  const rows = [
    ...report.errors.map((e) => ({ line: e.line, recipient: "", problem: e })),
    ...report.rows.map((r) => ({ line: r.line, recipient: r.recipient, outcome: r.outcome })),
  ].sort((a, b) => a.line - b.line || (a.problem ? -1 : 1));
  const shown = rows.slice(0, SHOWN_ROWS);
  const body = el(
    "tbody",
    {},
    shown.map((r) =>
      el(
        "tr",
        { class: r.problem ? "row--bad" : "", "data-line": String(r.line), "data-bad": r.problem ? "true" : null },
        el("td", { class: "num" }, String(r.line)),
        el("td", {}, r.problem ? r.problem.column || "—" : "—"),
        el("td", { class: "break" }, r.recipient || ""),
        el("td", {}, r.problem ? [icon("alert", "status__icon"), " ", r.problem.reason] : outcomeWord(r.outcome)),
      ),
    ),
  );
  const table = el(
    "table",
    { class: "data-table", id: "award-csv-table" },
    el("caption", { class: "visually-hidden" }, "Every line of the CSV file"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Line"), el("th", { scope: "col" }, "Column"), el("th", { scope: "col" }, "Recipient"), el("th", { scope: "col" }, "Result"))),
    body,
  );
  return [table, rows.length > SHOWN_ROWS ? el("p", { class: "field-help" }, `and ${rows.length - SHOWN_ROWS} more lines.`) : null].filter(Boolean);
}

function outcomeWord(o) {
  return { "would award": "Will be awarded", "already awarded": "Already awarded (skipped)", awarded: "Awarded" }[o] || o;
}

async function awardCsv(c) {
  const eml = $("award-csv-eml").checked;
  let report;
  try {
    report = await runJob(`Awarding “${c.name}”…`, () => api.awardCsv(c.id, csv.path, false, eml));
  } catch (err) {
    showError("The badges were not all awarded", err);
    refreshIssueWarnings();
    checkCsv();
    return;
  }
  const awarded = report.rows.filter((r) => r.outcome === "awarded");
  const title = report.cancelled ? `Stopped: ${plural(awarded.length, "badge")} awarded before you cancelled` : `Awarded ${plural(awarded.length, "badge")}`;
  showResult(title, awarded.map((r) => r.id), report.rows.map((r) => r.note).filter(Boolean));
  $("award-csv-summary").replaceChildren();
  $("award-csv-table-wrap").replaceChildren(...csvTable(report));
  refreshIssueWarnings();
  if (awarded.length) api.openAwardFolder(currentIssuer().id).catch(() => {});
}

// ---------------------------------------------------------------- result and email

function showResult(title, ids, notes) {
  const issuer = currentIssuer();
  const box = $("award-result");
  const open = el("button", { type: "button", class: "button", id: "award-open-folder" }, icon("folder"), "Open folder");
  open.addEventListener("click", () => attempt("The folder could not be opened", () => api.openAwardFolder(issuer.id)));
  const send = el("button", { type: "button", class: "button", id: "award-send" }, "Send by email…");
  send.addEventListener("click", () => sendByEmail(ids));
  const list = el("button", { type: "button", class: "button button--quiet", id: "award-to-list" }, "See all awards");
  list.addEventListener("click", () => showIssueScreen("awards", {}));
  box.replaceChildren(
    ...[
    el("h3", { id: "award-result-title", class: "panel__title", tabindex: "-1" }, title),
    notes.length ? el("ul", { class: "plain-list field-help" }, notes.map((n) => el("li", {}, n))) : null,
    el("p", { class: "field-help" }, "The badge files are in the issuer's award folder. Recipients can verify them once you publish (Publish tab)."),
    el("div", { class: "button-row" }, open, ids.length ? send : null, list),
    el("div", { id: "award-deliveries" }),
    ].filter(Boolean),
  );
  box.hidden = false;
  box.querySelector("h3").focus();
}

/** Emails the badges of awards `ids` through the SMTP settings saved under
 *  Issuer and keys (asking for the password when none is kept this run),
 *  listing one result per recipient in `into`. */
export async function sendByEmail(ids, into = $("award-deliveries")) {
  const smtp = await attempt("The email settings could not be read", () => api.smtpSettings());
  if (!smtp) return;
  if (!smtp.config) {
    const go = el("button", { type: "button", class: "button", id: "send-settings" }, "Open email settings");
    go.addEventListener("click", () => showIssueScreen("issuer", {}));
    into.replaceChildren(el("p", { class: "notice notice--warning", id: "send-no-settings" }, icon("warning", "notice__icon"), el("span", {}, "There are no email settings yet: fill in your mail server under Issuer and keys, then send again.")), go);
    return;
  }
  let password = null;
  if (smtp.config.username && !smtp.has_password) {
    password = await passwordDialog(smtp.config);
    if (password === null) return;
  }
  try {
    const results = await runJob(`Sending ${plural(ids.length, "email")}…`, () => api.sendAwardEmails(ids, password));
    const sent = results.filter((r) => r.sent).length;
    into.replaceChildren(
      el("p", { role: "status", id: "send-summary" }, `${sent} of ${plural(results.length, "email")} sent.`),
      el(
        "ul",
        { class: "checks", id: "send-results" },
        results.map((r) =>
          el(
            "li",
            { class: `check check--${r.sent ? "ok" : "bad"}`, "data-sent": String(r.sent) },
            icon(r.sent ? "check" : "alert", "check__icon"),
            el("div", { class: "check__body" }, el("p", { class: "check__message" }, r.sent ? `Sent to ${r.recipient}` : `${r.recipient}: ${r.reason || "not sent"}`)),
          ),
        ),
      ),
    );
  } catch (err) {
    showError("The emails could not be sent", err);
  }
}

/** Asks for the mail server's password (used for this sending only); null when cancelled. */
function passwordDialog(config) {
  const input = el("input", { id: "smtp-password", type: "password", autocomplete: "off" });
  return formDialog({
    id: "smtp-title",
    title: "Send by email",
    body: [el("p", { class: "field-help" }, `The password of ${config.username} at ${config.host}. It is used for this sending only and never saved.`), field("smtp-password", "Password", input)],
    confirm: "Send",
    confirmId: "smtp-send",
    first: input,
    check: () => (input.value ? null : "Type the password, or cancel."),
    value: () => input.value,
  });
}

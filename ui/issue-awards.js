// Issue mode's awards: a searchable, virtualized list of every award of the
// current issuer (only the rows in view exist in the DOM, fetched in pages,
// so 10,000 awards cost what 30 do), and one award opened: the badge as the
// recipient's backpack shows it with Satchel's report, its files, re-send,
// revoke (with a reason and a final confirmation), suspend and unsuspend.

import * as api from "./api.js";
import { el, icon } from "./dom.js";
import { checkCounts, checkItem } from "./detail.js";
import { confirmDialog, formDialog } from "./dialog.js";
import { plural } from "./format.js";
import { latestOnly } from "./latest.js";
import { attempt, showError, toast } from "./notify.js";
import { statusMark } from "./status.js";
import { sendByEmail } from "./issue-award.js";
import { currentIssuer, onIssuerChanged, refreshIssueWarnings, registerIssueScreen, showIssueScreen } from "./issue.js";

const ROW_H = 56;
const PAGE = 100;
const OVERSCAN = 6;
const FORMATS = { ob3: "OB 3.0", "ob2-hosted": "OB 2.0 hosted", "ob2-signed": "OB 2.0 signed" };
const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

const $ = (id) => document.getElementById(id);
const state = { issuer: null, search: "", total: 0, pages: new Map(), generation: 0, nodes: new Map(), active: 0, openId: null };
const detailLoad = latestOnly();

registerIssueScreen("awards", { init, show });

function init(section) {
  const heading = section.querySelector("h2");
  const page = el("div", { class: "page page--wide awards" });
  if (heading) {
    heading.classList.add("page__title");
    heading.id = heading.id || "awards-title";
    page.append(heading);
  }
  const search = el("input", { id: "awards-search", type: "search", placeholder: "Search recipients, names, classes", autocomplete: "off", spellcheck: "false", "aria-label": "Search awards" });
  const award = el("button", { type: "button", class: "button button--primary", id: "awards-new" }, icon("plus"), "Award a badge");
  award.addEventListener("click", () => showIssueScreen("award", {}, { focus: false }));
  const csv = el("button", { type: "button", class: "button", id: "awards-csv" }, "Award from a CSV file");
  csv.addEventListener("click", () => showIssueScreen("award", { mode: "csv" }, { focus: false }));
  page.append(
    el("div", { class: "awards-toolbar", role: "search" }, el("label", { class: "search" }, icon("search", "search__icon"), search), el("span", { id: "awards-count", class: "awards-count muted", role: "status" }), award, csv),
    el(
      "div",
      { id: "awards-head", class: "award-row award-row--head", "aria-hidden": "true" },
      el("span", {}, "Recipient"),
      el("span", {}, "Badge class"),
      el("span", {}, "Issued"),
      el("span", {}, "Format"),
      el("span", {}, "Status"),
    ),
    el("div", { id: "awards-scroll", class: "awards-scroll" }, el("div", { id: "awards-list", role: "list", "aria-label": "Awards" })),
    el("div", { id: "awards-empty", class: "empty empty--small", hidden: true }),
    el("div", { id: "award-view", class: "award-view", hidden: true }),
  );
  section.append(page);
  let timer = null;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => setSearch(search.value), 140);
  });
  search.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      clearTimeout(timer);
      setSearch(search.value);
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      focusRow(state.active);
    }
  });
  $("awards-scroll").addEventListener("scroll", () => render(), { passive: true });
  new ResizeObserver(() => render()).observe($("awards-scroll"));
  $("awards-list").addEventListener("click", (e) => {
    const row = e.target instanceof Element ? e.target.closest("[data-award]") : null;
    if (row) openAward(Number(row.dataset.award));
  });
  $("awards-list").addEventListener("keydown", onListKey);
  // Escape on an opened award goes back to the list (not from a text field or a dialog).
  $("award-view").addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !(e.target instanceof HTMLTextAreaElement) && !document.querySelector("dialog[open]")) {
      e.preventDefault();
      closeAward();
    }
  });
  onIssuerChanged(() => {
    state.issuer = null;
  });
}

function show(section, params = {}) {
  const issuer = currentIssuer();
  if (!issuer) return;
  if (params.award) {
    openAward(params.award);
    return;
  }
  if (state.openId === null && state.issuer === issuer.id) {
    reload({ keepScroll: true });
    return;
  }
  closeAward({ focus: false });
  if (state.issuer !== issuer.id) {
    state.issuer = issuer.id;
    $("awards-search").value = "";
    state.search = "";
    reload();
  }
}

function setSearch(text) {
  state.search = text.trim();
  reload();
}

/** Reloads the list (after an award, a revocation, a search). */
export async function reload({ keepScroll = false } = {}) {
  if (state.issuer === null) return;
  const mine = ++state.generation;
  state.pages.clear();
  for (const node of state.nodes.values()) node.remove();
  state.nodes.clear();
  if (!keepScroll) {
    $("awards-scroll").scrollTop = 0;
    state.active = 0;
  }
  const first = await attempt("The awards could not be loaded", () => api.awardsPage(state.issuer, state.search || null, PAGE, 0));
  if (!first || mine !== state.generation) return;
  state.total = first.total;
  state.pages.set(0, first.items);
  $("awards-count").textContent = state.search ? `${plural(first.total, "award")} found` : plural(first.total, "award");
  $("awards-list").style.height = `${first.total * ROW_H}px`;
  const empty = $("awards-empty");
  empty.hidden = first.total > 0;
  $("awards-scroll").hidden = first.total === 0;
  $("awards-head").hidden = first.total === 0;
  if (!first.total) {
    const help = "Award a badge to one person, or to a whole list from a CSV file; every award shows here.";
    empty.replaceChildren(el("p", {}, state.search ? "No award matches this search." : "No badges awarded yet."), el("p", { class: "field-help" }, state.search ? "Search by recipient, name, badge class or award id." : help));
  }
  state.active = Math.min(state.active, Math.max(0, first.total - 1));
  render();
}

function visibleRange() {
  const scroller = $("awards-scroll");
  const top = Math.max(0, Math.floor(scroller.scrollTop / ROW_H) - OVERSCAN);
  const bottom = Math.min(state.total, Math.ceil((scroller.scrollTop + scroller.clientHeight) / ROW_H) + OVERSCAN);
  return [top, bottom];
}

function render() {
  if (!state.total || $("awards-scroll").hidden) return;
  const [from, to] = visibleRange();
  for (const [i, node] of state.nodes) {
    if ((i < from || i >= to) && i !== state.active) {
      node.remove();
      state.nodes.delete(i);
    }
  }
  for (let i = from; i < to; i++) {
    const item = itemAt(i);
    let node = state.nodes.get(i);
    if (node && node.dataset.award === String(item ? item.id : "")) continue;
    const fresh = row(i, item);
    if (node) node.replaceWith(fresh);
    else $("awards-list").append(fresh);
    state.nodes.set(i, fresh);
  }
}

function itemAt(i) {
  const p = Math.floor(i / PAGE);
  const page = state.pages.get(p);
  if (page === undefined) loadPage(p);
  return Array.isArray(page) ? page[i - p * PAGE] : null;
}

async function loadPage(p) {
  const mine = state.generation;
  state.pages.set(p, "loading");
  try {
    const page = await api.awardsPage(state.issuer, state.search || null, PAGE, p * PAGE);
    if (mine !== state.generation) return;
    state.pages.set(p, page.items);
    render();
  } catch (err) {
    if (mine === state.generation) state.pages.delete(p);
    showError("The awards could not be loaded", err);
  }
}

function statusOf(a) {
  if (a.revoked) return "revoked";
  if (a.suspended) return "suspended";
  if (a.expires && a.expires * 1000 < Date.now()) return "expired";
  return "verified";
}

function row(i, a) {
  const attrs = { class: "award-row", role: "listitem", "data-index": String(i), "aria-posinset": String(i + 1), "aria-setsize": String(state.total) };
  // Positioned through the CSSOM: the CSP refuses style attributes.
  const placed = (node) => {
    node.style.top = `${i * ROW_H}px`;
    return node;
  };
  if (!a) return placed(el("div", { ...attrs, class: "award-row award-row--loading", "aria-busy": "true" }, el("span", { class: "skeleton-line" })));
  const status = statusOf(a);
  const who = el("span", { class: "award-row__who" }, el("span", { class: "award-row__name" }, a.recipient_name || a.recipient), a.recipient_name ? el("span", { class: "muted award-row__id" }, a.recipient) : null);
  const button = el(
    "button",
    { type: "button", class: "award-row__open", "data-award": String(a.id), tabindex: i === state.active ? "0" : "-1", "aria-label": `${a.recipient_name || a.recipient}, ${a.class_name}, ${DATE.format(new Date(a.issued_on * 1000))}, ${status}` },
    who,
    el("span", { class: "award-row__class" }, a.class_name),
    el("span", { class: "award-row__date" }, DATE.format(new Date(a.issued_on * 1000))),
    el("span", { class: "award-row__format" }, FORMATS[a.format] || a.format),
    el("span", { class: "award-row__status" }, status === "verified" ? el("span", { class: "status status--ok" }, "Issued") : statusMark(status)),
  );
  return placed(el("div", { ...attrs, "data-award": String(a.id), "data-status": status }, button));
}

function focusRow(i) {
  if (!state.total) return;
  i = Math.max(0, Math.min(state.total - 1, i));
  state.active = i;
  const scroller = $("awards-scroll");
  const top = i * ROW_H;
  if (top < scroller.scrollTop) scroller.scrollTop = top;
  else if (top + ROW_H > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + ROW_H - scroller.clientHeight;
  render();
  for (const b of $("awards-list").querySelectorAll(".award-row__open")) b.tabIndex = -1;
  const node = state.nodes.get(i);
  const button = node && node.querySelector("button");
  if (button) {
    button.tabIndex = 0;
    button.focus({ preventScroll: true });
  }
}

function onListKey(e) {
  const node = e.target instanceof Element ? e.target.closest(".award-row") : null;
  if (!node) return;
  const i = Number(node.dataset.index);
  const page = Math.max(1, Math.floor($("awards-scroll").clientHeight / ROW_H) - 1);
  const moves = { ArrowDown: i + 1, ArrowUp: i - 1, PageDown: i + page, PageUp: i - page, Home: 0, End: state.total - 1 };
  if (e.key in moves) {
    e.preventDefault();
    focusRow(moves[e.key]);
  }
}

// ---------------------------------------------------------------- one award

function listParts() {
  return ["awards-scroll", "awards-head", "awards-count"].map($).concat([$("awards-search").closest(".awards-toolbar")]);
}

function closeAward({ focus = true } = {}) {
  state.openId = null;
  $("award-view").hidden = true;
  $("award-view").replaceChildren();
  for (const p of listParts()) p.hidden = false;
  if (!state.total) {
    $("awards-scroll").hidden = true;
    $("awards-head").hidden = true;
  }
  // An award may have been revoked or suspended meanwhile: fresh rows.
  reload({ keepScroll: true }).then(() => {
    if (focus && state.openId === null) focusRow(state.active);
  });
}

async function openAward(id) {
  const fresh = detailLoad();
  state.openId = id;
  for (const p of listParts()) p.hidden = true;
  $("awards-empty").hidden = true;
  const view = $("award-view");
  view.hidden = false;
  view.setAttribute("aria-busy", "true");
  view.replaceChildren(backButton(), el("p", { class: "muted" }, "Checking the badge…"));
  try {
    const d = await api.awardDetail(id);
    const cls = await api.badgeClass(d.award.class_id).catch(() => null);
    if (!fresh()) return;
    view.replaceChildren(...renderAward(d, cls));
    view.querySelector("#award-detail-name").focus();
  } catch (err) {
    if (!fresh()) return;
    view.replaceChildren(backButton(), el("div", { class: "error", role: "alert" }, icon("alert", "error__icon"), el("div", { class: "error__body" }, el("h3", { class: "error__title", id: "award-detail-name", tabindex: "-1" }, "This award could not be opened"), el("p", {}, err.message))));
  } finally {
    if (fresh()) view.removeAttribute("aria-busy");
  }
}

function backButton() {
  const b = el("button", { type: "button", class: "button button--quiet", id: "award-back" }, icon("back"), "All awards");
  b.addEventListener("click", () => closeAward());
  return b;
}

function renderAward(d, cls) {
  const a = d.award;
  const badge = d.badge || {};
  const status = d.report.status;
  const name = badge.name || d.class_name;
  const facts = el(
    "dl",
    { class: "facts" },
    fact("Recipient", a.recipient),
    a.recipient_name ? fact("Name (yours only)", a.recipient_name) : null,
    fact("Badge class", d.class_name),
    fact("Format", FORMATS[d.format] || d.format),
    fact("Issued", DATE.format(new Date(a.issued_on * 1000))),
    a.expires ? fact("Expires", DATE.format(new Date(a.expires * 1000))) : null,
    a.narrative ? fact("Narrative", a.narrative) : null,
    a.evidence_url ? fact("Evidence", a.evidence_url) : null,
    a.revoked ? fact("Revoked", `${DATE.format(new Date(a.revoked * 1000))}: ${a.revocation_reason || ""}`) : null,
    fact("Award id", el("code", { class: "break" }, a.uid)),
  );
  // The class's image as a data: URI (the CSP allows those for <img>).
  const image = cls && cls.image_uri ? el("img", { class: "detail__image", src: cls.image_uri, alt: `Badge image: ${name}`, width: "220", height: "220" }) : null;
  const hero = el(
    "header",
    { class: "card hero detail-hero" },
    image ? el("figure", { class: "hero__figure" }, image) : null,
    el(
      "div",
      { class: "hero__text" },
      el("h3", { id: "award-detail-name", class: "hero__name", tabindex: "-1" }, name),
      el("p", { class: "hero__issuer" }, "Awarded to ", el("span", { id: "award-detail-recipient" }, a.recipient_name || a.recipient)),
      el("div", { class: `verdict verdict--${status === "verified" ? "ok" : "bad"}`, id: "award-detail-verdict" }, statusMark(status, { id: "award-detail-status" }), el("p", { class: "verdict__lead" }, verdictLead(status))),
      actions(d),
    ),
  );
  const checks = [...d.report.checks].sort((x, y) => rank(x.status) - rank(y.status));
  return [
    backButton(),
    hero,
    section("What was issued", facts),
    badge.description ? section("Description", el("p", {}, badge.description)) : null,
    section("Satchel's check", el("p", { class: "muted" }, `As a recipient's backpack will see it once published. ${checkCounts(d.report.checks)}`), el("ul", { class: "checks", id: "award-checks" }, checks.map(checkItem))),
    section("Files", d.files.length ? el("ul", { class: "plain-list", id: "award-files" }, d.files.map((f) => el("li", {}, el("code", { class: "break" }, f)))) : el("p", { class: "muted" }, "No badge file of this award is in the award folder.")),
    el("div", { id: "award-detail-deliveries" }),
  ].filter(Boolean);
}

function rank(s) {
  return { fail: 0, skip: 1, warn: 2, pass: 3 }[s] ?? 9;
}

function verdictLead(status) {
  return {
    verified: "Satchel's own check passes: recipients will see this badge as verified once the folder is published.",
    revoked: "Revoked: recipients will see it as revoked once the folder is published.",
    suspended: "Suspended: recipients will see it as suspended once the folder is published, until you lift it.",
    expired: "This badge has expired.",
  }[status] || "Satchel's own check does not pass; see below.";
}

function section(title, ...content) {
  const id = `award-section-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return el("section", { class: "card section", "aria-labelledby": id }, el("h3", { id, class: "section__title" }, title), content);
}

function fact(label, ...value) {
  return el("div", { class: "facts__row" }, el("dt", {}, label), el("dd", {}, ...value));
}

function actions(d) {
  const a = d.award;
  const issuer = currentIssuer();
  const reveal = el("button", { type: "button", class: "button", id: "award-reveal" }, icon("folder"), "Show file");
  reveal.addEventListener("click", () => attempt("The folder could not be opened", () => api.openAwardFolder(issuer.id)));
  const resend = el("button", { type: "button", class: "button", id: "award-resend" }, "Send again…");
  resend.addEventListener("click", () => sendByEmail([a.id], $("award-detail-deliveries")));
  const row = el("div", { class: "button-row" }, reveal, a.recipient_kind === "email" && d.files.length ? resend : null);
  if (!a.revoked) {
    if (d.format === "ob3" && d.suspendable) {
      const s = el("button", { type: "button", class: "button", id: "award-suspend" }, a.suspended ? "Lift suspension" : "Suspend");
      s.addEventListener("click", () => changeSuspension(a, !a.suspended));
      row.append(s);
    }
    const revoke = el("button", { type: "button", class: "button button--danger", id: "award-revoke" }, "Revoke…");
    revoke.addEventListener("click", () => revokeFlow(a));
    row.append(revoke);
  }
  return row;
}

async function changeSuspension(a, suspended) {
  const done = await attempt(suspended ? "The badge could not be suspended" : "The suspension could not be lifted", () => api.suspendAward(a.id, suspended));
  if (!done) return;
  toast(suspended ? "Suspended. Publish to tell recipients' backpacks." : "Suspension lifted. Publish to tell recipients' backpacks.", "info");
  refreshIssueWarnings();
  openAward(a.id);
}

async function revokeFlow(a) {
  const reason = await reasonDialog(a);
  if (!reason) return;
  const sure = await confirmDialog(`Revoke the badge of ${a.recipient_name || a.recipient} for good? A revocation is final: it cannot be undone, and the badge shows as revoked everywhere once you publish.`, "Revoke for good");
  if (!sure) return;
  const done = await attempt("The badge could not be revoked", () => api.revokeAward(a.id, reason));
  if (!done) return;
  toast("Revoked. Publish to tell recipients' backpacks.", "info");
  refreshIssueWarnings();
  openAward(a.id);
}

function reasonDialog(a) {
  const text = el("textarea", { id: "revoke-reason", rows: "3" });
  return formDialog({
    id: "revoke-title",
    title: `Revoke the badge of ${a.recipient_name || a.recipient}`,
    body: el("div", { class: "settings-field" }, el("label", { for: "revoke-reason" }, el("strong", {}, "Why (published with the revocation)")), text),
    confirm: "Continue",
    confirmId: "revoke-next",
    danger: true,
    first: text,
    check: () => (text.value.trim() ? null : "Say why the badge is revoked, such as “Awarded by mistake”."),
    value: () => text.value.trim(),
  });
}

// The badge detail screen: image, what the badge says, the verification
// report in plain words (technical detail one click away), history, and the
// user's own tags, note and collections. Every badge string goes in as text.

import * as api from "./api.js";
import { el, icon } from "./dom.js";
import { badgeTitle, issuerTitle, linkHref, plural, versionLabel } from "./format.js";
import { confirmDialog } from "./dialog.js";
import { latestOnly } from "./latest.js";
import { attempt, showError } from "./notify.js";
import { CHECK_STATUS, statusInfo, statusMark } from "./status.js";

const $ = (id) => document.getElementById(id);

let hooks = { changed: () => {}, deleted: () => {}, verifyAgain: async () => {} };
let current = null;
/** The badge asked for last: answers for any other are dropped. */
let shownId = null;
const detailLoad = latestOnly();

export function initDetail(h) {
  hooks = { ...hooks, ...h };
}

/** Loads and shows badge `id`; false when another badge was asked for before it arrived. */
export async function showDetail(id) {
  const fresh = detailLoad();
  shownId = id;
  const body = $("detail-body");
  body.setAttribute("aria-busy", "true");
  if (!current || current.id !== id) {
    // A still placeholder of the hero's size while the badge loads, so
    // nothing jumps and the last badge never shows under the new name.
    current = null;
    body.replaceChildren(skeleton());
  }
  try {
    const [detail, cols] = await Promise.all([api.badgeDetail(id), api.collections()]);
    if (!fresh()) return false;
    current = detail;
    body.replaceChildren(...render(detail, cols));
  } catch (err) {
    if (!fresh()) return false;
    current = null;
    body.replaceChildren(loadError(err));
  } finally {
    if (fresh()) body.removeAttribute("aria-busy");
  }
  return true;
}

function skeleton() {
  const text = el("div", { class: "hero__text" }, el("div", { class: "skeleton-line" }), el("div", { class: "skeleton-line skeleton-line--wide" }));
  return el("div", { class: "card hero detail-hero detail-skeleton", "aria-hidden": "true" }, el("div", { class: "detail__image" }), text);
}

function loadError(err) {
  const title = el("h2", { class: "error__title", id: "detail-name" }, "This badge could not be opened");
  const body = el("div", { class: "error__body" }, title, el("p", {}, err.message));
  return el("div", { class: "error", role: "alert" }, icon("alert", "error__icon"), body);
}

/** Is badge `id` the one on screen (or being loaded)? */
function onScreen(id) {
  return shownId === id;
}

function unixDate(secs) {
  return secs === null || secs === undefined ? null : new Date(secs * 1000);
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: "long" });

function when(secs, withTime = false) {
  const d = unixDate(secs);
  return d ? el("time", { datetime: d.toISOString() }, (withTime ? DATE_TIME : DATE).format(d)) : null;
}

function render(d, cols) {
  const badge = d.badge || {};
  const latest = d.verifications.length ? d.verifications[d.verifications.length - 1] : null;
  const sections = [hero(d, badge, latest), reportSection(d, latest), aboutSections(d, badge)];
  return [...sections, mineSection(d, cols), historySection(d), technical(d)].flat().filter(Boolean);
}

// ---------------------------------------------------------------- hero

function hero(d, badge, latest) {
  const name = d.name || badge.name || badgeTitle(d);
  const issuerName = d.issuer_name || (badge.issuer && badge.issuer.name) || issuerTitle(d);
  // A badge that names no title or issuer is shown by what is known of it; say so.
  const unnamed = !(d.name || badge.name) || !(d.issuer_name || (badge.issuer && badge.issuer.name));
  return el(
    "header",
    { class: "card hero detail-hero" },
    el("figure", { class: "hero__figure" }, badgeImage(d, name)),
    el(
      "div",
      { class: "hero__text" },
      el("p", { class: "hero__pills" }, pill(versionLabel(d.version), "pill--accent"), pill(formatLabel(d.format))),
      el("h2", { id: "detail-name", class: "hero__name", tabindex: "-1" }, name),
      el("p", { class: "hero__issuer" }, "Issued by ", el("span", { id: "detail-issuer" }, issuerName)),
      unnamed ? el("p", { class: "muted", id: "detail-unnamed" }, "This badge does not name itself or its issuer; Satchel shows the file it came from and the web address it names instead.") : null,
      identityLine(latest && latest.report && latest.report.issuer_identity),
      verdict(d, latest),
      el("div", { class: "button-row" }, verifyAgainButton(d), deleteButton(d, name)),
    ),
  );
}

function badgeImage(d, name) {
  const src = api.badgeImageUrl(d.id, d.imported_at);
  const img = el("img", { class: "detail__image", src, alt: `Badge image: ${name}`, width: "220", height: "220", decoding: "async" });
  img.addEventListener("error", () => img.replaceWith(noImage()));
  return img;
}

function noImage() {
  const attrs = { class: "detail__image detail__image--none", role: "img", "aria-label": "No badge image" };
  return el("div", attrs, icon("medal", "hero__placeholder-icon"));
}

function pill(text, tone = "") {
  return el("span", { class: `pill ${tone}`.trim() }, text);
}

function verdict(d, latest) {
  const info = statusInfo(d.status);
  const checked = latest
    ? ["Last checked ", when(latest.checked_at, true), latest.offline ? " (offline, with kept documents)" : ""]
    : "Not checked yet";
  return el(
    "div",
    { class: `verdict verdict--${info.tone}`, id: "detail-verdict" },
    statusMark(d.status, { id: "detail-status" }),
    el("p", { class: "verdict__lead" }, info.lead),
    el("p", { class: "verdict__when muted" }, checked),
  );
}

function verifyAgainButton(d) {
  const again = el("button", { type: "button", class: "button", id: "verify-again" }, icon("refresh"), "Verify again");
  again.addEventListener("click", async () => {
    again.disabled = true;
    try {
      await hooks.verifyAgain([d.id]);
      if (onScreen(d.id)) await showDetail(d.id);
      hooks.changed();
      $("verify-again")?.focus();
    } finally {
      again.disabled = false;
    }
  });
  return again;
}

function deleteButton(d, name) {
  const del = el("button", { type: "button", class: "button button--danger", id: "delete-badge" }, icon("trash"), "Delete");
  del.addEventListener("click", async () => {
    if (!(await confirmDialog(`Delete “${name}” from your backpack? This cannot be undone.`))) return;
    try {
      await api.deleteBadge(d.id);
      hooks.deleted(d.id);
    } catch (err) {
      showError("The badge could not be deleted", err);
    }
  });
  return del;
}

/** How the issuer is identified (the report's `issuer_identity`): the name in a
 *  badge is the issuer's own claim, the domain is what people can judge. */
function identityLine(id) {
  if (!id || typeof id.name !== "string") return null;
  let text;
  if (id.by === "web") {
    text = id.confirmed
      ? `Issuer confirmed by ${id.name}.`
      : `The issuer names the web address ${id.name}, but Satchel has not confirmed it.`;
  } else if (id.by === "key") {
    text = "The issuer is identified only by a key (did:key), not by a web address.";
  } else {
    text = `The issuer is identified by ${id.name}, not by a web address.`;
  }
  const tone = id.by === "web" && id.confirmed ? "confirmed" : "unconfirmed";
  return el("p", { class: `hero__identity hero__identity--${tone}`, id: "detail-issuer-identity" }, text);
}

function formatLabel(f) {
  const labels = { hosted: "Hosted", signed: "Signed", "vc-jwt": "VC-JWT", "data-integrity": "Data Integrity proof" };
  return labels[f] || "Unknown format";
}

// ---------------------------------------------------------------- report

function reportSection(d, latest) {
  const report = latest && latest.report;
  if (!report || !Array.isArray(report.checks)) {
    return section("Verification", el("p", { class: "muted" }, "No report is recorded for this badge."));
  }
  const order = { fail: 0, skip: 1, warn: 2, pass: 3 };
  const checks = [...report.checks].sort((a, b) => (order[a.status] ?? 9) - (order[b.status] ?? 9));
  const list = el("ul", { class: "checks", id: "checks" }, checks.map(checkItem));
  const summary = el("p", { class: "muted" }, checkCounts(report.checks));
  return section("Verification", summary, recipientNotice(d), list);
}

const IDENTITY_WORDS = { email: "email", url: "web address", telephone: "phone number", did: "DID" };

/** Whether the badge is the user's (`recipient_match`, kept up to date when
 *  identities are added or removed, not only at the last check). */
function recipientNotice(d) {
  const m = d.recipient_match || {};
  if (m.result === "matched") {
    const kind = IDENTITY_WORDS[m.kind] || "identity";
    const how = `Matched ${m.hashed ? `the badge's hash of your ${kind}` : `your ${kind} as written in the badge`}${m.lowercased ? ", in lower case" : ""}.`;
    return el("p", { class: "notice notice--info", id: "recipient-notice", title: how }, icon("check", "notice__icon"), el("span", {}, `Awarded to you (${m.identity}).`));
  }
  if (m.result === "no_match" && d.has_identities) {
    return el("p", { class: "notice notice--warning", id: "recipient-notice" }, icon("warning", "notice__icon"), el("span", {}, "The recipient matches none of your identities. If this badge is yours, add the address it was sent to under Settings → Your identities."));
  }
  return null;
}

/** "3 passed · 1 note" */
export function checkCounts(checks) {
  const counts = ["pass", "fail", "warn", "skip"].map((s) => [s, checks.filter((c) => c.status === s).length]);
  return counts
    .filter(([, n]) => n)
    .map(([s, n]) => `${n} ${CHECK_STATUS[s].label.toLowerCase()}`)
    .join(" · ");
}

export function checkItem(c) {
  const info = CHECK_STATUS[c.status] || CHECK_STATUS.skip;
  const facts = el(
    "dl",
    { class: "facts facts--compact" },
    fact("Check", el("code", {}, c.id)),
    fact("Result", info.label),
    c.detail ? fact("Detail", el("code", { class: "break" }, c.detail)) : null,
  );
  const tech = el("details", { class: "check__tech" }, el("summary", {}, "Technical detail"), facts);
  const body = el("div", { class: "check__body" }, el("p", { class: "check__message" }, c.message), tech);
  return el("li", { class: `check check--${info.tone}`, "data-check": c.id, "data-result": c.status }, icon(info.icon, "check__icon"), body);
}

// ---------------------------------------------------------------- about

function aboutSections(d, badge) {
  const out = [];
  if (badge.description) out.push(section("Description", prose(badge.description)));
  out.push(criteriaSection(badge.criteria || {}));
  out.push(issuerSection(d, badge.issuer || {}));
  out.push(datesSection(d, badge));
  if (Array.isArray(badge.recipient) && badge.recipient.length) {
    out.push(section("Recipient", el("ul", { class: "plain-list" }, badge.recipient.map(recipientItem))));
  }
  if (badge.narrative) out.push(section("Narrative", prose(badge.narrative)));
  if (Array.isArray(badge.evidence) && badge.evidence.length) {
    out.push(section("Evidence", el("ul", { class: "item-list" }, badge.evidence.map(evidenceItem))));
  }
  if (Array.isArray(badge.alignments) && badge.alignments.length) {
    out.push(section("Alignments", el("ul", { class: "item-list" }, badge.alignments.map(alignmentItem))));
  }
  out.push(endorsementsSection(badge.endorsement_count));
  return out;
}

function criteriaSection(crit) {
  if (!crit.narrative && !crit.url) return null;
  const href = linkHref(crit.url);
  const link = crit.url ? el("p", {}, href ? externalLink(href, crit.narrative ? "Full criteria" : href) : crit.url) : null;
  return section("Criteria", crit.narrative ? prose(crit.narrative) : null, link);
}

function datesSection(d, badge) {
  const dates = [];
  if (badge.issued_on || d.issued_on) dates.push(fact("Issued", d.issued_on ? when(d.issued_on) : badge.issued_on));
  if (badge.expires || d.expires) {
    dates.push(fact(d.status === "expired" ? "Expired" : "Expires", d.expires ? when(d.expires) : badge.expires));
  } else {
    dates.push(fact("Expires", el("span", { class: "muted" }, "Never")));
  }
  dates.push(fact("Added to Satchel", when(d.imported_at, true)));
  return section("Dates", el("dl", { class: "facts" }, dates));
}

function recipientItem(r) {
  const kind = r.identity_type || r.type || "identity";
  const value = el("code", { class: "break" }, r.identity || r.value || "not given");
  return el("li", {}, pill(r.hashed ? `hashed ${kind}` : kind), " ", value);
}

/** A linked title, as the badge gives it. */
function itemTitle(url, title) {
  const href = linkHref(url);
  return el("p", { class: "item__title" }, href ? externalLink(href, title) : title);
}

function evidenceItem(e) {
  const title = itemTitle(e.url, e.name || e.url || "Evidence");
  return el("li", { class: "item" }, title, e.description ? prose(e.description) : null, e.narrative ? prose(e.narrative) : null);
}

function alignmentItem(a) {
  const title = itemTitle(a.url, a.name || a.url || "Alignment");
  const meta =
    a.framework || a.code
      ? el("p", { class: "item__meta" }, a.framework ? pill(a.framework) : null, a.code ? el("code", {}, a.code) : null)
      : null;
  return el("li", { class: "item" }, title, meta, a.description ? prose(a.description) : null);
}

function endorsementsSection(n) {
  const text = n ? `${plural(n, "endorsement")} attached to this badge, its achievement or its issuer.` : "No endorsements.";
  return section("Endorsements", el("p", { class: n ? "" : "muted" }, text));
}

function issuerSection(d, issuer) {
  const rows = [];
  const web = linkHref(issuer.url);
  if (issuer.url) rows.push(fact("Website", web ? externalLink(web, issuer.url) : issuer.url));
  if (issuer.email) {
    const mail = linkHref(`mailto:${issuer.email}`);
    rows.push(fact("Email", mail ? externalLink(mail, issuer.email) : issuer.email));
  }
  if (issuer.id && issuer.id !== issuer.url) rows.push(fact("Identifier", el("code", { class: "break" }, issuer.id)));
  const text = el(
    "div",
    { class: "issuer__text" },
    el("p", { class: "issuer__name" }, issuer.name || d.issuer_name || "Unknown issuer"),
    issuer.description ? prose(issuer.description) : null,
    rows.length ? el("dl", { class: "facts facts--compact" }, rows) : null,
  );
  return section("Issuer", el("div", { class: "issuer" }, issuer.image ? issuerLogo(d, issuer) : null, text));
}

function issuerLogo(d, issuer) {
  const attrs = { class: "issuer__logo", src: api.issuerImageUrl(d.id), alt: `${issuer.name || "Issuer"} logo`, width: "56", height: "56" };
  const logo = el("img", attrs);
  logo.addEventListener("error", () => logo.remove());
  return logo;
}

// ---------------------------------------------------------------- the user's own

function mineSection(d, cols) {
  // Tags
  const tagList = el("ul", { class: "tags", id: "detail-tags", "aria-label": "Tags" });
  const drawTags = (tags) => {
    tagList.replaceChildren(
      ...tags.map((t) => {
        const remove = removeChip(`Remove tag ${t}`);
        remove.addEventListener("click", async () => {
          try {
            drawTags(await api.removeTags(d.id, [t]));
            hooks.changed();
            tagInput.focus();
          } catch (err) {
            showError(`The tag “${t}” could not be removed`, err);
          }
        });
        return el("li", { class: "tag" }, el("span", {}, t), remove);
      }),
    );
    if (!tags.length) tagList.append(el("li", { class: "muted" }, "No tags yet."));
  };
  const tagAttrs = { type: "text", id: "tag-input", placeholder: "Add a tag", maxlength: "200", autocomplete: "off", "aria-label": "New tag" };
  const tagInput = el("input", tagAttrs);
  const tagForm = el("form", { class: "inline-form", novalidate: true }, tagInput, el("button", { type: "submit", class: "button" }, "Add tag"));
  tagForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const tags = tagInput.value.split(",").map((t) => t.trim()).filter(Boolean);
    if (!tags.length) return;
    try {
      drawTags(await api.addTags(d.id, tags));
      tagInput.value = "";
      hooks.changed();
    } catch (err) {
      showError("The tag could not be added", err);
    }
  });
  drawTags(d.tags || []);

  // Note
  const notePlaceholder = "Anything you want to remember about this badge (only on this computer)";
  const note = el("textarea", { id: "note-input", rows: "4", "aria-label": "Your note", placeholder: notePlaceholder });
  note.value = d.note || "";
  const noteState = el("span", { class: "muted", role: "status" });
  let savedNote = d.note || "";
  const saveNote = async () => {
    const text = note.value;
    if (text === savedNote) return;
    try {
      await api.setNote(d.id, text);
      savedNote = text;
      noteState.textContent = "Saved.";
    } catch (err) {
      noteState.textContent = "Not saved.";
      showError("The note could not be saved", err);
    }
  };
  note.addEventListener("blur", saveNote);
  const saveButton = el("button", { type: "button", class: "button" }, "Save note");
  saveButton.addEventListener("click", saveNote);

  // Collections
  const inCols = el("ul", { class: "tags", id: "detail-collections", "aria-label": "Collections" });
  const drawCols = (pairs) => {
    inCols.replaceChildren(
      ...pairs.map(([cid, cname]) => {
        const remove = removeChip(`Remove from collection ${cname}`);
        remove.addEventListener("click", () =>
          attempt(`The badge could not be removed from “${cname}”`, async () => {
            await api.removeFromCollection(cid, [d.id]);
            await refreshCols();
          }),
        );
        return el("li", { class: "tag tag--collection" }, el("span", {}, cname), remove);
      }),
    );
    if (!pairs.length) inCols.append(el("li", { class: "muted" }, "In no collection."));
    const ids = new Set(pairs.map(([cid]) => cid));
    const options = cols.filter((c) => !ids.has(c.id)).map((c) => el("option", { value: String(c.id) }, c.name));
    select.replaceChildren(el("option", { value: "" }, "Choose a collection…"), ...options);
  };
  const refreshCols = async () => {
    const fresh = await api.badgeDetail(d.id);
    if (!onScreen(d.id)) return;
    current = fresh;
    drawCols(fresh.collections);
    hooks.changed();
  };
  const select = el("select", { id: "detail-add-collection", "aria-label": "Add to collection" });
  const addButton = el("button", { type: "button", class: "button", id: "detail-add-collection-button" }, "Add to collection");
  addButton.addEventListener("click", async () => {
    if (!select.value) return;
    try {
      await api.addToCollection(Number(select.value), [d.id]);
      await refreshCols();
    } catch (err) {
      showError("The badge could not be added to the collection", err);
    }
  });
  drawCols(d.collections || []);

  return section(
    "Your tags, note and collections",
    el("h4", { class: "subhead" }, "Tags"),
    tagList,
    tagForm,
    el("h4", { class: "subhead" }, "Note"),
    note,
    el("div", { class: "button-row" }, saveButton, noteState),
    el("h4", { class: "subhead" }, "Collections"),
    inCols,
    el("div", { class: "inline-form" }, select, addButton),
  );
}

// ---------------------------------------------------------------- history and technical

function historySection(d) {
  const row = (v) =>
    el(
      "li",
      { class: "history__row" },
      when(v.checked_at, true),
      statusMark(v.status),
      v.offline ? el("span", { class: "muted" }, "offline") : null,
      v.replaced_source ? el("span", { class: "muted" }, `file replaced (it was ${v.replaced_source})`) : null,
    );
  return section("History", el("ol", { class: "history", id: "history" }, [...d.verifications].reverse().map(row)));
}

function technical(d) {
  const rows = [
    fact("Format", formatLabel(d.format)),
    fact("Version", versionLabel(d.version)),
    fact("File", d.container.toUpperCase()),
    fact("Source", el("code", { class: "break" }, d.source)),
    d.assertion_id ? fact("Assertion ID", el("code", { class: "break" }, d.assertion_id)) : null,
    fact("SHA-256", el("code", { class: "break" }, d.sha256)),
    d.documents.length ? fact("Kept documents", el("ul", { class: "plain-list" }, d.documents.map(documentItem))) : null,
  ];
  const pre = el("pre", { class: "payload", tabindex: "0", "aria-label": "Payload" }, el("code", {}, d.payload));
  const summary = el("summary", { class: "disclosure__summary" }, "Technical details");
  return el("details", { class: "card disclosure", id: "technical-details" }, summary, el("dl", { class: "facts facts--technical" }, rows), pre);
}

function documentItem(url) {
  return el("li", {}, el("code", { class: "break" }, url));
}

// ---------------------------------------------------------------- helpers

function section(title, ...content) {
  const id = `section-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return el("section", { class: "card section", "aria-labelledby": id }, el("h3", { id, class: "section__title" }, title), content);
}

function prose(text) {
  return el("p", { class: "prose" }, text);
}

function fact(label, ...value) {
  return el("div", { class: "facts__row" }, el("dt", {}, label), el("dd", {}, value));
}

function externalLink(href, text) {
  const attrs = { class: "external", href, "data-external": "true", rel: "noopener noreferrer" };
  return el("a", attrs, text, icon("external", "external__icon"));
}

function removeChip(label) {
  return el("button", { type: "button", class: "tag__remove", "aria-label": label }, icon("close"));
}


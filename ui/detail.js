// The badge detail screen: image, what the badge says, the verification
// report in plain words (technical detail one click away), history, and the
// user's own tags, note and collections. Every badge string goes in as text.

import * as api from "./api.js";
import { el, icon } from "./dom.js";
import { linkHref, plural, versionLabel } from "./format.js";
import { confirmDialog } from "./dialog.js";
import { CHECK_STATUS, statusInfo, statusMark } from "./status.js";

const $ = (id) => document.getElementById(id);

let hooks = { changed: () => {}, deleted: () => {}, toast: () => {}, verifyAgain: async () => {} };
let current = null;

export function initDetail(h) {
  hooks = { ...hooks, ...h };
}

/** Loads and shows badge `id`. */
export async function showDetail(id) {
  const body = $("detail-body");
  body.setAttribute("aria-busy", "true");
  if (!current || current.id !== id) {
    // A still placeholder of the hero's size while the badge loads, so
    // nothing jumps and the last badge never shows under the new name.
    current = null;
    body.replaceChildren(el("div", { class: "card hero detail-hero detail-skeleton", "aria-hidden": "true" }, el("div", { class: "detail__image" }), el("div", { class: "hero__text" }, el("div", { class: "skeleton-line" }), el("div", { class: "skeleton-line skeleton-line--wide" }))));
  }
  try {
    const [detail, cols] = await Promise.all([api.badgeDetail(id), api.collections()]);
    current = detail;
    body.replaceChildren(...render(detail, cols));
  } catch (err) {
    current = null;
    body.replaceChildren(el("div", { class: "error", role: "alert" }, icon("alert", "error__icon"), el("div", { class: "error__body" }, el("h2", { class: "error__title", id: "detail-name" }, "This badge could not be opened"), el("p", {}, err.message))));
  } finally {
    body.removeAttribute("aria-busy");
  }
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
  return [hero(d, badge, latest), reportSection(d, latest), aboutSections(d, badge), mineSection(d, cols), historySection(d), technical(d)].flat().filter(Boolean);
}

// ---------------------------------------------------------------- hero

function hero(d, badge, latest) {
  const name = d.name || badge.name || "Untitled badge";
  const issuerName = d.issuer_name || (badge.issuer && badge.issuer.name) || d.issuer_id || "Unknown issuer";
  const info = statusInfo(d.status);
  const img = el("img", { class: "detail__image", src: api.badgeImageUrl(d.id, d.imported_at), alt: `Badge image: ${name}`, width: "220", height: "220", decoding: "async" });
  img.addEventListener("error", () => img.replaceWith(el("div", { class: "detail__image detail__image--none", role: "img", "aria-label": "No badge image" }, icon("medal", "hero__placeholder-icon"))));
  const again = el("button", { type: "button", class: "button", id: "verify-again" }, icon("refresh"), "Verify again");
  again.addEventListener("click", async () => {
    again.disabled = true;
    try {
      await hooks.verifyAgain([d.id]);
      await showDetail(d.id);
      hooks.changed();
      $("verify-again")?.focus();
    } finally {
      again.disabled = false;
    }
  });
  const del = el("button", { type: "button", class: "button button--danger", id: "delete-badge" }, icon("trash"), "Delete");
  del.addEventListener("click", async () => {
    if (!(await confirmDialog(`Delete “${name}” from your backpack? This cannot be undone.`))) return;
    try {
      await api.deleteBadge(d.id);
      hooks.deleted(d.id);
    } catch (err) {
      hooks.toast(`The badge could not be deleted: ${err.message}`);
    }
  });
  return el(
    "header",
    { class: "card hero detail-hero" },
    el("figure", { class: "hero__figure" }, img),
    el(
      "div",
      { class: "hero__text" },
      el("p", { class: "hero__pills" }, el("span", { class: "pill pill--accent" }, versionLabel(d.version)), el("span", { class: "pill" }, formatLabel(d.format))),
      el("h2", { id: "detail-name", class: "hero__name", tabindex: "-1" }, name),
      el("p", { class: "hero__issuer" }, "Issued by ", el("span", { id: "detail-issuer" }, issuerName)),
      identityLine(latest && latest.report && latest.report.issuer_identity),
      el(
        "div",
        { class: `verdict verdict--${info.tone}`, id: "detail-verdict" },
        statusMark(d.status, { id: "detail-status" }),
        el("p", { class: "verdict__lead" }, info.lead),
        el("p", { class: "verdict__when muted" }, latest ? ["Last checked ", when(latest.checked_at, true), latest.offline ? " (offline, with kept documents)" : ""] : "Not checked yet"),
      ),
      el("div", { class: "button-row" }, again, del),
    ),
  );
}

/** How the issuer is identified (the report's `issuer_identity`): the name in a
 *  badge is the issuer's own claim, the domain is what people can judge. */
function identityLine(id) {
  if (!id || typeof id.name !== "string") return null;
  let text;
  if (id.by === "web") {
    text = id.confirmed ? `Issuer confirmed by ${id.name}.` : `The issuer names the web address ${id.name}, but Satchel has not confirmed it.`;
  } else if (id.by === "key") {
    text = "The issuer is identified only by a key (did:key), not by a web address.";
  } else {
    text = `The issuer is identified by ${id.name}, not by a web address.`;
  }
  const tone = id.by === "web" && id.confirmed ? "confirmed" : "unconfirmed";
  return el("p", { class: `hero__identity hero__identity--${tone}`, id: "detail-issuer-identity" }, text);
}

function formatLabel(f) {
  return { hosted: "Hosted", signed: "Signed", "vc-jwt": "VC-JWT", "data-integrity": "Data Integrity proof" }[f] || "Unknown format";
}

// ---------------------------------------------------------------- report

function reportSection(d, latest) {
  const report = latest && latest.report;
  if (!report || !Array.isArray(report.checks)) return section("Verification", el("p", { class: "muted" }, "No report is recorded for this badge."));
  const order = { fail: 0, skip: 1, warn: 2, pass: 3 };
  const checks = [...report.checks].sort((a, b) => (order[a.status] ?? 9) - (order[b.status] ?? 9));
  const list = el(
    "ul",
    { class: "checks", id: "checks" },
    checks.map((c) => {
      const info = CHECK_STATUS[c.status] || CHECK_STATUS.skip;
      const tech = el("details", { class: "check__tech" }, el("summary", {}, "Technical detail"), el("dl", { class: "facts facts--compact" }, fact("Check", el("code", {}, c.id)), fact("Result", info.label), c.detail ? fact("Detail", el("code", { class: "break" }, c.detail)) : null));
      return el("li", { class: `check check--${info.tone}`, "data-check": c.id, "data-result": c.status }, icon(info.icon, "check__icon"), el("div", { class: "check__body" }, el("p", { class: "check__message" }, c.message), tech));
    }),
  );
  const counts = ["pass", "fail", "warn", "skip"].map((s) => [s, report.checks.filter((c) => c.status === s).length]).filter(([, n]) => n);
  const summary = el("p", { class: "muted" }, counts.map(([s, n]) => `${n} ${CHECK_STATUS[s].label.toLowerCase()}`).join(" · "));
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

// ---------------------------------------------------------------- about

function aboutSections(d, badge) {
  const out = [];
  if (badge.description) out.push(section("Description", prose(badge.description)));
  const crit = badge.criteria || {};
  if (crit.narrative || crit.url) {
    const href = linkHref(crit.url);
    out.push(section("Criteria", crit.narrative ? prose(crit.narrative) : null, crit.url ? el("p", {}, href ? externalLink(href, crit.narrative ? "Full criteria" : href) : crit.url) : null));
  }
  out.push(issuerSection(d, badge.issuer || {}));
  const dates = [];
  if (badge.issued_on || d.issued_on) dates.push(fact("Issued", d.issued_on ? when(d.issued_on) : badge.issued_on));
  if (badge.expires || d.expires) dates.push(fact(d.status === "expired" ? "Expired" : "Expires", d.expires ? when(d.expires) : badge.expires));
  else dates.push(fact("Expires", el("span", { class: "muted" }, "Never")));
  dates.push(fact("Added to Satchel", when(d.imported_at, true)));
  out.push(section("Dates", el("dl", { class: "facts" }, dates)));
  if (Array.isArray(badge.recipient) && badge.recipient.length) {
    out.push(section("Recipient", el("ul", { class: "plain-list" }, badge.recipient.map((r) => el("li", {}, el("span", { class: "pill" }, r.hashed ? `hashed ${r.identity_type || r.type || "identity"}` : r.identity_type || r.type || "identity"), " ", el("code", { class: "break" }, r.identity || r.value || "not given"))))));
  }
  if (badge.narrative) out.push(section("Narrative", prose(badge.narrative)));
  if (Array.isArray(badge.evidence) && badge.evidence.length) {
    out.push(section("Evidence", el("ul", { class: "item-list" }, badge.evidence.map((e) => {
      const href = linkHref(e.url);
      const title = e.name || e.url || "Evidence";
      return el("li", { class: "item" }, el("p", { class: "item__title" }, href ? externalLink(href, title) : title), e.description ? prose(e.description) : null, e.narrative ? prose(e.narrative) : null);
    }))));
  }
  if (Array.isArray(badge.alignments) && badge.alignments.length) {
    out.push(section("Alignments", el("ul", { class: "item-list" }, badge.alignments.map((a) => {
      const href = linkHref(a.url);
      const title = a.name || a.url || "Alignment";
      return el("li", { class: "item" }, el("p", { class: "item__title" }, href ? externalLink(href, title) : title), a.framework || a.code ? el("p", { class: "item__meta" }, a.framework ? el("span", { class: "pill" }, a.framework) : null, a.code ? el("code", {}, a.code) : null) : null, a.description ? prose(a.description) : null);
    }))));
  }
  out.push(section("Endorsements", el("p", { class: badge.endorsement_count ? "" : "muted" }, badge.endorsement_count ? `${plural(badge.endorsement_count, "endorsement")} attached to this badge, its achievement or its issuer.` : "No endorsements.")));
  return out;
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
  let logo = null;
  if (issuer.image) {
    logo = el("img", { class: "issuer__logo", src: api.issuerImageUrl(d.id), alt: `${issuer.name || "Issuer"} logo`, width: "56", height: "56" });
    logo.addEventListener("error", () => logo.remove());
  }
  return section("Issuer", el("div", { class: "issuer" }, logo, el("div", { class: "issuer__text" }, el("p", { class: "issuer__name" }, issuer.name || d.issuer_name || "Unnamed issuer"), issuer.description ? prose(issuer.description) : null, rows.length ? el("dl", { class: "facts facts--compact" }, rows) : null)));
}

// ---------------------------------------------------------------- the user's own

function mineSection(d, cols) {
  // Tags
  const tagList = el("ul", { class: "tags", id: "detail-tags", "aria-label": "Tags" });
  const drawTags = (tags) => {
    tagList.replaceChildren(
      ...tags.map((t) => {
        const remove = el("button", { type: "button", class: "tag__remove", "aria-label": `Remove tag ${t}` }, icon("close"));
        remove.addEventListener("click", async () => {
          try {
            drawTags(await api.removeTags(d.id, [t]));
            hooks.changed();
            tagInput.focus();
          } catch (err) {
            hooks.toast(err.message);
          }
        });
        return el("li", { class: "tag" }, el("span", {}, t), remove);
      }),
    );
    if (!tags.length) tagList.append(el("li", { class: "muted" }, "No tags yet."));
  };
  const tagInput = el("input", { type: "text", id: "tag-input", placeholder: "Add a tag", maxlength: "200", autocomplete: "off", "aria-label": "New tag" });
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
      hooks.toast(err.message);
    }
  });
  drawTags(d.tags || []);

  // Note
  const note = el("textarea", { id: "note-input", rows: "4", "aria-label": "Your note", placeholder: "Anything you want to remember about this badge (only on this computer)" });
  note.value = d.note || "";
  const noteState = el("span", { class: "muted", role: "status" });
  const saveNote = async () => {
    if (note.value === (current && current.note)) return;
    try {
      await api.setNote(d.id, note.value);
      if (current) current.note = note.value;
      noteState.textContent = "Saved.";
    } catch (err) {
      noteState.textContent = `Not saved: ${err.message}`;
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
        const remove = el("button", { type: "button", class: "tag__remove", "aria-label": `Remove from collection ${cname}` }, icon("close"));
        remove.addEventListener("click", async () => {
          await api.removeFromCollection(cid, [d.id]);
          await refreshCols();
        });
        return el("li", { class: "tag tag--collection" }, el("span", {}, cname), remove);
      }),
    );
    if (!pairs.length) inCols.append(el("li", { class: "muted" }, "In no collection."));
    const ids = new Set(pairs.map(([cid]) => cid));
    select.replaceChildren(el("option", { value: "" }, "Choose a collection…"), ...cols.filter((c) => !ids.has(c.id)).map((c) => el("option", { value: String(c.id) }, c.name)));
  };
  const refreshCols = async () => {
    const fresh = await api.badgeDetail(d.id);
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
      hooks.toast(err.message);
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
  const rows = [...d.verifications].reverse().map((v) => el("li", { class: "history__row" }, when(v.checked_at, true), statusMark(v.status), v.offline ? el("span", { class: "muted" }, "offline") : null));
  return section("History", el("ol", { class: "history", id: "history" }, rows));
}

function technical(d) {
  const rows = [
    fact("Format", formatLabel(d.format)),
    fact("Version", versionLabel(d.version)),
    fact("File", d.container.toUpperCase()),
    fact("Source", el("code", { class: "break" }, d.source)),
    d.assertion_id ? fact("Assertion ID", el("code", { class: "break" }, d.assertion_id)) : null,
    fact("SHA-256", el("code", { class: "break" }, d.sha256)),
    d.documents.length ? fact("Kept documents", el("ul", { class: "plain-list" }, d.documents.map((u) => el("li", {}, el("code", { class: "break" }, u))))) : null,
  ];
  const pre = el("pre", { class: "payload", tabindex: "0", "aria-label": "Payload" }, el("code", {}, d.payload));
  return el("details", { class: "card disclosure", id: "technical-details" }, el("summary", { class: "disclosure__summary" }, "Technical details"), el("dl", { class: "facts facts--technical" }, rows), pre);
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
  return el("a", { class: "external", href, "data-external": "true", rel: "noopener noreferrer" }, text, icon("external", "external__icon"));
}


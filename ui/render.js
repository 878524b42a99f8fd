// Renders an inspection (what the Rust core found) into the result card.
// Every badge string goes in as text or as an attribute, never as markup.

import { el, icon } from "./dom.js";
import {
  containerLabel,
  formatDate,
  hostOf,
  imageSrc,
  isPast,
  kindLabel,
  linkHref,
  plural,
  prettyJson,
  slotLabel,
  versionLabel,
} from "./format.js";

/**
 * Fills `root` with the result for `inspection`.
 * `source` = { label: "badge.png" | "Pasted text", image: URL of the inspected
 * image itself (blob: or data:) or null }.
 */
export function renderResult(root, inspection, source) {
  const badge = inspection.badge;
  const parts = [hero(inspection, source)];

  parts.push(notices(inspection, source));
  if (badge) {
    parts.push(
      textSection("Description", badge.description),
      criteriaSection(badge.criteria),
      recipientSection(badge.recipient),
      issuerSection(badge.issuer),
      narrativeSection(badge.narrative),
      evidenceSection(badge.evidence),
      alignmentSection(badge.alignments),
      tagSection(badge.tags),
    );
  }
  parts.push(technicalDetails(inspection, source), payloadSection(inspection));
  root.replaceChildren(...parts.filter(Boolean));
}

// ---------------------------------------------------------------- hero

function hero(inspection, source) {
  const badge = inspection.badge;
  const isLink = inspection.payload_kind === "URL";
  const title = badge
    ? badge.name || "Untitled badge"
    : isLink
      ? "A link to a hosted badge"
      : kindLabel(inspection.kind);

  const pills = el(
    "p",
    { class: "hero__pills" },
    el("span", { id: "badge-version", class: "pill pill--accent" }, versionLabel(inspection.version)),
    el("span", { id: "badge-kind", class: "pill" }, isLink ? "Hosted badge URL" : kindLabel(inspection.kind)),
    inspection.baked ? el("span", { class: "pill" }, `Baked ${inspection.baked.format.toUpperCase()}`) : null,
    inspection.payload_kind === "JWS" ? el("span", { class: "pill" }, "Signed (JWS)") : null,
  );

  const text = el(
    "div",
    { class: "hero__text" },
    pills,
    el("h2", { id: "badge-name", class: "hero__name", tabindex: "-1" }, title),
    issuerLine(badge),
    facts(inspection, source),
  );
  return el("header", { class: "card hero" }, heroImage(inspection, source), text);
}

function issuerLine(badge) {
  if (!badge) return null;
  const issuer = badge.issuer || {};
  const name = issuer.name || issuer.url || issuer.id;
  if (!name) return el("p", { class: "hero__issuer hero__issuer--missing" }, "Issuer not named");
  const href = linkHref(issuer.url) || linkHref(issuer.id);
  const node = href
    ? externalLink(href, name, { id: "badge-issuer" })
    : el("span", { id: "badge-issuer" }, name);
  return el("p", { class: "hero__issuer" }, "Issued by ", node);
}

function facts(inspection, source) {
  const badge = inspection.badge;
  const rows = [];
  if (badge && badge.issued_on) {
    rows.push(fact("Issued", el("time", { datetime: badge.issued_on, title: badge.issued_on }, formatDate(badge.issued_on))));
  }
  if (badge && badge.expires) {
    const past = isPast(badge.expires);
    rows.push(
      fact(
        past ? "Expired" : "Expires",
        el("time", { datetime: badge.expires, title: badge.expires }, formatDate(badge.expires)),
        past ? el("span", { class: "pill pill--danger" }, "Expired") : null,
      ),
    );
  } else if (badge) {
    rows.push(fact("Expires", el("span", { class: "muted" }, "No expiry date")));
  }
  if (badge && badge.endorsement_count > 0) {
    rows.push(fact("Endorsements", plural(badge.endorsement_count, "endorsement")));
  }
  if (inspection.payload_kind === "URL") {
    const href = linkHref(inspection.payload.trim());
    rows.push(fact("Link", href ? externalLink(href, href) : inspection.payload));
  }
  rows.push(fact("Source", source.label));
  return el("dl", { class: "facts" }, rows);
}

function fact(label, ...value) {
  return el("div", { class: "facts__row" }, el("dt", {}, label), el("dd", {}, value));
}

function heroImage(inspection, source) {
  const badge = inspection.badge;
  const own = source.image && inspection.baked ? source.image : null;
  const declared = badge ? imageSrc(badge.image) : null;
  const src = own || declared;
  const alt = badge && badge.name ? `Badge image: ${badge.name}` : "Badge image";
  const host = !own && declared ? hostOf(declared) : null;
  let caption = null;
  if (own) caption = "The inspected file";
  else if (host) caption = `From ${host}`;
  else if (declared) caption = "Embedded in the badge";

  const figure = el("figure", { class: "hero__figure" });
  const placeholder = () =>
    el("div", { class: "hero__placeholder", role: "img", "aria-label": "No badge image" }, icon("medal", "hero__placeholder-icon"));
  if (src) {
    const img = el("img", { class: "hero__image", src, alt, decoding: "async", referrerpolicy: "no-referrer" });
    img.addEventListener("error", () => {
      img.replaceWith(placeholder());
      const cap = figure.querySelector("figcaption");
      if (cap) cap.textContent = host ? `Could not load it from ${host}` : "The image could not be shown";
    });
    figure.append(img);
  } else {
    figure.append(placeholder());
    caption = "No image";
  }
  if (caption) figure.append(el("figcaption", { class: "hero__caption" }, caption));
  return figure;
}

// ---------------------------------------------------------------- notices

function notices(inspection, source) {
  const list = [];
  if (source.note) {
    list.push(el("div", { class: "notice notice--info", role: "note" }, icon("info", "notice__icon"), el("p", {}, source.note)));
  }
  if (inspection.warnings && inspection.warnings.length) {
    list.push(
      el(
        "div",
        { class: "notice notice--warning", role: "note" },
        icon("warning", "notice__icon"),
        el(
          "div",
          {},
          el("p", { class: "notice__title" }, inspection.warnings.length === 1 ? "Something is odd about this badge" : `${inspection.warnings.length} things are odd about this badge`),
          el("ul", { class: "notice__list" }, inspection.warnings.map((w) => el("li", {}, w))),
        ),
      ),
    );
  }
  const badge = inspection.badge;
  if (badge && !badge.name && badge.badge_id) {
    list.push(
      el(
        "div",
        { class: "notice notice--info", role: "note" },
        icon("info", "notice__icon"),
        el("p", {}, "This badge names its badge class by URL (", el("code", { class: "break" }, badge.badge_id), "). Satchel works offline and does not fetch it yet, so the badge's name, image and issuer are not shown."),
      ),
    );
  }
  const info =
    inspection.payload_kind === "URL"
      ? "Satchel works offline and does not fetch badges from the web yet. Download the badge image or its JSON and drop it here to inspect it."
      : !badge
        ? `This Open Badges document (${kindLabel(inspection.kind)}) describes no badge award to show. Its details are below.`
        : "Inspected on this computer. Satchel has not checked this badge with its issuer, so it is not verified.";
  list.push(el("div", { class: "notice notice--info", role: "note" }, icon("info", "notice__icon"), el("p", {}, info)));
  return el("div", { class: "notices" }, list);
}

// ---------------------------------------------------------------- sections

function section(title, ...content) {
  const id = `section-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return el("section", { class: "card section", "aria-labelledby": id }, el("h3", { id, class: "section__title" }, title), content);
}

function prose(text) {
  return el("p", { class: "prose" }, text);
}

function textSection(title, text) {
  return text ? section(title, prose(text)) : null;
}

function narrativeSection(text) {
  return text ? section("Narrative", prose(text)) : null;
}

function criteriaSection(criteria) {
  if (!criteria || (!criteria.url && !criteria.narrative)) return null;
  const href = linkHref(criteria.url);
  return section(
    "Criteria",
    criteria.narrative ? prose(criteria.narrative) : null,
    criteria.url
      ? el("p", { class: "section__link" }, href ? externalLink(href, criteria.narrative ? "Full criteria" : href) : criteria.url)
      : null,
  );
}

function recipientSection(recipients) {
  if (!recipients || !recipients.length) return null;
  return section(
    recipients.length === 1 ? "Recipient" : "Recipients",
    el("ul", { class: "identity-list" }, recipients.map(identityItem)),
  );
}

/** One recipient identity; tolerant of the core's field names. */
function identityItem(r) {
  const pick = (...names) => {
    for (const n of names) {
      const v = r && r[n];
      if (typeof v === "string" && v) return v;
    }
    return null;
  };
  const rawType = pick("identity_type", "type", "kind") || "identity";
  const type = rawType.replace(/[_-]/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  const hashed = r && r.hashed === true;
  const value = pick("identity", "value", "identity_hash", "hash");
  const salt = pick("salt");
  return el(
    "li",
    { class: "identity" },
    el("span", { class: `pill ${hashed ? "pill--muted" : ""}`.trim() }, hashed ? `hashed ${type}` : type),
    value ? el("code", { class: "identity__value", title: value }, value) : el("span", { class: "muted" }, "not given"),
    salt ? el("span", { class: "identity__salt" }, "salt ", el("code", {}, salt)) : null,
  );
}

function issuerSection(issuer) {
  if (!issuer) return null;
  const { name, url, email, id, description, image } = issuer;
  if (!name && !url && !email && !id && !description) return null;
  const rows = [];
  const web = linkHref(url);
  if (url) rows.push(fact("Website", web ? externalLink(web, url) : url));
  if (email) {
    const mail = linkHref(`mailto:${email}`);
    rows.push(fact("Email", mail ? externalLink(mail, email) : email));
  }
  if (id && id !== url) rows.push(fact("Identifier", el("code", { class: "break" }, id)));
  const logo = imageSrc(image);
  return section(
    "Issuer",
    el(
      "div",
      { class: "issuer" },
      logo ? el("img", { class: "issuer__logo", src: logo, alt: "", referrerpolicy: "no-referrer" }) : null,
      el(
        "div",
        { class: "issuer__text" },
        el("p", { class: "issuer__name" }, name || "Unnamed issuer"),
        description ? prose(description) : null,
        rows.length ? el("dl", { class: "facts facts--compact" }, rows) : null,
      ),
    ),
  );
}

function evidenceSection(evidence) {
  if (!evidence || !evidence.length) return null;
  return section(
    "Evidence",
    el(
      "ul",
      { class: "item-list" },
      evidence.map((e) => {
        const href = linkHref(e.url);
        const title = e.name || e.url || "Evidence";
        return el(
          "li",
          { class: "item" },
          el("p", { class: "item__title" }, href ? externalLink(href, title) : title),
          e.description ? prose(e.description) : null,
          e.narrative ? prose(e.narrative) : null,
        );
      }),
    ),
  );
}

function alignmentSection(alignments) {
  if (!alignments || !alignments.length) return null;
  return section(
    "Alignments",
    el(
      "ul",
      { class: "item-list" },
      alignments.map((a) => {
        const href = linkHref(a.url);
        const title = a.name || a.url || "Alignment";
        return el(
          "li",
          { class: "item" },
          el("p", { class: "item__title" }, href ? externalLink(href, title) : title),
          a.framework || a.code
            ? el("p", { class: "item__meta" }, a.framework ? el("span", { class: "pill" }, a.framework) : null, a.code ? el("code", {}, a.code) : null)
            : null,
          a.description ? prose(a.description) : null,
        );
      }),
    ),
  );
}

function tagSection(tags) {
  if (!tags || !tags.length) return null;
  return section("Tags", el("ul", { class: "tags" }, tags.map((t) => el("li", { class: "tag" }, t))));
}

// ---------------------------------------------------------------- technical

function technicalDetails(inspection, source) {
  const badge = inspection.badge;
  const rows = [];
  const add = (label, value) => {
    if (value !== null && value !== undefined && value !== "") rows.push(fact(label, value));
  };
  add("Input", `${containerLabel(inspection.container)} — ${source.label}`);
  add("Payload", inspection.payload_kind);
  add("Version", versionLabel(inspection.version));
  add("Document type", inspection.kind === "AchievementCredential" ? "OpenBadgeCredential (AchievementCredential)" : kindLabel(inspection.kind));
  add("VC data model", inspection.vcdm ? `Verifiable Credentials ${inspection.vcdm}` : null);
  add("JWS algorithm", inspection.jws_alg ? el("code", {}, inspection.jws_alg) : null);
  if (inspection.baked) {
    add("Found in", inspection.baked.location);
    add("Baked slot", el("code", {}, slotLabel(inspection.baked.slot)));
    add("Verify attribute", inspection.baked.verify_attribute ? el("code", { class: "break" }, inspection.baked.verify_attribute) : null);
  }
  if (badge) {
    add("Assertion ID", badge.id ? el("code", { class: "break" }, badge.id) : null);
    add("Badge ID", badge.badge_id ? el("code", { class: "break" }, badge.badge_id) : null);
    add("Image", badge.image && !badge.image.startsWith("data:") ? el("code", { class: "break" }, badge.image) : badge.image ? "Embedded (data: URI)" : null);
  }
  const warnings = inspection.warnings || [];
  add("Warnings", warnings.length ? el("ul", { class: "plain-list" }, warnings.map((w) => el("li", {}, w))) : "None");
  return el(
    "details",
    { class: "card disclosure", id: "technical-details" },
    el("summary", { class: "disclosure__summary" }, "Technical details"),
    el("dl", { class: "facts facts--technical" }, rows),
  );
}

function payloadSection(inspection) {
  const raw = inspection.payload || "";
  const pretty = inspection.payload_kind === "JSON" ? prettyJson(raw) : null;
  const code = el("code", {}, pretty || raw);
  const pre = el("pre", { id: "badge-payload", class: "payload", tabindex: "0", "aria-label": "Payload" }, code);
  let toggle = null;
  if (pretty && pretty !== raw) {
    const box = el("input", { type: "checkbox", id: "payload-formatted", checked: true });
    box.addEventListener("change", () => {
      code.textContent = box.checked ? pretty : raw;
    });
    toggle = el("label", { class: "toggle", for: "payload-formatted" }, box, " Formatted");
  }
  const size = new TextEncoder().encode(raw).length;
  return el(
    "details",
    { class: "card disclosure", id: "payload-details" },
    el("summary", { class: "disclosure__summary" }, `Payload`, el("span", { class: "disclosure__meta" }, `${inspection.payload_kind} · ${plural(size, "byte")}`)),
    el("div", { class: "payload__toolbar" }, el("span", { class: "muted" }, toggle ? "Shown formatted; the text itself is unchanged." : "Exactly as given."), toggle),
    pre,
  );
}

// ---------------------------------------------------------------- links

function externalLink(href, text, attrs = {}) {
  return el("a", { ...attrs, class: "external", href, "data-external": "true", rel: "noopener noreferrer" }, text, icon("external", "external__icon"));
}

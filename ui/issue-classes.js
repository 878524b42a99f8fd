// Issue mode's badge classes: the list (image, name, awards, format) and the
// editor with a live preview of the badge page. Images come by drop, the
// native picker or the designer, and are checked by the core (square, size,
// SVG safety) before anything is saved. Criteria are Markdown; the preview
// shows the core's safe HTML rebuilt here from an allow-list of elements,
// with every piece of text set as text.

import * as api from "./api.js";
import { el } from "./dom.js";
import { plural } from "./format.js";
import { currentIssuer, onIssuerChanged, registerIssueScreen, showIssueScreen } from "./issue.js";
import { imageField } from "./issue-setup.js";
import { openDesigner } from "./designer.js";
import { latestOnly } from "./latest.js";
import { toast } from "./notify.js";

const $ = (id) => document.getElementById(id);
const FORMATS = { ob3: "Open Badges 3.0", "ob2-hosted": "Open Badges 2.0 hosted", "ob2-signed": "Open Badges 2.0 signed" };

// ---------------------------------------------------------------- list

const takeList = latestOnly();

async function drawList() {
  const issuer = currentIssuer();
  if (!issuer) return;
  const fresh = takeList();
  let list;
  try {
    list = await api.classes(issuer.id);
  } catch (err) {
    if (fresh()) toast(`The badge classes could not be read: ${err.message}`);
    return;
  }
  if (!fresh()) return;
  $("classes-empty").hidden = list.length > 0;
  $("class-list").hidden = list.length === 0;
  $("class-list").replaceChildren(
    ...list.map((c) => {
      const open = el(
        "button",
        { type: "button", class: "class-card", "data-id": String(c.id), "aria-label": `${c.name}, ${plural(c.awards, "award")}` },
        el("img", { class: "class-card__image", src: c.image_uri, alt: "", width: "112", height: "112" }),
        el("span", { class: "class-card__name" }, c.name),
        el("span", { class: "class-card__meta" }, `${plural(c.awards, "award")}`),
        el("span", { class: "class-card__format" }, FORMATS[c.format] || c.format),
      );
      open.addEventListener("click", () => showIssueScreen("class", { id: c.id }));
      return el("li", {}, open);
    }),
  );
}

// ---------------------------------------------------------------- markdown preview

const ALLOWED = new Set(["P", "UL", "OL", "LI", "STRONG", "EM", "CODE", "PRE", "BLOCKQUOTE", "H1", "H2", "H3", "H4", "H5", "H6", "BR", "HR", "A", "DEL"]);

/** Rebuilds `html` (the core's safe Markdown output) as nodes: allowed
 *  elements only, no attributes but an http(s) link's address, text as text. */
function safeNodes(html) {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const copy = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.data);
    if (node.nodeType !== Node.ELEMENT_NODE) return null;
    const children = [...node.childNodes].map(copy).filter(Boolean);
    if (!ALLOWED.has(node.tagName)) return children.length ? el("span", {}, children) : null;
    if (node.tagName === "A") {
      const href = node.getAttribute("href") || "";
      const ok = /^https?:\/\//i.test(href);
      return el("a", { href: ok ? href : null, "data-external": ok ? "true" : null }, children);
    }
    return el(node.tagName.toLowerCase(), {}, children);
  };
  return [...doc.body.childNodes].map(copy).filter(Boolean);
}

// ---------------------------------------------------------------- editor

let image = null;
let editing = null; // the class shown, or null for a new one
const takePreview = latestOnly();
let previewTimer = null;

function tagsOf(text) {
  return text
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
}

// ---------------------------------------------------------------- alignments

const ALIGNMENT_FIELDS = [
  ["targetName", "Name", "text", "Programming"],
  ["targetUrl", "Web address", "url", "https://…"],
  ["targetFramework", "Framework", "text", "optional"],
  ["targetCode", "Code", "text", "optional"],
];

function alignmentRow(a = {}) {
  const row = el("li", { class: "alignment-row" });
  const inputs = ALIGNMENT_FIELDS.map(([key, text, type, placeholder]) =>
    el(
      "label",
      { class: "alignment-row__field" },
      el("span", { class: "alignment-row__label" }, text),
      el("input", { type, "data-key": key, value: a[key] || "", placeholder, autocomplete: "off", spellcheck: "false" }),
    ),
  );
  const remove = el("button", { type: "button", class: "icon-button alignment-row__remove", title: "Remove this alignment" }, el("span", { class: "icon icon--close", "aria-hidden": "true" }));
  remove.addEventListener("click", () => {
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    numberAlignments();
    drawPreview();
    (next ? next.querySelector("input") : $("class-alignment-add")).focus();
  });
  row.append(...inputs, remove);
  return row;
}

/** Labels each row's controls with its number, for screen readers. */
function numberAlignments() {
  [...$("class-alignments").children].forEach((row, i) => {
    for (const input of row.querySelectorAll("input")) {
      const label = ALIGNMENT_FIELDS.find(([key]) => key === input.dataset.key)[1];
      input.setAttribute("aria-label", `Alignment ${i + 1}: ${label}`);
    }
    row.querySelector(".alignment-row__remove").setAttribute("aria-label", `Remove alignment ${i + 1}`);
  });
}

function alignments() {
  return [...$("class-alignments").children]
    .map((row) => Object.fromEntries([...row.querySelectorAll("input")].map((i) => [i.dataset.key, i.value.trim()])))
    .filter((a) => Object.values(a).some(Boolean));
}

function drawAlignments(list) {
  $("class-alignments").replaceChildren(...list.map((a) => alignmentRow(a)));
  numberAlignments();
}

function drawPreview() {
  const issuer = currentIssuer();
  $("class-preview-name").textContent = $("class-name").value.trim() || "Badge name";
  $("class-preview-issuer").textContent = issuer ? `Issued by ${issuer.name}` : "";
  $("class-preview-description").textContent = $("class-description").value.trim() || "What the badge is for.";
  const aligned = alignments().filter((a) => a.targetName);
  $("class-preview-alignments-title").hidden = aligned.length === 0;
  $("class-preview-alignments").replaceChildren(
    ...aligned.map((a) => {
      const code = [a.targetFramework, a.targetCode].filter(Boolean).join(" ");
      const ok = /^https?:\/\//i.test(a.targetUrl);
      return el("li", {}, el("a", { href: ok ? a.targetUrl : null, "data-external": ok ? "true" : null }, a.targetName), code ? ` (${code})` : "");
    }),
  );
  $("class-preview-tags").replaceChildren(...tagsOf($("class-tags").value).map((t) => el("li", { class: "tag" }, t)));
  clearTimeout(previewTimer);
  previewTimer = setTimeout(async () => {
    const fresh = takePreview();
    const text = $("class-criteria").value;
    try {
      const html = await api.criteriaPreview(text);
      if (fresh()) $("class-preview-criteria").replaceChildren(...safeNodes(html));
    } catch {
      if (fresh()) $("class-preview-criteria").textContent = text;
    }
  }, 150);
}

function drawImagePreview(uri) {
  const img = $("class-preview-image");
  img.hidden = !uri;
  if (uri) img.src = uri;
}

function fill(c, format = "ob3") {
  editing = c;
  $("class-title").textContent = c ? c.name : "New badge class";
  $("class-name").value = c ? c.name : "";
  $("class-description").value = c ? c.description : "";
  $("class-criteria").value = c ? c.criteria : "";
  $("class-criteria-url").value = c ? c.criteria_url || "" : "";
  $("class-tags").value = c ? c.tags.join(", ") : "";
  drawAlignments(c ? c.alignments : []);
  const valid = c ? c.valid_for || "" : "";
  const select = $("class-valid");
  if (valid && ![...select.options].some((o) => o.value === valid)) select.append(el("option", { value: valid }, valid));
  select.value = valid;
  $("class-format").value = c ? c.format : format;
  $("class-format").disabled = Boolean(c);
  $("class-suspendable").checked = c ? c.suspendable : false;
  $("class-suspendable").disabled = Boolean(c);
  $("class-suspendable-row").hidden = $("class-format").value !== "ob3";
  $("class-award").hidden = !c;
  $("class-error").textContent = "";
  for (const id of ["class-name", "class-description", "class-criteria"]) $(id).removeAttribute("aria-invalid");
  image.reset(c ? c.image_uri : null);
  drawImagePreview(c ? c.image_uri : null);
  drawPreview();
}

function form() {
  return {
    name: $("class-name").value.trim(),
    description: $("class-description").value.trim(),
    image: image.path(),
    criteria: $("class-criteria").value,
    criteria_url: $("class-criteria-url").value.trim(),
    format: $("class-format").value,
    suspendable: $("class-suspendable").checked,
    vc_jwt: editing ? editing.vc_jwt : false,
    valid_for: $("class-valid").value,
    tags: tagsOf($("class-tags").value),
    alignments: alignments(),
  };
}

function missing(f) {
  if (!editing && !f.image) return ["class-image-pick", "Give the badge an image: choose one, drop one, or design one."];
  if (!f.name) return ["class-name", "Give the badge class a name."];
  if (!f.description) return ["class-description", "Describe what the badge is for."];
  if (!f.criteria.trim() && !f.criteria_url) return ["class-criteria", "Say what it takes to earn the badge (criteria), or give a criteria page."];
  return null;
}

async function save(e) {
  e.preventDefault();
  const issuer = currentIssuer();
  if (!issuer) return;
  const f = form();
  for (const id of ["class-name", "class-description", "class-criteria"]) $(id).removeAttribute("aria-invalid");
  const gap = missing(f);
  if (gap) {
    $(gap[0]).setAttribute("aria-invalid", "true");
    $("class-error").textContent = gap[1];
    $(gap[0]).focus();
    return;
  }
  const button = $("class-save");
  button.disabled = true;
  $("class-error").textContent = "";
  try {
    const saved = editing ? await api.editClass(editing.id, f) : await api.createClass(issuer.id, f);
    const created = !editing;
    fill(saved);
    toast(created ? `Badge class “${saved.name}” saved.` : `Changes to “${saved.name}” saved.`, "info");
    $("status").textContent = `Badge class ${saved.name} saved.`;
  } catch (err) {
    $("class-error").textContent = `The badge class was not saved: ${err.message}`;
  } finally {
    button.disabled = false;
  }
}

async function design() {
  const made = await openDesigner({ title: $("class-name").value.trim() });
  if (made) await image.set(made.path);
  $("class-image-design").focus();
}

registerIssueScreen("classes", {
  init() {
    $("class-new").addEventListener("click", () => showIssueScreen("class", {}));
    $("class-new-empty").addEventListener("click", () => showIssueScreen("class", {}));
  },
  show: drawList,
});

registerIssueScreen("class", {
  init(section) {
    image = imageField("class-image", {
      title: "Choose a badge image",
      onChange: (checked) => drawImagePreview(checked.uri),
    });
    $("class-form").addEventListener("submit", save);
    $("class-back").addEventListener("click", () => showIssueScreen("classes"));
    $("class-image-design").addEventListener("click", design);
    $("class-award").addEventListener("click", () => editing && showIssueScreen("award", { classId: editing.id }));
    $("class-format").addEventListener("change", () => {
      $("class-suspendable-row").hidden = $("class-format").value !== "ob3";
    });
    for (const id of ["class-name", "class-description", "class-criteria", "class-tags", "class-alignments"]) {
      $(id).addEventListener("input", drawPreview);
    }
    $("class-alignment-add").addEventListener("click", () => {
      const row = alignmentRow();
      $("class-alignments").append(row);
      numberAlignments();
      row.querySelector("input").focus();
    });
    section.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !(e.target instanceof HTMLTextAreaElement) && !document.querySelector("dialog[open]")) {
        e.preventDefault();
        showIssueScreen("classes");
      }
    });
  },
  async show(section, params) {
    section.scrollTop = 0;
    if (params && params.id) {
      try {
        fill(await api.badgeClass(params.id));
      } catch (err) {
        toast(`The badge class could not be opened: ${err.message}`);
        showIssueScreen("classes");
      }
    } else {
      const issuer = currentIssuer();
      fill(null, issuer ? await api.defaultFormat(issuer.id).catch(() => "ob3") : "ob3");
    }
  },
  drop: (paths) => image.drop(paths),
});

onIssuerChanged(() => {
  if (document.body.dataset.issueScreen === "classes") drawList();
});

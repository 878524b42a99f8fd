// The share preview: before any folder is chosen, what the share pages will
// publish (each badge, whether its original file, the recipient's name and
// the evidence are included, and the warnings), with the options as
// checkboxes that update the list. "Choose folder and publish" then writes
// exactly what was shown (the core builds the pages from the same plan).

import * as api from "./api.js";
import { el } from "./dom.js";
import { plural } from "./format.js";
import { latestOnly } from "./latest.js";
import { showError } from "./notify.js";

const OPTIONS = [
  ["include_recipient_name", "Show the recipient's name"],
  ["include_evidence", "Show the evidence"],
  ["leave_out_originals", "Leave the original files out"],
];

/** Resolves to the chosen options, or null when cancelled. */
export function sharePreview(collection) {
  return new Promise((resolve) => {
    const options = { include_recipient_name: false, include_evidence: false, leave_out_originals: false };
    const summary = el("p", { class: "share__summary", id: "share-summary", "aria-live": "polite" }, "Preparing the preview…");
    const list = el("ul", { class: "share__badges", id: "share-badges" });
    const boxes = OPTIONS.map(([key, label]) => {
      const box = el("input", { type: "checkbox", id: `share-${key.replaceAll("_", "-")}` });
      box.addEventListener("change", () => {
        options[key] = box.checked;
        refresh();
      });
      return el("label", { class: "share__option" }, box, " ", label);
    });
    const cancel = el("button", { type: "button", class: "button", id: "share-cancel" }, "Cancel");
    const publish = el("button", { type: "button", class: "button button--primary", id: "share-publish" }, "Choose folder and publish");
    const dialog = el(
      "dialog",
      { class: "confirm confirm--wide share", "aria-labelledby": "share-title" },
      el("h2", { id: "share-title", class: "confirm__title" }, `Share “${collection.name}”`),
      el("fieldset", { class: "share__options" }, el("legend", {}, "What the pages show"), boxes),
      summary,
      list,
      el("div", { class: "button-row confirm__actions" }, cancel, publish),
    );
    const take = latestOnly();
    const refresh = async () => {
      const current = take();
      publish.disabled = true;
      try {
        const plan = await api.sharePlan(collection.id, { ...options });
        if (!current()) return;
        draw(plan, summary, list);
        publish.disabled = false;
      } catch (err) {
        if (current()) showError("The share preview could not be made", err);
      }
    };
    const finish = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    cancel.addEventListener("click", () => finish(null));
    publish.addEventListener("click", () => finish({ ...options }));
    dialog.addEventListener("cancel", (e) => {
      e.preventDefault();
      finish(null);
    });
    document.body.append(dialog);
    dialog.showModal();
    publish.focus();
    refresh();
  });
}

function draw(plan, summary, list) {
  const n = plan.badges.length;
  summary.textContent =
    `${plural(n, "badge")} will be published: ${plan.originals} of ${n} with the original file; ` +
    `the recipient's name on ${plural(plan.recipient_names, "page")}; evidence on ${plural(plan.evidence, "page")}.` +
    (plan.warnings ? ` ${plural(plan.warnings, "warning")} below.` : "");
  list.replaceChildren(
    ...plan.badges.map((b) =>
      el(
        "li",
        { class: "share__badge", "data-page": b.page },
        el("span", { class: "share__name" }, b.name),
        el("span", { class: "share__what muted" }, inclusions(b)),
        b.warnings.length ? el("ul", { class: "share__warnings" }, b.warnings.map((w) => el("li", { class: "share__warning" }, warningText(w, b.page)))) : null,
      ),
    ),
  );
}

function inclusions(b) {
  const said = [
    b.original ? "Original file included" : b.plaintext_email ? "Original file left out (it shows the recipient's email address)" : "Original file left out",
  ];
  if (b.names_recipient) said.push(b.recipient_name_shown ? "recipient's name shown" : "recipient's name hidden");
  if (b.evidence) said.push(b.evidence_shown ? "evidence shown" : "evidence hidden");
  return said.join(" · ");
}

/** A warning without the page path it starts with (the badge is named above it). */
function warningText(w, page) {
  const rest = w.startsWith(`${page}: `) ? w.slice(page.length + 2) : w.startsWith(`${page} `) ? `This page ${w.slice(page.length + 1)}` : w;
  return `${rest.charAt(0).toUpperCase()}${rest.slice(1)}.`;
}

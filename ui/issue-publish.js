// Issue mode's publish screen: the folder to publish into (chosen with the
// system's dialog, remembered per issuer), what will change since the last
// publish (new, changed and removed files), publishing it (every award is
// checked first), and plain instructions for putting the folder online at
// the issuer's base URL.

import * as api from "./api.js";
import { el, icon } from "./dom.js";
import { plural } from "./format.js";
import { latestOnly } from "./latest.js";
import { runJob } from "./jobs.js";
import { attempt, showError, toast } from "./notify.js";
import { currentIssuer, refreshIssueWarnings, registerIssueScreen, setIssueWarningSource } from "./issue.js";

const SHOWN_FILES = 200;
const WHEN = new Intl.DateTimeFormat(undefined, { dateStyle: "long", timeStyle: "short" });
const $ = (id) => document.getElementById(id);
const load = latestOnly();
let body = null;

registerIssueScreen("publish", { init, show });

// The banner on every Issue screen while something waits to be published.
setIssueWarningSource(async (issuer) => {
  const st = await api.publishState(issuer.id);
  if (!st.pending) return null;
  return st.published
    ? "Some changes (awards, revocations, suspensions or edits) are not published yet: publish again so recipients' backpacks see them."
    : `${plural(st.awards, "awarded badge")} will not verify until you publish (Publish tab).`;
});

function init(section) {
  const heading = section.querySelector("h2");
  const page = el("div", { class: "page publish" });
  if (heading) {
    heading.classList.add("page__title");
    heading.id = heading.id || "publish-title";
    page.append(heading);
  }
  body = el("div", { id: "publish-body" });
  page.append(body);
  section.append(page);
}

async function show() {
  const issuer = currentIssuer();
  if (!issuer) return;
  const fresh = load();
  const st = await attempt("The publish state could not be read", () => api.publishState(issuer.id));
  if (!st || !fresh()) return;
  render(issuer, st);
  if (st.folder) preview(issuer, fresh);
}

function render(issuer, st) {
  const choose = el("button", { type: "button", class: "button", id: "publish-choose" }, icon("folder"), st.folder ? "Choose another folder…" : "Choose folder…");
  choose.addEventListener("click", async () => {
    const next = await attempt("The folder could not be chosen", () => api.choosePublishFolder(issuer.id));
    if (next) show();
  });
  const folder = el(
    "section",
    { class: "panel", "aria-labelledby": "publish-folder-title" },
    el("h3", { id: "publish-folder-title", class: "panel__title" }, "Publish folder"),
    el("p", { class: "field-help" }, "Satchel writes everything recipients' backpacks need to check your badges into one folder: your profile, keys, badge classes, the hosted badges and the revocation lists. You then put that folder online."),
    st.folder ? el("p", {}, el("code", { class: "break", id: "publish-folder" }, st.folder)) : el("p", { class: "muted", id: "publish-folder-none" }, "No folder chosen yet. An empty folder, or one Satchel published into before."),
    el("div", { class: "button-row" }, choose, st.folder ? openButton(issuer) : null),
    el("p", { class: "field-help", id: "publish-last" }, st.published ? `Last published ${WHEN.format(new Date(st.published * 1000))}.` : "Not published from here yet."),
  );
  // What waits to be published is the Issue screens' banner (below); this
  // says when all is done.
  const done = st.published ? "Everything is published; upload the folder if you have not yet." : "Nothing to publish yet.";
  const warning = st.pending ? null : el("p", { class: "notice notice--info", id: "publish-uptodate" }, icon("check", "notice__icon"), el("span", {}, done));
  const changes = el(
    "section",
    { class: "panel", "aria-labelledby": "publish-changes-title" },
    el("h3", { id: "publish-changes-title", class: "panel__title" }, "What will change"),
    el("div", { id: "publish-preview", "aria-live": "polite" }, el("p", { class: "muted" }, st.folder ? "Looking…" : "Choose a folder to see what will change.")),
  );
  body.replaceChildren(...[warning, folder, changes, instructions(st)].filter(Boolean));
}

function openButton(issuer) {
  const b = el("button", { type: "button", class: "button button--quiet", id: "publish-open" }, "Open folder");
  b.addEventListener("click", () => attempt("The folder could not be opened", () => api.openPublishFolder(issuer.id)));
  return b;
}

async function preview(issuer, fresh) {
  let p;
  try {
    p = await api.publishPreview(issuer.id);
  } catch (err) {
    if (!fresh()) return;
    $("publish-preview").replaceChildren(el("p", { class: "form-error", role: "alert" }, err.message));
    return;
  }
  if (!fresh()) return;
  const nothing = !p.added.length && !p.changed.length && !p.removed.length;
  const go = el("button", { type: "button", class: "button button--primary", id: "publish-go", disabled: nothing ? true : null }, "Publish");
  go.addEventListener("click", () => publish(issuer));
  $("publish-preview").replaceChildren(
    ...[
    el("p", { id: "publish-summary" }, nothing ? "The folder is up to date: nothing would change." : `${plural(p.added.length, "new file")}, ${plural(p.changed.length, "changed file")}, ${plural(p.removed.length, "removed file")}.`),
    fileList("New", "publish-added", p.added),
    fileList("Changed", "publish-changed", p.changed),
    fileList("Removed", "publish-removed", p.removed),
    el("div", { class: "button-row" }, go),
    ].filter(Boolean),
  );
}

function fileList(title, id, files) {
  if (!files.length) return null;
  const shown = files.slice(0, SHOWN_FILES);
  return el(
    "details",
    { class: "publish-files", open: files.length <= 12 ? true : null },
    el("summary", {}, `${title} (${files.length})`),
    el("ul", { class: "plain-list", id }, shown.map((f) => el("li", {}, el("code", { class: "break" }, f)))),
    files.length > shown.length ? el("p", { class: "field-help" }, `and ${files.length - shown.length} more.`) : null,
  );
}

async function publish(issuer) {
  try {
    const r = await runJob("Checking every award and publishing…", () => api.publishIssuer(issuer.id));
    toast(`Published ${plural(r.files, "file")} to ${r.folder}.`, "info");
    refreshIssueWarnings();
    await show();
    const heading = $("publish-changes-title");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  } catch (err) {
    showError("The folder was not published", err);
  }
}

function instructions(st) {
  const base = st.base_url;
  return el(
    "section",
    { class: "panel", "aria-labelledby": "publish-howto-title" },
    el("h3", { id: "publish-howto-title", class: "panel__title" }, "Putting it online"),
    el("p", {}, "Upload everything inside the publish folder (not the folder itself) so that it appears at ", el("code", { class: "break", id: "publish-base" }, base), ". For example, this address must then open:"),
    el("p", {}, el("code", { class: "break" }, `${base}manifest.json`)),
    el(
      "ul",
      { class: "plain-list field-help" },
      el("li", {}, el("strong", {}, "GitHub Pages: "), "copy the folder's contents into your Pages repository (or its docs folder), commit and push."),
      el("li", {}, el("strong", {}, "Netlify: "), "drag the folder onto your site's Deploys page."),
      el("li", {}, el("strong", {}, "A school or club web space: "), "upload the contents with the file manager or an FTP program into the folder the address points at."),
    ),
    el("p", { class: "field-help" }, "Publish and upload again after every award, revocation or suspension, so recipients' backpacks see it."),
  );
}

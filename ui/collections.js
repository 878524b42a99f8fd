// The Collections screen: create, rename, describe, delete, reorder, add
// and remove badges (drag and drop, buttons, and Alt+Arrow keys), and share
// a collection as static pages. Adding several badges in a row is quick: the
// find box keeps its words and the screen its place after each Add, badges
// can be ticked and added together, and Enter adds the one badge found.

import * as api from "./api.js";
import { el, icon } from "./dom.js";
import { badgeTitle, plural } from "./format.js";
import { confirmDialog } from "./dialog.js";
import { runJob } from "./jobs.js";
import { sharePreview } from "./share.js";
import { latestOnly } from "./latest.js";
import { attempt, showError, toast } from "./notify.js";
import { statusMark } from "./status.js";

const $ = (id) => document.getElementById(id);
const DRAG_TYPE = "application/x-satchel-badge";

let hooks = { changed: () => {}, open: () => {} };
let selected = null;
let list = [];
// Answers to an older request are dropped (see latest.js).
const listLoad = latestOnly();
const viewLoad = latestOnly();
const pickerLoad = latestOnly();
/** The find box's words and the ticked badges, kept while one collection stays on screen. */
let picking = { collection: null, query: "", ticked: new Set() };

export function initCollections(h) {
  hooks = { ...hooks, ...h };
  $("collection-new").addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = $("collection-name-input");
    const name = input.value.trim();
    if (!name) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    try {
      const made = await api.createCollection(name, "");
      input.value = "";
      input.removeAttribute("aria-invalid");
      selected = made.id;
      await showCollections();
      hooks.changed();
      $("collection-title")?.focus();
    } catch (err) {
      showError("The collection could not be created", err);
    }
  });
}

/** Reloads the list and the selected collection. */
export async function showCollections() {
  const fresh = listLoad();
  try {
    const answer = await api.collections();
    if (!fresh()) return;
    list = answer;
  } catch (err) {
    if (fresh()) showError("The collections could not be read", err);
    return;
  }
  if (!list.some((c) => c.id === selected)) selected = list.length ? list[0].id : null;
  const ul = $("collection-list");
  ul.replaceChildren(...list.map(collectionItem));
  if (!list.length) ul.append(el("li", { class: "muted side-empty" }, "No collections yet. Name one above to start."));
  await renderSelected();
}

/** Whatever changed in a collection: the list, the view and the backpack catch up. */
async function changedCollections() {
  await showCollections();
  hooks.changed();
}

function collectionItem(c) {
  const attrs = { type: "button", class: "collection-item", "aria-current": c.id === selected ? "true" : null, "data-id": String(c.id) };
  const name = el("span", { class: "collection-item__name" }, c.name);
  const b = el("button", attrs, name, el("span", { class: "collection-item__count" }, String(c.count)));
  b.addEventListener("click", () => {
    selected = c.id;
    showCollections();
  });
  // Drop a badge on a collection in the list to add it.
  acceptBadges(b, async (ids) => {
    await api.addToCollection(c.id, ids);
    await changedCollections();
  });
  return el("li", {}, b);
}

function acceptBadges(node, onDrop) {
  node.addEventListener("dragover", (e) => {
    if (e.dataTransfer && [...e.dataTransfer.types].includes(DRAG_TYPE)) {
      e.preventDefault();
      e.stopPropagation();
      e.dataTransfer.dropEffect = "copy";
      node.classList.add("is-drop-target");
    }
  });
  node.addEventListener("dragleave", () => node.classList.remove("is-drop-target"));
  node.addEventListener("drop", (e) => {
    node.classList.remove("is-drop-target");
    const id = e.dataTransfer && e.dataTransfer.getData(DRAG_TYPE);
    if (!id) return;
    e.preventDefault();
    e.stopPropagation();
    onDrop([Number(id)], e).catch((err) => showError("The badge could not be added", err));
  });
}

/** Lets a badge row be dragged onto a collection or a place in one. */
function dragBadge(node, id, effect) {
  node.addEventListener("dragstart", (e) => {
    e.dataTransfer.setData(DRAG_TYPE, String(id));
    e.dataTransfer.setData("text/plain", String(id));
    e.dataTransfer.effectAllowed = effect;
  });
}

async function renderSelected() {
  const fresh = viewLoad();
  const c = list.find((x) => x.id === selected);
  if (!c) {
    $("collection-view").replaceChildren(emptyView());
    delete $("collection-view").dataset.id;
    return;
  }
  let page;
  try {
    page = await api.listBadges({ collection: c.id, sort: "imported", limit: 1000, offset: 0, status: [], reverse: false });
  } catch (err) {
    if (fresh()) showError(`The badges of “${c.name}” could not be read`, err);
    return;
  }
  if (!fresh()) return;
  const items = page.items;
  if (picking.collection !== c.id) picking = { collection: c.id, query: "", ticked: new Set() };
  for (const b of items) picking.ticked.delete(b.id);
  // The same collection drawn again (after an Add): the screen keeps its place.
  const view = $("collection-view");
  const again = view.dataset.id === String(c.id);
  const place = again ? keptPlace(view) : null;
  // The picker is filled before it is shown, so the screen never draws it empty.
  const picker = pickerSection(c, items);
  await picker.fill();
  if (!fresh()) return;
  view.dataset.id = String(c.id);
  view.replaceChildren(head(c, items), descriptionSection(c), membersSection(c, items), picker.section);
  if (place) place.restore();
}

/** Where the view and the picker are scrolled to and whether the find box has focus. */
function keptPlace(view) {
  const top = view.scrollTop;
  const pickerTop = $("collection-picker")?.scrollTop || 0;
  // Focus in the find box or on an Add button goes back to the find box, ready for the next badge.
  const active = document.activeElement;
  const focused = active && (active.id === "collection-picker-search" || active.closest(".picker, #collection-add-selected"));
  return {
    restore() {
      view.scrollTop = top;
      const picker = $("collection-picker");
      if (picker) picker.scrollTop = pickerTop;
      if (focused) $("collection-picker-search")?.focus({ preventScroll: true });
    },
  };
}

function emptyView() {
  const lead =
    "A collection is an ordered set of badges, for a job application, a portfolio or a course. Create one on the left, add badges, and share it as web pages.";
  const title = el("h3", { class: "empty__title" }, "Group your badges");
  return el("div", { class: "empty empty--small" }, title, el("p", { class: "empty__lead" }, lead));
}

/** A card with a titled section; `id` names its heading. */
function card(id, title, ...content) {
  const heading = el("h3", { class: "section__title", id }, title);
  return el("section", { class: "card section", "aria-labelledby": id }, heading, content);
}

// ---------------------------------------------------------------- head

function head(c, items) {
  const title = el("h2", { id: "collection-title", class: "page__title", tabindex: "-1" }, c.name);
  const node = el("div", { class: "collection-head" });
  const buttons = el("div", { class: "button-row" }, renameButton(c, node), shareButton(c, items), deleteButton(c));
  node.append(title, buttons);
  return node;
}

function renameButton(c, headNode) {
  const rename = el("button", { type: "button", class: "button", id: "collection-rename" }, "Rename");
  rename.addEventListener("click", () => {
    const form = renameForm(c);
    headNode.replaceWith(form);
    const input = form.querySelector("input");
    input.focus();
    input.select();
  });
  return rename;
}

function renameForm(c) {
  const input = el("input", { type: "text", value: c.name, "aria-label": "Collection name", maxlength: "200", id: "collection-rename-input" });
  const save = el("button", { type: "submit", class: "button button--primary" }, "Save");
  const cancel = el("button", { type: "button", class: "button" }, "Cancel");
  const form = el("form", { class: "inline-form", novalidate: true }, input, save, cancel);
  cancel.addEventListener("click", () => renderSelected());
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api.renameCollection(c.id, input.value);
      await changedCollections();
      $("collection-title")?.focus();
    } catch (err) {
      showError("The collection could not be renamed", err);
    }
  });
  return form;
}

function shareButton(c, items) {
  const share = el("button", { type: "button", class: "button button--primary", id: "collection-share" }, icon("share"), "Share…");
  share.disabled = !items.length;
  share.addEventListener("click", async () => {
    try {
      const options = await sharePreview(c);
      if (!options) return;
      const done = await runJob("Writing the share pages…", () => api.exportCollection(c.id, options));
      if (done) toast(`Share pages written to ${done.out_dir}${done.warnings.length ? ` — ${done.warnings.join(" ")}` : ""}`, "info");
    } catch (err) {
      showError("The collection could not be exported", err);
    }
  });
  return share;
}

function deleteButton(c) {
  const del = el("button", { type: "button", class: "button button--danger" }, icon("trash"), "Delete");
  del.addEventListener("click", async () => {
    if (!(await confirmDialog(`Delete the collection “${c.name}”? Its badges stay in your backpack.`))) return;
    await attempt("The collection could not be deleted", async () => {
      await api.deleteCollection(c.id);
      selected = null;
      await changedCollections();
    });
  });
  return del;
}

// ---------------------------------------------------------------- description

function descriptionSection(c) {
  const placeholder = "Describe this collection (shown on its share page)";
  const desc = el("textarea", { id: "collection-description", rows: "3", "aria-label": "Description", placeholder });
  desc.value = c.description || "";
  const descState = el("span", { class: "muted", role: "status" });
  const saveDesc = async () => {
    if (desc.value === (c.description || "")) return;
    try {
      await api.describeCollection(c.id, desc.value);
      c.description = desc.value;
      descState.textContent = "Saved.";
    } catch (err) {
      descState.textContent = "Not saved.";
      showError("The description could not be saved", err);
    }
  };
  desc.addEventListener("blur", saveDesc);
  const descSave = el("button", { type: "button", class: "button" }, "Save description");
  descSave.addEventListener("click", saveDesc);
  return card("collection-desc-title", "Description", desc, el("div", { class: "button-row" }, descSave, descState));
}

// ---------------------------------------------------------------- members

function membersSection(c, items) {
  const members = el("ol", { class: "members", id: "collection-badges", "aria-label": `Badges in ${c.name}` });
  members.append(...items.map((b, i) => memberRow(c, items, b, i)), dropEnd(c, items));
  const help = el("p", { class: "field-help" }, "Drag the handles to reorder, or focus one and press Alt+Up or Alt+Down.");
  return card("members-title", `Badges (${items.length})`, help, members);
}

/** Moves `badge` to `position`, then puts focus back on its handle. */
function move(c, badge, position) {
  return attempt("The badge could not be moved", async () => {
    await api.moveInCollection(c.id, badge, Math.max(0, position));
    await renderSelected();
    document.querySelector(`#collection-badges [data-id="${badge}"] .member__handle`)?.focus();
  });
}

/** Adds badge `id` at `position`, or moves it there when it is in already. */
async function placeBadge(c, items, id, position) {
  if (items.some((x) => x.id === id)) await api.moveInCollection(c.id, id, position);
  else await api.addToCollection(c.id, [id], position);
  await changedCollections();
}

function memberRow(c, items, b, i) {
  const name = badgeTitle(b);
  const openB = el("button", { type: "button", class: "linklike member__name" }, name);
  openB.addEventListener("click", () => hooks.open(b.id));
  const text = el("div", { class: "member__text" }, openB, el("span", { class: "muted" }, b.issuer_name || ""));
  const row = el(
    "li",
    { class: "member", "data-id": String(b.id) },
    memberHandle(c, items, b, i),
    memberImage(b),
    text,
    statusMark(b.status),
    memberActions(c, items, b, i),
  );
  // Dropping here: a member is moved to this place; a new badge is added here.
  acceptBadges(row, (ids) => placeBadge(c, items, ids[0], i));
  return row;
}

function memberHandle(c, items, b, i) {
  const label = `${badgeTitle(b)}, position ${i + 1} of ${items.length}. Alt+Up or Alt+Down moves it.`;
  const handle = el("button", { type: "button", class: "member__handle", draggable: "true", "aria-label": label }, icon("grip"));
  handle.addEventListener("keydown", (e) => {
    if (e.altKey && e.key === "ArrowUp" && i > 0) {
      e.preventDefault();
      move(c, b.id, i - 1);
    } else if (e.altKey && e.key === "ArrowDown" && i < items.length - 1) {
      e.preventDefault();
      move(c, b.id, i + 1);
    }
  });
  dragBadge(handle, b.id, "move");
  return handle;
}

function memberImage(b) {
  const img = el("img", { class: "member__image", src: api.badgeImageUrl(b.id, b.imported_at), alt: "", width: "44", height: "44" });
  const placeholder = () => el("span", { class: "member__image icon icon--medal", "aria-hidden": "true" });
  img.addEventListener("error", () => img.replaceWith(placeholder()));
  return img;
}

function memberActions(c, items, b, i) {
  const what = b.name || "badge";
  const button = (label, name, disabled = false) =>
    el("button", { type: "button", class: "icon-button", "aria-label": label, disabled }, icon(name));
  const up = button(`Move ${what} up`, "up", i === 0);
  up.addEventListener("click", () => move(c, b.id, i - 1));
  const down = button(`Move ${what} down`, "down", i === items.length - 1);
  down.addEventListener("click", () => move(c, b.id, i + 1));
  const remove = button(`Remove ${what} from ${c.name}`, "close");
  remove.addEventListener("click", () =>
    attempt(`The badge could not be removed from “${c.name}”`, async () => {
      await api.removeFromCollection(c.id, [b.id]);
      await changedCollections();
    }),
  );
  return el("div", { class: "member__actions" }, up, down, remove);
}

function dropEnd(c, items) {
  const text = items.length ? "Drop a badge here to add it at the end." : "Drop badges here, or add them from the list below.";
  const node = el("li", { class: "members__drop" }, text);
  acceptBadges(node, (ids) => placeBadge(c, items, ids[0], items.length));
  return node;
}

// ---------------------------------------------------------------- add badges

/** The "Add badges" card: a find box over the badges not in `c` yet, each with Add and a tick box. */
function pickerSection(c, items) {
  const picker = el("ul", { class: "picker", id: "collection-picker", "aria-label": "Badges to add" });
  const searchAttrs = { type: "search", id: "collection-picker-search", placeholder: "Find badges to add", "aria-label": "Find badges to add", autocomplete: "off" };
  const search = el("input", searchAttrs);
  search.value = picking.query;
  const addTicked = el("button", { type: "button", class: "button button--primary", id: "collection-add-selected" });
  const drawTicked = () => {
    const n = picking.ticked.size;
    addTicked.textContent = n ? `Add ${plural(n, "selected badge")}` : "Add selected badges";
    addTicked.disabled = !n;
  };
  addTicked.addEventListener("click", () => addBadges(c, [...picking.ticked]));
  const inIds = new Set(items.map((b) => b.id));
  const fill = async () => {
    const current = pickerLoad();
    let found;
    try {
      found = await api.listBadges({ search: search.value.trim() || null, sort: "name", limit: 60, offset: 0, status: [], reverse: false });
    } catch (err) {
      if (current()) showError("The badges to add could not be listed", err);
      return;
    }
    if (!current()) return;
    picker.replaceChildren(...found.items.filter((b) => !inIds.has(b.id)).map((b) => pickerRow(c, b, drawTicked)));
    if (!picker.children.length) picker.append(el("li", { class: "muted" }, "No other badges match."));
  };
  let t = null;
  search.addEventListener("input", () => {
    picking.query = search.value;
    clearTimeout(t);
    t = setTimeout(fill, 140);
  });
  // Enter adds the one badge found; with more, it searches at once.
  search.addEventListener("keydown", async (e) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    clearTimeout(t);
    await fill();
    const rows = picker.querySelectorAll(".picker__row");
    if (rows.length === 1) addBadges(c, [Number(rows[0].dataset.id)]);
  });
  drawTicked();
  const help = el("p", { class: "field-help" }, "Tick several badges to add them together, or press Enter when the search finds one.");
  const actions = el("div", { class: "button-row" }, addTicked);
  return { section: card("picker-title", "Add badges", search, help, picker, actions), fill };
}

function addBadges(c, ids) {
  if (!ids.length) return Promise.resolve();
  const what = ids.length === 1 ? "The badge" : "The badges";
  return attempt(`${what} could not be added to “${c.name}”`, async () => {
    await api.addToCollection(c.id, ids);
    for (const id of ids) picking.ticked.delete(id);
    await changedCollections();
  });
}

function pickerRow(c, b, drawTicked) {
  const label = `Add ${b.name || "badge"} to ${c.name}`;
  const add = el("button", { type: "button", class: "button button--small", "aria-label": label }, icon("plus"), "Add");
  add.addEventListener("click", () => addBadges(c, [b.id]));
  const tick = el("input", { type: "checkbox", class: "picker__tick", "aria-label": `Select ${b.name || "badge"}` });
  tick.checked = picking.ticked.has(b.id);
  tick.addEventListener("change", () => {
    if (tick.checked) picking.ticked.add(b.id);
    else picking.ticked.delete(b.id);
    drawTicked();
  });
  const name = el("span", { class: "picker__name" }, badgeTitle(b));
  const issuer = el("span", { class: "muted picker__issuer" }, b.issuer_name || "");
  const li = el("li", { class: "picker__row", draggable: "true", "data-id": String(b.id) }, el("label", { class: "picker__label" }, tick, name), issuer, add);
  dragBadge(li, b.id, "copy");
  return li;
}

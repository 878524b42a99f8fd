// The Backpack screen: search, filters, sort, and a virtualized grid of
// badge tiles. Only the rows in view (plus a small margin) exist in the DOM,
// so the node count stays bounded however many badges there are; badge data
// is fetched in pages as rows come into view.

import * as api from "./api.js";
import { el } from "./dom.js";
import { badgeTitle, issuerTitle, plural } from "./format.js";
import { showError } from "./notify.js";
import { statusMark } from "./status.js";

const TILE_W = 184;
const TILE_H = 252;
const GAP = 16;
const PAD = 24;
const PAGE = 120;
const OVERSCAN_ROWS = 2;
/** How long tiles must stay put before their images load. */
const IMAGE_DELAY_MS = 60;

const $ = (id) => document.getElementById(id);

let onOpen = () => {};
let onEmptyChange = () => {};

const state = {
  query: { search: "", status: "", tag: "", collection: "", sort: "imported", reverse: false },
  total: 0,
  grandTotal: null,
  pages: new Map(), // page number -> array of summaries | "loading"
  generation: 0,
  cols: 1,
  active: 0, // index of the tile that takes focus
  nodes: new Map(), // index -> tile node
};

const scroller = () => $("grid-scroll");
const grid = () => $("grid");

/** Wires the screen. open(id) shows a badge; emptyChange(isEmpty) reports an empty backpack. */
export function initBackpack({ open, emptyChange }) {
  onOpen = open;
  onEmptyChange = emptyChange || onEmptyChange;
  let searchTimer = null;
  $("search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => setQuery({ search: $("search").value }), 140);
  });
  $("search").addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      clearTimeout(searchTimer);
      setQuery({ search: $("search").value });
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      focusIndex(state.active);
    }
  });
  $("filter-status").addEventListener("change", (e) => setQuery({ status: e.target.value }));
  $("filter-tag").addEventListener("change", (e) => setQuery({ tag: e.target.value }));
  $("filter-collection").addEventListener("change", (e) => setQuery({ collection: e.target.value }));
  $("sort").addEventListener("change", (e) => setQuery({ sort: e.target.value }));
  // A toggle button: Enter and Space press it like any button; aria-pressed
  // tells assistive technology (and the styling) which way the list runs.
  $("sort-reverse").addEventListener("click", (e) => {
    const reverse = e.currentTarget.getAttribute("aria-pressed") !== "true";
    e.currentTarget.setAttribute("aria-pressed", String(reverse));
    setQuery({ reverse });
  });
  $("clear-filters").addEventListener("click", clearFilters);

  // Scroll events come at most once per frame; rendering right away means
  // the rows in view are always in place when the frame paints.
  scroller().addEventListener("scroll", () => render(), { passive: true });
  new ResizeObserver(() => layout()).observe(scroller());
  grid().addEventListener("keydown", onGridKey);
  grid().addEventListener("click", (e) => {
    const tile = e.target instanceof Element ? e.target.closest(".tile") : null;
    if (tile) onOpen(Number(tile.dataset.id));
  });
  grid().addEventListener("focusin", (e) => {
    const tile = e.target instanceof Element ? e.target.closest(".tile") : null;
    if (tile) setActive(Number(tile.dataset.index), false);
  });
  grid().addEventListener("dragstart", (e) => {
    const tile = e.target instanceof Element ? e.target.closest(".tile") : null;
    if (tile && e.dataTransfer) {
      e.dataTransfer.setData("application/x-satchel-badge", tile.dataset.id);
      e.dataTransfer.setData("text/plain", tile.dataset.id);
      e.dataTransfer.effectAllowed = "copyMove";
    }
  });
}

export function clearFilters() {
  $("search").value = "";
  $("filter-status").value = "";
  $("filter-tag").value = "";
  $("filter-collection").value = "";
  setQuery({ search: "", status: "", tag: "", collection: "" });
}

function setQuery(patch) {
  Object.assign(state.query, patch);
  reload();
}

function apiQuery(offset, limit) {
  const q = state.query;
  return {
    search: q.search.trim() || null,
    status: q.status ? [q.status] : [],
    tag: q.tag || null,
    collection: q.collection ? Number(q.collection) : null,
    sort: q.sort,
    reverse: q.reverse,
    limit,
    offset,
  };
}

function filtered() {
  const q = state.query;
  return Boolean(q.search.trim() || q.status || q.tag || q.collection);
}

/** Reloads everything (after an import, a delete, a filter change). Keeps the scroll position when asked. */
export async function reload({ keepScroll = false } = {}) {
  const mine = ++state.generation;
  state.pages.clear();
  // Every tile is refilled once the new results arrive.
  for (const node of state.nodes.values()) node.dataset.id = "stale";
  if (!keepScroll) {
    scroller().scrollTop = 0;
    state.active = 0;
  }
  try {
    const page = await api.listBadges(apiQuery(0, PAGE));
    if (mine !== state.generation) return;
    state.total = page.total;
    state.pages.set(0, page.items);
    state.grandTotal = filtered() ? (await api.appInfo()).badges : page.total;
    if (mine !== state.generation) return;
  } catch (err) {
    if (mine !== state.generation) return;
    state.total = 0;
    showError("The backpack could not be read", err);
  }
  const empty = state.grandTotal === 0;
  $("first-run").hidden = !empty;
  $("no-match").hidden = empty || state.total > 0;
  scroller().hidden = empty || state.total === 0;
  $("result-count").hidden = empty;
  $("result-count").textContent = filtered()
    ? `${plural(state.total, "badge")} found of ${state.grandTotal}`
    : plural(state.total, "badge");
  document.body.dataset.badgeCount = String(state.grandTotal ?? 0);
  onEmptyChange(empty);
  if (state.active >= state.total) state.active = Math.max(0, state.total - 1);
  layout();
}

/** Refreshes the tag and collection filter menus. */
export async function refreshFilters() {
  try {
    const [tags, cols] = await Promise.all([api.allTags(), api.collections()]);
    fillSelect($("filter-tag"), tags.map((t) => [t.tag, `${t.tag} (${t.count})`]));
    fillSelect($("filter-collection"), cols.map((c) => [String(c.id), `${c.name} (${c.count})`]));
  } catch (err) {
    // The menus keep their old entries.
    showError("The tag and collection menus could not be updated", err);
  }
}

function fillSelect(select, entries) {
  const current = select.value;
  const first = select.options[0];
  select.replaceChildren(first, ...entries.map(([value, label]) => el("option", { value }, label)));
  select.value = entries.some(([v]) => v === current) ? current : "";
  if (select.value !== current) select.dispatchEvent(new Event("change"));
}

function layout() {
  const width = scroller().clientWidth - PAD * 2;
  state.cols = Math.max(1, Math.floor((width + GAP) / (TILE_W + GAP)));
  const rows = Math.ceil(state.total / state.cols);
  grid().style.height = `${rows ? rows * (TILE_H + GAP) - GAP + PAD * 2 : 0}px`;
  grid().setAttribute("aria-rowcount", String(rows));
  render(true);
}

/** Where tile `index` goes: rows from the left edge, in line with the toolbar. */
function position(index) {
  const row = Math.floor(index / state.cols);
  const col = index % state.cols;
  return [PAD + col * (TILE_W + GAP), PAD + row * (TILE_H + GAP)];
}

function visibleRange() {
  const top = scroller().scrollTop;
  const height = scroller().clientHeight || 600;
  const rowH = TILE_H + GAP;
  const first = Math.max(0, Math.floor((top - PAD) / rowH) - OVERSCAN_ROWS);
  const last = Math.floor((top + height) / rowH) + OVERSCAN_ROWS;
  return [first * state.cols, Math.min(state.total, (last + 1) * state.cols)];
}

function itemAt(index) {
  const page = state.pages.get(Math.floor(index / PAGE));
  return Array.isArray(page) ? page[index % PAGE] : undefined;
}

function ensurePages(start, end) {
  for (let p = Math.floor(start / PAGE); p <= Math.floor(Math.max(start, end - 1) / PAGE); p++) {
    if (state.pages.has(p)) continue;
    state.pages.set(p, "loading");
    const mine = state.generation;
    api
      .listBadges(apiQuery(p * PAGE, PAGE))
      .then((page) => {
        if (mine !== state.generation) return;
        state.pages.set(p, page.items);
        render(true);
      })
      .catch((err) => {
        if (mine !== state.generation) return;
        // Tried again when the rows come into view again.
        state.pages.delete(p);
        showError("Some badges could not be loaded", err);
      });
  }
}

/** Render timings (ms) of the last calls, for the benchmark in e2e.rs. */
const timings = [];
window.__satchelGridTimings = timings;

function render(force = false) {
  if (scroller().hidden) return;
  const t0 = performance.now();
  renderNow(force);
  if (timings.length > 1000) timings.shift();
  timings.push(performance.now() - t0);
}

function renderNow(force) {
  const [start, end] = visibleRange();
  ensurePages(start, end);
  // Tiles are recycled, never created or removed while scrolling: WebKit
  // gives each tile its own compositing layer (cheap to scroll), and making
  // and dropping layers is what costs. A tile leaving the range goes to the
  // spare list and comes back filled with another badge.
  const spare = [];
  let refocus = null;
  for (const [index, node] of state.nodes) {
    const inView = index >= start && index < end;
    if (inView) {
      const item = itemAt(index);
      if ((node.dataset.id || "") !== (item ? String(item.id) : "")) {
        fillTile(node, index, item);
      } else if (force) {
        placeTile(node, index);
      }
      continue;
    }
    if (node.contains(document.activeElement)) {
      refocus = true;
    }
    state.nodes.delete(index);
    spare.push(node);
  }
  const fresh = document.createDocumentFragment();
  for (let i = start; i < end; i++) {
    if (state.nodes.has(i)) continue;
    let node = spare.pop();
    if (!node) {
      node = createTile();
      fresh.append(node);
    }
    node.hidden = false;
    fillTile(node, i, itemAt(i));
    state.nodes.set(i, node);
  }
  if (fresh.childNodes.length) grid().append(fresh);
  // Spares beyond what the range needs stay hidden, ready for the next scroll.
  for (const node of spare) {
    node.hidden = true;
    node.removeAttribute("data-id");
    node.removeAttribute("data-index");
  }
  // Keep exactly one tile in the tab order.
  const active = state.nodes.get(state.active) || state.nodes.get(start);
  for (const node of state.nodes.values()) node.tabIndex = node === active ? 0 : -1;
  if (refocus && state.nodes.get(state.active)) state.nodes.get(state.active).focus({ preventScroll: true });
  grid().dataset.rendered = String(state.nodes.size);
  scheduleImages();
}

let imageTimer = 0;
function scheduleImages() {
  clearTimeout(imageTimer);
  imageTimer = setTimeout(loadImages, IMAGE_DELAY_MS);
}

/** Starts loading the images of the tiles in the range. */
function loadImages() {
  for (const node of state.nodes.values()) {
    const img = node.querySelector(".tile__image");
    if (img && img.dataset.src && img.getAttribute("src") !== img.dataset.src) img.src = img.dataset.src;
  }
}

function placeTile(node, index) {
  const [x, y] = position(index);
  node.style.transform = `translate(${x}px, ${y}px)`;
}

/** An empty tile with its fixed parts; fillTile gives it a badge. */
function createTile() {
  const img = el("img", { class: "tile__image", alt: "", width: "120", height: "120", decoding: "async", draggable: "false" });
  img.addEventListener("error", () => img.closest(".tile")?.classList.add("tile--noimage"));
  const node = el(
    "div",
    { class: "tile", role: "listitem", tabindex: "-1" },
    el("div", { class: "tile__art" }, img, el("span", { class: "tile__placeholder icon icon--medal", "aria-hidden": "true" }), el("span", { class: "tile__yours", title: "Awarded to you (it names one of your identities)" }, "Yours")),
    el("p", { class: "tile__name" }),
    el("p", { class: "tile__issuer" }),
    el("span", { class: "tile__status" }),
  );
  return node;
}

function fillTile(node, index, item) {
  node.dataset.index = String(index);
  node.setAttribute("aria-posinset", String(index + 1));
  node.setAttribute("aria-setsize", String(state.total));
  placeTile(node, index);
  const img = node.querySelector(".tile__image");
  const [nameEl, issuerEl] = node.querySelectorAll("p");
  const statusEl = node.querySelector(".tile__status");
  node.classList.remove("tile--noimage");
  if (!item) {
    node.classList.add("tile--loading");
    node.removeAttribute("data-id");
    node.removeAttribute("data-status");
    node.removeAttribute("data-yours");
    node.removeAttribute("draggable");
    node.setAttribute("aria-label", "Loading");
    nameEl.textContent = "";
    issuerEl.textContent = "";
    nameEl.removeAttribute("title");
    issuerEl.removeAttribute("title");
    statusEl.replaceChildren();
    img.removeAttribute("src");
    delete img.dataset.src;
    return;
  }
  const name = badgeTitle(item);
  const issuer = issuerTitle(item);
  node.classList.remove("tile--loading");
  node.dataset.id = String(item.id);
  node.dataset.status = item.status;
  if (item.yours) node.dataset.yours = "true";
  else node.removeAttribute("data-yours");
  node.setAttribute("draggable", "true");
  node.setAttribute("aria-label", `${name}, from ${issuer}, ${statusLabelFor(item.status)}${item.yours ? ", yours" : ""}`);
  nameEl.textContent = name;
  nameEl.title = name;
  issuerEl.textContent = issuer;
  issuerEl.title = issuer;
  statusEl.replaceChildren(statusMark(item.status, { class: "status--tile" }));
  // The image loads only once the tile has stayed in range a moment (see
  // loadImages): tiles skipped over while scrolling fast start no load.
  img.removeAttribute("src");
  img.dataset.src = api.badgeImageUrl(item.id, item.imported_at);
}

function statusLabelFor(status) {
  return { verified: "verified", expired: "expired", revoked: "revoked", suspended: "suspended", invalid: "invalid", unverifiable: "could not be checked" }[status] || status;
}

// ---------------------------------------------------------------- keyboard

function setActive(index, focus = true) {
  state.active = Math.max(0, Math.min(state.total - 1, index));
  for (const [i, node] of state.nodes) node.tabIndex = i === state.active ? 0 : -1;
  if (focus) focusIndex(state.active);
}

function focusIndex(index) {
  if (!state.total) return;
  const [, y] = position(index);
  const s = scroller();
  if (y < s.scrollTop + PAD / 2) s.scrollTop = Math.max(0, y - PAD);
  else if (y + TILE_H > s.scrollTop + s.clientHeight) s.scrollTop = y + TILE_H - s.clientHeight + PAD;
  render();
  const node = state.nodes.get(index);
  if (node) {
    node.tabIndex = 0;
    node.focus({ preventScroll: true });
  }
}

function onGridKey(e) {
  const tile = e.target instanceof Element ? e.target.closest(".tile") : null;
  if (!tile) return;
  const i = Number(tile.dataset.index);
  const rowsPerPage = Math.max(1, Math.floor(scroller().clientHeight / (TILE_H + GAP)));
  const moves = {
    ArrowRight: i + 1,
    ArrowLeft: i - 1,
    ArrowDown: i + state.cols,
    ArrowUp: i - state.cols,
    Home: 0,
    End: state.total - 1,
    PageDown: i + state.cols * rowsPerPage,
    PageUp: i - state.cols * rowsPerPage,
  };
  if (e.key in moves) {
    e.preventDefault();
    if (e.key === "ArrowUp" && i < state.cols) {
      $("search").focus();
      return;
    }
    setActive(moves[e.key]);
  } else if (e.key === "Enter" || e.key === " ") {
    e.preventDefault();
    if (tile.dataset.id) onOpen(Number(tile.dataset.id));
  }
}

/** Puts focus back on the tile that was open (after closing the detail). */
export function restoreFocus() {
  focusIndex(state.active);
}

// Wires the window: file choosing, pasting, dropping, and the three views
// (empty state, result, error).

import * as api from "./api.js";
import { baseName } from "./format.js";
import { renderResult } from "./render.js";

/** Files larger than this are refused before they are read into memory. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

const $ = (id) => document.getElementById(id);
const views = {
  empty: $("empty-state"),
  error: $("error"),
  result: $("result"),
};
const fileInput = $("file-input");
const chooseButton = $("choose-file");
const pasteForm = $("paste-form");
const pasteInput = $("paste-input");
const pasteSubmit = $("paste-submit");
const main = $("main");
const status = $("status");

let blobUrl = null;
let busyTimer = null;
let generation = 0;

// ---------------------------------------------------------------- views

function show(view) {
  for (const [name, node] of Object.entries(views)) node.hidden = name !== view;
  main.scrollTop = 0;
}

function releaseBlob() {
  if (blobUrl) URL.revokeObjectURL(blobUrl);
  blobUrl = null;
}

function showResult(inspection, source) {
  renderResult(views.result, inspection, source);
  show("result");
  const name = inspection.badge && inspection.badge.name;
  status.textContent = name ? `Showing the badge “${name}”.` : "Showing the inspection result.";
}

const ERROR_TITLES = {
  not_baked: "No badge in this image",
  not_a_badge: "This is not a readable badge",
  io: "The file could not be read",
  too_large: "The file is too large",
  empty: "Nothing to inspect",
};

const ERROR_HINTS = {
  not_baked:
    "Badge images carry their badge inside the file. This image has none: it may be a plain picture, or the badge was removed when the image was edited or re-saved.",
  not_a_badge:
    "Satchel reads baked PNG and SVG badge images, Open Badges JSON (0.5 to 3.0, CLR 2.0), compact JWS and badge URLs.",
  io: "Check that the file still exists and that you may read it.",
  empty: "Paste a badge URL, its JSON or a compact JWS into the box, then select Inspect.",
};

function showError(sourceLabel, error) {
  $("error-title").textContent = ERROR_TITLES[error.code] || "Something went wrong";
  $("error-source").textContent = sourceLabel ? `${sourceLabel}: ` : "";
  $("error-message").textContent = error.message;
  $("error-hint").textContent = ERROR_HINTS[error.code] || "";
  views.error.dataset.code = error.code;
  show("error");
  status.textContent = "";
}

// ---------------------------------------------------------------- running

/** Runs one inspection; later requests win over slower earlier ones. */
async function run(sourceLabel, task, onSuccess) {
  const mine = ++generation;
  setBusy(true);
  try {
    const value = await task();
    if (mine === generation) onSuccess(value);
  } catch (err) {
    if (mine === generation) showError(sourceLabel, err);
  } finally {
    if (mine === generation) setBusy(false);
  }
}

function setBusy(busy) {
  clearTimeout(busyTimer);
  if (busy) {
    // Only show the busy state for slow reads, so fast ones do not flicker.
    busyTimer = setTimeout(() => document.body.classList.add("is-busy"), 150);
  } else {
    document.body.classList.remove("is-busy");
  }
  main.setAttribute("aria-busy", busy ? "true" : "false");
  pasteSubmit.disabled = busy;
  chooseButton.disabled = busy;
}

function inspectChosenFile(file) {
  if (file.size > MAX_FILE_BYTES) {
    showError(file.name, { code: "too_large", message: "the file is larger than 64 MiB, more than any badge needs" });
    return;
  }
  run(
    file.name,
    async () => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const inspection = await api.inspectBytes(bytes);
      return { inspection, bytes };
    },
    ({ inspection, bytes }) => {
      releaseBlob();
      const type = { png: "image/png", svg: "image/svg+xml" }[inspection.container];
      if (type) blobUrl = URL.createObjectURL(new Blob([bytes], { type }));
      showResult(inspection, { label: file.name, image: blobUrl });
    },
  );
}

function inspectDroppedPath(path, count) {
  const note = count > 1 ? `${count} files were dropped; this is the first of them. Drop one file at a time.` : null;
  run(
    baseName(path),
    () => api.inspectFile(path),
    (found) => {
      releaseBlob();
      showResult(found.inspection, { label: found.name, image: found.image, note });
    },
  );
}

function inspectPasted() {
  const text = pasteInput.value;
  if (!text.trim()) {
    pasteInput.setAttribute("aria-invalid", "true");
    showError("Pasted text", { code: "empty", message: "the box is empty" });
    pasteInput.focus();
    return;
  }
  pasteInput.removeAttribute("aria-invalid");
  run(
    "Pasted text",
    () => api.inspectText(text),
    (inspection) => {
      releaseBlob();
      showResult(inspection, { label: "Pasted text", image: null });
    },
  );
}

// ---------------------------------------------------------------- events

function chooseFile() {
  fileInput.value = "";
  fileInput.click();
}

chooseButton.addEventListener("click", chooseFile);
for (const button of document.querySelectorAll("[data-action='choose-file']")) {
  button.addEventListener("click", chooseFile);
}

fileInput.addEventListener("change", () => {
  const file = fileInput.files && fileInput.files[0];
  if (file) inspectChosenFile(file);
});

pasteForm.addEventListener("submit", (event) => {
  event.preventDefault();
  inspectPasted();
});

pasteInput.addEventListener("input", () => pasteInput.removeAttribute("aria-invalid"));

pasteInput.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    inspectPasted();
  }
});

document.addEventListener("keydown", (event) => {
  if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === "o") {
    event.preventDefault();
    chooseFile();
  }
});

// Links from a badge open in the user's browser, never inside the app.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
  if (!link) return;
  event.preventDefault();
  if (link.dataset.external === "true") {
    api.openLink(link.href).catch((err) => {
      status.textContent = `The link could not be opened: ${err.message}`;
    });
  }
});

// The webview's own HTML drag and drop is off (Tauri delivers file drops as
// paths); keep stray drags from navigating the window.
for (const type of ["dragover", "drop"]) {
  document.addEventListener(type, (event) => event.preventDefault());
}

api.onFileDrop({
  enter: () => document.body.classList.add("is-dragging"),
  leave: () => document.body.classList.remove("is-dragging"),
  drop: (paths) => {
    document.body.classList.remove("is-dragging");
    if (paths.length) inspectDroppedPath(paths[0], paths.length);
  },
});

document.body.dataset.ready = "true";

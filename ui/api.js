// The only module that talks to the Rust side. One function per command;
// every failure is normalized to { code, message }.

function tauri() {
  const t = window.__TAURI__;
  if (!t || !t.core) {
    throw { code: "no_backend", message: "Satchel's window was opened outside the app" };
  }
  return t;
}

function normalizeError(err) {
  if (err && typeof err === "object" && typeof err.message === "string") {
    return { code: typeof err.code === "string" ? err.code : "internal", message: err.message };
  }
  return { code: "internal", message: String(err) };
}

async function call(command, args) {
  try {
    return await tauri().core.invoke(command, args);
  } catch (err) {
    throw normalizeError(err);
  }
}

/** Inspects a file's bytes (a Uint8Array, sent as the raw request body). */
export function inspectBytes(bytes) {
  return call("inspect_bytes", bytes);
}

/** Inspects pasted text: JSON, a compact JWS or a URL. */
export function inspectText(text) {
  return call("inspect_text", { text });
}

/** Inspects a file by path; resolves to { name, inspection, image }. */
export function inspectFile(path) {
  return call("inspect_file", { path });
}

/** Opens an http(s) or mailto link in the user's browser or mail program. */
export function openLink(url) {
  return call("open_link", { url });
}

/**
 * Calls handlers.enter(), handlers.leave() and handlers.drop(paths) as files
 * are dragged over and dropped on the window. Does nothing outside the app.
 */
export function onFileDrop(handlers) {
  const events = window.__TAURI__ && window.__TAURI__.event;
  if (!events) return;
  events.listen("tauri://drag-enter", () => handlers.enter());
  events.listen("tauri://drag-leave", () => handlers.leave());
  events.listen("tauri://drag-drop", (event) => handlers.drop((event.payload && event.payload.paths) || []));
}

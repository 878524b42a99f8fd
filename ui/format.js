// Labels and value formatting shared by the screens. Pure functions, no DOM.

/** "Open Badges 2.0", "CLR 2.0" or "Unknown version". */
export function versionLabel(version) {
  if (!version) return "Unknown version";
  return version.startsWith("CLR") ? version : `Open Badges ${version}`;
}

function parseUrl(text) {
  try {
    return new URL(String(text).trim());
  } catch {
    return null;
  }
}

/** A link the app may open: http(s) or mailto. */
export function linkHref(text) {
  const u = parseUrl(text);
  return u && ["https:", "http:", "mailto:"].includes(u.protocol) ? u.href : null;
}

/** "1 file", "3 files". */
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** The last path segment of a file path (either separator). */
export function baseName(path) {
  const parts = String(path).split(/[\\/]/);
  return parts[parts.length - 1] || String(path);
}

/** The host of an http(s) URL, or "". */
function hostOf(text) {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:" ? url.host : "";
  } catch {
    return "";
  }
}

/** What a badge is called: its name; for a badge that names none, what is
 *  known of it (the file it came from, else the last part of its id). */
export function badgeTitle(b) {
  if (b.name) return b.name;
  const source = b.source && !b.source.startsWith("pasted text") ? baseName(b.source) : "";
  if (source) return source;
  const id = (b.assertion_id || "").replace(/[?#].*$/, "").replace(/\/+$/, "").split("/").pop();
  return id || "Untitled badge";
}

/** Who issued a badge: the issuer's name; else the host it is known by. */
export function issuerTitle(b) {
  return b.issuer_name || hostOf(b.issuer_id) || hostOf(b.assertion_id) || b.issuer_id || "Unknown issuer";
}

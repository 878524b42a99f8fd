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

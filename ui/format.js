// Labels and value formatting for the inspector. Pure functions, no DOM.

const KIND_LABELS = {
  Assertion: "Assertion",
  BadgeClass: "Badge class",
  Profile: "Issuer profile",
  CryptographicKey: "Public key",
  RevocationList: "Revocation list",
  Endorsement: "Endorsement",
  AchievementCredential: "OpenBadgeCredential",
  EndorsementCredential: "Endorsement credential",
  ClrCredential: "CLR credential",
  Achievement: "Achievement",
  OtherCredential: "Verifiable credential",
  Unknown: "Unknown document",
};

const CONTAINER_LABELS = {
  png: "PNG image",
  svg: "SVG image",
  json: "JSON",
  jws: "Compact JWS",
  url: "URL",
  unknown: "Unknown",
};

const SLOT_KEYWORDS = {
  open_badges: "openbadges",
  open_badge_credential: "openbadgecredential",
  clr_credential: "clrcredential",
};

export function kindLabel(kind) {
  return KIND_LABELS[kind] || String(kind || "Unknown document");
}

export function containerLabel(container) {
  return CONTAINER_LABELS[container] || String(container || "Unknown");
}

export function slotLabel(slot) {
  return SLOT_KEYWORDS[slot] || String(slot);
}

/** "Open Badges 2.0", "CLR 2.0" or "Unknown version". */
export function versionLabel(version) {
  if (!version) return "Unknown version";
  return version.startsWith("CLR") ? version : `Open Badges ${version}`;
}

/** Parses a date as badges write them: ISO 8601, or Unix seconds (OB 1.0). */
export function parseDate(text) {
  if (text === null || text === undefined) return null;
  const s = String(text).trim();
  if (/^\d{9,11}$/.test(s)) return new Date(Number(s) * 1000);
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

const DATE_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: "long" });

/** A readable date, or the text as written when it is not a date. */
export function formatDate(text) {
  const d = parseDate(text);
  return d ? DATE_FORMAT.format(d) : String(text);
}

/** Is this date in the past? (null when it cannot be told) */
export function isPast(text, now = new Date()) {
  const d = parseDate(text);
  return d ? d.getTime() < now.getTime() : null;
}

function parseUrl(text) {
  try {
    return new URL(String(text).trim());
  } catch {
    return null;
  }
}

/** An http(s) URL, safe to hand to the browser; null otherwise. */
export function webUrl(text) {
  const u = parseUrl(text);
  return u && (u.protocol === "https:" || u.protocol === "http:") ? u.href : null;
}

/** A link the app may open: http(s) or mailto. */
export function linkHref(text) {
  const u = parseUrl(text);
  return u && ["https:", "http:", "mailto:"].includes(u.protocol) ? u.href : null;
}

const DATA_IMAGE = /^data:image\/(png|svg\+xml|jpeg|gif|webp)[;,]/i;

/** An image URL that may go into <img src>: http(s) or a data:image URI. */
export function imageSrc(text) {
  if (typeof text !== "string") return null;
  const s = text.trim();
  if (DATA_IMAGE.test(s)) return s;
  return webUrl(s);
}

/** The host a remote URL points at, for captions ("example.org"). */
export function hostOf(text) {
  const u = parseUrl(text);
  return u && (u.protocol === "https:" || u.protocol === "http:") ? u.host : null;
}

/** Pretty-prints JSON text; returns null when it is not JSON. */
export function prettyJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
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

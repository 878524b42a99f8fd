// Verification statuses as people read them, and the status mark.

import { el, icon } from "./dom.js";

const STATUS = {
  verified: { label: "Verified", icon: "check", tone: "ok", lead: "Satchel checked this badge and it is genuine." },
  expired: { label: "Expired", icon: "clock", tone: "warn", lead: "This badge is genuine, but it is past its expiry date." },
  revoked: { label: "Revoked", icon: "ban", tone: "bad", lead: "The issuer has withdrawn this badge." },
  suspended: {
    label: "Suspended",
    icon: "ban",
    tone: "bad",
    lead: "The issuer has suspended this badge for now. A suspension can be lifted; check again later.",
  },
  invalid: { label: "Invalid", icon: "alert", tone: "bad", lead: "A check failed: this badge may have been changed, forged or badly made." },
  unverifiable: {
    label: "Could not check",
    icon: "question",
    tone: "muted",
    lead: "Something needed for the check could not be reached. This is not evidence that the badge is false; try again later.",
  },
};

export function statusInfo(status) {
  return STATUS[status] || { label: String(status || "Unknown"), icon: "question", tone: "muted", lead: "" };
}

/** A small status mark: icon + word, coloured by tone. */
export function statusMark(status, extra = {}) {
  const info = statusInfo(status);
  const { class: more = "", ...rest } = extra;
  return el(
    "span",
    { class: `status status--${info.tone} ${more}`.trim(), "data-status": status, ...rest },
    icon(info.icon, "status__icon"),
    el("span", { class: "status__label" }, info.label),
  );
}

export const CHECK_STATUS = {
  pass: { label: "Passed", icon: "check", tone: "ok" },
  fail: { label: "Failed", icon: "alert", tone: "bad" },
  warn: { label: "Note", icon: "warning", tone: "warn" },
  skip: { label: "Could not check", icon: "question", tone: "muted" },
};

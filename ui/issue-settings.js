// Issue mode's "Issuer and keys" screen: the issuer's profile, its signing
// keys (since when, retired or in use; export and import sealed with a
// passphrase typed here and handed to the app for that one call; rotate;
// a warning when a key file may be read by others) and the email (SMTP)
// settings, whose password the app keeps in memory only (a private
// certificate authority's PEM file is saved by its path).

import * as api from "./api.js";
import { el, icon } from "./dom.js";
import { plural } from "./format.js";
import { currentIssuer, registerIssueScreen, reloadIssuers, setCurrentIssuer, showIssueScreen } from "./issue.js";
import { imageField } from "./issue-setup.js";
import { confirmDialog } from "./dialog.js";
import { latestOnly } from "./latest.js";
import { toast } from "./notify.js";

const $ = (id) => document.getElementById(id);
const take = latestOnly();
let logo = null;

function day(seconds) {
  return new Date(seconds * 1000).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

function field(id, text, input, help = null) {
  return el("div", { class: "field" }, el("label", { for: id }, text), input, help !== null ? el("p", { class: "field-help", id: `${id}-help` }, help) : null);
}

function input(id, type, value, attrs = {}) {
  return el("input", { id, type, value: value || "", autocomplete: "off", spellcheck: "false", ...attrs });
}

// ---------------------------------------------------------------- profile

function profilePanel(issuer) {
  const locked = issuer.awards > 0;
  const form = el(
    "form",
    { class: "panel issue-form", id: "issuer-form", novalidate: true, "aria-labelledby": "issuer-profile-title" },
    el("h3", { class: "panel__title", id: "issuer-profile-title" }, "Profile"),
    field("issuer-name", "Name", input("issuer-name", "text", issuer.name, { maxlength: "200" })),
    el(
      "div",
      { class: "field-pair" },
      field("issuer-url", "Website", input("issuer-url", "url", issuer.url)),
      field("issuer-email", "Contact email", input("issuer-email", "email", issuer.email)),
    ),
    field("issuer-description", "What the issuer is", el("textarea", { id: "issuer-description", rows: "2", maxlength: "4000" }, issuer.description || "")),
    el(
      "div",
      { class: "field" },
      el("span", { class: "field__label", id: "issuer-image-label" }, "Image"),
      el(
        "div",
        { class: "image-field" },
        el("img", { id: "issuer-image-preview", class: "image-field__preview", alt: "", hidden: true }),
        el("span", { class: "image-field__empty", id: "issuer-image-empty" }, "No image"),
        el("div", { class: "button-row" }, el("button", { type: "button", class: "button", id: "issuer-image-pick", "aria-describedby": "issuer-image-label" }, "Choose an image…")),
        el("span", { class: "field-help" }, "Or drop an image file here."),
      ),
      el("p", { id: "issuer-image-error", class: "form-error", role: "alert" }),
    ),
    field(
      "issuer-base",
      "Web address of the published folder",
      input("issuer-base", "url", issuer.base_url, { disabled: locked, "aria-describedby": "issuer-base-help" }),
      locked
        ? `It cannot change: ${plural(issuer.awards, "awarded badge")} point${issuer.awards === 1 ? "s" : ""} at it.`
        : "Every badge will point at it; it cannot change once badges have been awarded.",
    ),
    el(
      "dl",
      { class: "facts facts--compact" },
      el("div", { class: "facts__row" }, el("dt", {}, "Open Badges 3.0 issuer"), el("dd", {}, el("code", { class: "break", id: "issuer-ob3" }, issuer.ob3_issuer))),
      el("div", { class: "facts__row" }, el("dt", {}, "Open Badges 2.0 profile"), el("dd", {}, el("code", { class: "break" }, issuer.ob2_profile))),
    ),
    el("p", { id: "issuer-error", class: "form-error", role: "alert" }),
    el("div", { class: "button-row" }, el("button", { type: "submit", class: "button button--primary", id: "issuer-save" }, "Save profile")),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = (id) => $(id).value.trim();
    try {
      const saved = await api.editIssuer(issuer.id, {
        name: value("issuer-name"),
        url: value("issuer-url"),
        email: value("issuer-email"),
        description: value("issuer-description"),
        base_url: locked ? null : value("issuer-base"),
        image: logo.path(),
      });
      $("issuer-error").textContent = "";
      setCurrentIssuer(saved);
      toast("The issuer's profile was saved.", "info");
      draw(saved);
    } catch (err) {
      $("issuer-error").textContent = `The profile was not saved: ${err.message}`;
    }
  });
  return form;
}

// ---------------------------------------------------------------- keys

/** Asks for a passphrase in the window (twice when `confirm`); resolves it, or null. */
function askPassphrase(title, { confirm = false } = {}) {
  return new Promise((resolve) => {
    const first = input("passphrase", "password", "", { autocomplete: "new-password", minlength: "8" });
    const second = confirm ? input("passphrase-again", "password", "", { autocomplete: "new-password" }) : null;
    const error = el("p", { id: "passphrase-error", class: "form-error", role: "alert" });
    const cancel = el("button", { type: "button", class: "button", id: "passphrase-cancel" }, "Cancel");
    const ok = el("button", { type: "submit", class: "button button--primary", id: "passphrase-ok" }, confirm ? "Export" : "Import");
    const form = el(
      "form",
      { class: "passphrase-form", novalidate: true },
      el("p", { class: "field-help" }, confirm
        ? "The export holds your private keys, locked with this passphrase (8 characters or more). Keep both safe and apart: whoever has them can issue badges in your name. Satchel does not save the passphrase."
        : "Type the passphrase the keys were exported with. Satchel does not save it."),
      field("passphrase", "Passphrase", first),
      second ? field("passphrase-again", "The same passphrase again", second) : null,
      error,
      el("div", { class: "button-row confirm__actions" }, cancel, ok),
    );
    const dialog = el("dialog", { class: "confirm", "aria-labelledby": "passphrase-title" }, el("h2", { id: "passphrase-title", class: "confirm__title" }, title), form);
    const finish = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    cancel.addEventListener("click", () => finish(null));
    dialog.addEventListener("cancel", (e) => {
      e.preventDefault();
      finish(null);
    });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (confirm && first.value.length < 8) {
        error.textContent = "Use 8 characters or more.";
        first.focus();
      } else if (confirm && first.value !== second.value) {
        error.textContent = "The two passphrases differ; type the same one twice.";
        second.focus();
      } else if (!first.value) {
        error.textContent = "Type the passphrase.";
        first.focus();
      } else {
        finish(first.value);
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    first.focus();
  });
}

function sayKeys(what, moved) {
  const lines = moved.map((k) => `${k.name} (${k.algorithm}): ${k.outcome}`);
  $("keys-message").textContent = `${what}: ${lines.join("; ")}.`;
}

async function exportKeys(issuer) {
  const path = await api.pickKeyFile(true, issuer.id).catch((err) => {
    $("keys-message").textContent = `The keys were not exported: ${err.message}`;
    return null;
  });
  if (!path) return;
  const passphrase = await askPassphrase("Export the issuer's keys", { confirm: true });
  if (!passphrase) return;
  try {
    sayKeys(`Exported to ${path}`, await api.exportKeys(issuer.id, passphrase, path));
  } catch (err) {
    $("keys-message").textContent = `The keys were not exported: ${err.message}`;
  }
  $("keys-export").focus();
}

async function importKeys() {
  const path = await api.pickKeyFile(false).catch((err) => {
    $("keys-message").textContent = `The keys were not imported: ${err.message}`;
    return null;
  });
  if (!path) return;
  const passphrase = await askPassphrase("Import issuer keys");
  if (!passphrase) return;
  try {
    sayKeys(`Imported from ${path}`, await api.importKeys(passphrase, path));
    const list = await reloadIssuers();
    const issuer = list.find((i) => currentIssuer() && i.id === currentIssuer().id);
    if (issuer) draw(issuer, { keepMessage: true });
  } catch (err) {
    $("keys-message").textContent = `The keys were not imported: ${err.message}`;
  }
  $("keys-import").focus();
}

async function rotate(issuer) {
  const ok = await confirmDialog(
    "Make new signing keys? The current ones will sign no more badges; they stay published, so every badge already awarded still verifies. Export the new keys afterwards.",
    "Make new keys",
  );
  if (!ok) return;
  try {
    const saved = await api.rotateKeys(issuer.id);
    setCurrentIssuer(saved);
    draw(saved);
    $("keys-message").textContent = "New keys made. Publish again so backpacks can find them, and export them.";
  } catch (err) {
    $("keys-message").textContent = `No new keys were made: ${err.message}`;
  }
  $("keys-rotate").focus();
}

function keysPanel(issuer) {
  const rows = issuer.keys
    .slice()
    .reverse()
    .map((k) =>
      el(
        "li",
        { class: "key-row", "data-key": k.name },
        el("span", { class: "key-row__name" }, k.name),
        el("span", {}, k.algorithm === "rsa" ? "RSA (Open Badges 2.0 signed)" : "Ed25519"),
        el("span", { class: "muted" }, `made ${day(k.created)}`),
        el("span", { class: k.retired ? "status status--muted" : "status status--ok" }, k.retired ? `retired ${day(k.retired)}` : "in use"),
        el("span", { class: "key-row__public" }, k.algorithm === "rsa" ? "RSA public key (PEM)" : k.public_key),
      ),
    );
  const panel = el(
    "section",
    { class: "panel", "aria-labelledby": "keys-title" },
    el("h3", { class: "panel__title", id: "keys-title" }, "Signing keys"),
    el("p", { class: "field-help" }, "The private halves are files in Satchel's data folder, readable only by you; they prove your badges come from you. Export them to a safe place: without them you cannot award more badges under this name."),
    el("ul", { class: "key-rows", id: "key-list", "aria-label": "Keys" }, rows),
    el(
      "div",
      { class: "button-row" },
      el("button", { type: "button", class: "button", id: "keys-export" }, "Export keys…"),
      el("button", { type: "button", class: "button", id: "keys-import" }, "Import keys…"),
      el("button", { type: "button", class: "button", id: "keys-rotate" }, "Make new keys…"),
    ),
    el("p", { id: "keys-message", class: "form-message", role: "status" }),
  );
  panel.querySelector("#keys-export").addEventListener("click", () => exportKeys(issuer));
  panel.querySelector("#keys-import").addEventListener("click", importKeys);
  panel.querySelector("#keys-rotate").addEventListener("click", () => rotate(issuer));
  return panel;
}

async function drawKeyWarnings(issuer, fresh) {
  let warnings = [];
  try {
    warnings = await api.keyWarnings(issuer.id);
  } catch (err) {
    warnings = [`Satchel could not check the key files: ${err.message}`];
  }
  if (!fresh()) return;
  $("key-warnings").replaceChildren(
    ...warnings.map((w) => el("div", { class: "key-warning", role: "alert" }, icon("alert"), el("p", {}, w))),
  );
}

// ---------------------------------------------------------------- email

function emailPanel() {
  const security = el(
    "select",
    { id: "smtp-security" },
    el("option", { value: "starttls" }, "STARTTLS (usually port 587)"),
    el("option", { value: "tls" }, "TLS (usually port 465)"),
    el("option", { value: "plain" }, "None (only a server on this computer)"),
  );
  const form = el(
    "form",
    { class: "panel issue-form", id: "smtp-form", novalidate: true, "aria-labelledby": "smtp-title" },
    el("h3", { class: "panel__title", id: "smtp-title" }, "Email"),
    el("p", { class: "field-help" }, "To send awarded badges by email, Satchel needs your mail server (your email provider lists these settings). The password is kept in memory until Satchel closes and is never saved; it can also come from SATCHEL_SMTP_PASSWORD."),
    el(
      "div",
      { class: "field-pair" },
      field("smtp-host", "Mail server", input("smtp-host", "text", "", { placeholder: "smtp.example.org" })),
      field("smtp-port", "Port", input("smtp-port", "number", "587", { min: "1", max: "65535" })),
    ),
    field("smtp-security", "Connection security", security),
    el(
      "div",
      { class: "field-pair" },
      field("smtp-user", "User name", input("smtp-user", "text", "", { autocomplete: "username" })),
      field("smtp-password", "Password", input("smtp-password", "password", "", { autocomplete: "current-password" }), ""),
    ),
    field("smtp-from", "Send from (optional: the issuer's email otherwise)", input("smtp-from", "email", "")),
    el(
      "div",
      { class: "field" },
      el("label", { for: "smtp-ca-file" }, "Certificate authority (optional)"),
      el(
        "div",
        { class: "field-inline" },
        input("smtp-ca-file", "text", "", { placeholder: "None: the authorities this computer trusts", "aria-describedby": "smtp-ca-file-help" }),
        el("button", { type: "button", class: "button", id: "smtp-ca-pick" }, "Choose…"),
      ),
      el(
        "p",
        { class: "field-help", id: "smtp-ca-file-help" },
        "Only for a mail server whose certificate comes from your school's or company's own certificate authority: its certificate as a PEM file. The computer's authorities stay trusted, and the server's certificate and name are always checked.",
      ),
    ),
    el("p", { id: "smtp-error", class: "form-error", role: "alert" }),
    el("p", { id: "smtp-message", class: "form-message", role: "status" }),
    el(
      "div",
      { class: "button-row" },
      el("button", { type: "submit", class: "button button--primary", id: "smtp-save" }, "Save email settings"),
      el("button", { type: "button", class: "button", id: "smtp-forget" }, "Forget the password"),
    ),
  );
  form.querySelector("#smtp-ca-pick").addEventListener("click", async () => {
    try {
      const path = await api.pickCaFile();
      if (path) $("smtp-ca-file").value = path;
    } catch (err) {
      $("smtp-error").textContent = `No file was chosen: ${err.message}`;
    }
    $("smtp-ca-file").focus();
  });
  security.addEventListener("change", () => {
    $("smtp-port").value = { starttls: "587", tls: "465", plain: "25" }[security.value];
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const host = $("smtp-host").value.trim();
    try {
      const answer = await api.saveSmtpSettings(
        host
          ? {
              host,
              port: Number($("smtp-port").value) || 0,
              security: security.value,
              username: $("smtp-user").value.trim() || null,
              from: $("smtp-from").value.trim() || null,
              ca_file: $("smtp-ca-file").value.trim() || null,
            }
          : null,
        $("smtp-password").value || null,
      );
      $("smtp-password").value = "";
      $("smtp-error").textContent = "";
      drawEmail(answer);
      $("smtp-message").textContent = host ? "Email settings saved." : "Email settings removed.";
    } catch (err) {
      $("smtp-message").textContent = "";
      $("smtp-error").textContent = `The email settings were not saved: ${err.message}`;
    }
  });
  form.querySelector("#smtp-forget").addEventListener("click", async () => {
    try {
      const answer = await api.saveSmtpSettings(currentSmtp, null, true);
      drawEmail(answer);
      $("smtp-message").textContent = "The password is forgotten.";
    } catch (err) {
      $("smtp-error").textContent = err.message;
    }
  });
  return form;
}

let currentSmtp = null;

function drawEmail(answer) {
  currentSmtp = answer.config;
  const c = answer.config;
  if (c) {
    $("smtp-host").value = c.host;
    $("smtp-port").value = String(c.port);
    $("smtp-security").value = c.security;
    $("smtp-user").value = c.username || "";
    $("smtp-from").value = c.from || "";
    $("smtp-ca-file").value = c.ca_file || "";
  }
  $("smtp-password").placeholder = answer.has_password ? "Kept in memory until Satchel closes" : "";
  $("smtp-password-help").textContent = answer.has_password
    ? "A password is at hand for this session; type a new one to replace it."
    : "Asked for when sending if left empty; never saved.";
  $("smtp-forget").hidden = !answer.has_password;
}

// ---------------------------------------------------------------- issuers

/** Which issuer the Issue screens work on, and setting up another. */
function issuersPanel(list, issuer) {
  const select = el(
    "select",
    { id: "issuer-select" },
    list.map((i) => el("option", { value: String(i.id), selected: i.id === issuer.id }, i.name)),
  );
  select.addEventListener("change", () => {
    const chosen = list.find((i) => String(i.id) === select.value);
    if (chosen) {
      setCurrentIssuer(chosen);
      draw(chosen);
      $("issuer-select").focus();
    }
  });
  const another = el("button", { type: "button", class: "button", id: "issuer-another" }, "Set up another issuer…");
  another.addEventListener("click", () => showIssueScreen("setup"));
  return el(
    "div",
    { class: "issuer-switch" },
    list.length > 1 ? el("label", { for: "issuer-select", class: "issuer-switch__label" }, "Issuer") : null,
    list.length > 1 ? select : null,
    another,
  );
}

// ---------------------------------------------------------------- screen

let issuerList = [];

function draw(issuer, { keepMessage = false } = {}) {
  const message = keepMessage && $("keys-message") ? $("keys-message").textContent : "";
  const fresh = take();
  $("issuer-switch").replaceChildren(issuersPanel(issuerList, issuer));
  // A key that cannot sign matters most: its warning comes first.
  $("issuer-body").replaceChildren(el("div", { id: "key-warnings", class: "key-warnings" }), profilePanel(issuer), keysPanel(issuer), emailPanel());
  if (message) $("keys-message").textContent = message;
  logo = imageField("issuer-image", { logo: true, title: "Choose the issuer's image" });
  logo.reset(issuer.image_uri);
  drawKeyWarnings(issuer, fresh);
  api
    .smtpSettings()
    .then((answer) => fresh() && drawEmail(answer))
    .catch((err) => fresh() && ($("smtp-error").textContent = `The email settings could not be read: ${err.message}`));
}

registerIssueScreen("issuer", {
  async show() {
    try {
      issuerList = await api.issuers();
    } catch (err) {
      toast(`Satchel could not read your issuers: ${err.message}`);
    }
    const issuer = currentIssuer();
    if (issuer) draw(issuerList.find((i) => i.id === issuer.id) || issuer);
  },
  drop: (paths) => logo && logo.drop(paths),
});

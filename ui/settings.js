// The Settings screen: identities, network policy, data folder, backup and restore.

import * as api from "./api.js";
import { el, icon } from "./dom.js";
import { plural } from "./format.js";
import { attempt, showError } from "./notify.js";

const $ = (id) => document.getElementById(id);
let hooks = { changed: () => {} };

export function initSettings(h) {
  hooks = { ...hooks, ...h };
  $("identity-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = $("identity-input");
    if (!input.value.trim()) return;
    try {
      const change = await api.addIdentity(input.value);
      drawIdentities(change.identities);
      sayYours(change);
      input.value = "";
      input.removeAttribute("aria-invalid");
      $("identity-error").textContent = "";
    } catch (err) {
      input.setAttribute("aria-invalid", "true");
      $("identity-error").textContent = err.message;
    }
  });
  const saveNet = async () => {
    try {
      const net = await api.setNetwork({
        offline: $("net-offline").checked,
        allow_private: $("net-private").checked,
        recheck_days: Number($("net-recheck").value),
      });
      drawNet(net);
    } catch (err) {
      showError("The network setting could not be saved", err);
    }
  };
  $("net-offline").addEventListener("change", saveNet);
  $("net-private").addEventListener("change", saveNet);
  $("net-recheck").addEventListener("change", saveNet);
  $("open-data").addEventListener("click", () => attempt("The data folder could not be opened", api.openDataFolder));
  $("backup").addEventListener("click", async () => {
    try {
      const done = await api.backup();
      if (done) $("data-message").textContent = `Backed up ${plural(done.badges, "badge")} to ${done.path}.`;
    } catch (err) {
      $("data-message").textContent = "";
      showError("The backup failed", err);
    }
  });
  $("restore").addEventListener("click", async () => {
    try {
      const done = await api.restore();
      if (done) {
        $("data-message").textContent = `Restored ${plural(done.badges, "badge")}.`;
        hooks.changed();
        showSettings();
      }
    } catch (err) {
      $("data-message").textContent = "";
      showError("The backup was not restored", err);
    }
  });
}

function drawNet(net) {
  $("net-offline").checked = net.offline;
  $("net-private").checked = net.allow_private;
  const days = String(net.recheck_days);
  const select = $("net-recheck");
  // A value saved by hand that the menu does not list is shown as itself.
  if (![...select.options].some((o) => o.value === days)) select.append(new Option(`If not checked for ${days} days`, days));
  select.value = days;
}

// After an identity changed, every badge's recipient was matched again: say
// how many are the user's now, and redraw the backpack's "yours" marks.
function sayYours(change) {
  $("identity-matched").textContent = `${plural(change.yours, "badge")} in your backpack ${change.yours === 1 ? "is" : "are"} yours.`;
  hooks.changed();
}

function drawIdentities(ids) {
  const ul = $("identity-list");
  ul.replaceChildren(
    ...ids.map((i) => {
      const remove = el("button", { type: "button", class: "icon-button", "aria-label": `Remove ${i.value}` }, icon("close"));
      remove.addEventListener("click", async () => {
        try {
          const change = await api.removeIdentity(String(i.id));
          drawIdentities(change.identities);
          sayYours(change);
          $("identity-input").focus();
        } catch (err) {
          showError(`${i.value} could not be removed`, err);
        }
      });
      const value = el("span", { class: "identity-row__value" }, i.value);
      return el("li", { class: "identity-row" }, el("span", { class: "pill" }, i.kind), value, remove);
    }),
  );
  if (!ids.length) ul.append(el("li", { class: "muted" }, "No identities yet."));
}

export async function showSettings() {
  try {
    const [info, ids] = await Promise.all([api.appInfo(), api.identities()]);
    $("data-dir").textContent = info.data_dir;
    $("data-count").textContent = String(info.badges);
    $("about-version").textContent = `Satchel ${info.version}`;
    $("about-commit").textContent = info.commit === "unknown" ? "unknown commit" : `commit ${info.commit}`;
    $("about-license").textContent = info.license === "Apache-2.0" ? "Apache License 2.0" : info.license;
    drawNet(info.net);
    drawIdentities(ids);
  } catch (err) {
    showError("The settings could not be read", err);
  }
}

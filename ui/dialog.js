// A modal confirmation in the page (<dialog>): keyboard friendly (focus
// starts on Cancel, Esc cancels) and the same in every webview.

import { el } from "./dom.js";
import { statusInfo } from "./status.js";

/** Shows what changed since the last check: a list of badges, each with its
 *  status before and now and what changed. Resolves when closed. */
export function changesDialog(title, items, open) {
  return new Promise((resolve) => {
    const close = el("button", { type: "button", class: "button button--primary", id: "changes-close" }, "Close");
    const list = el(
      "ul",
      { class: "changes", id: "changes-list" },
      items.map((item) => {
        const name = el("button", { type: "button", class: "link-button changes__name" }, item.name || `Badge ${item.id}`);
        name.addEventListener("click", () => {
          finish();
          open(item.id);
        });
        return el(
          "li",
          { class: "changes__item", "data-id": String(item.id) },
          name,
          el("span", { class: "changes__status muted" }, `${statusWord(item.before)} → ${statusWord(item.after)}`),
          el("ul", { class: "changes__what" }, item.changes.map((c) => el("li", {}, c.message))),
        );
      }),
    );
    const heading = el("h2", { id: "changes-title", class: "confirm__title" }, title);
    const actions = el("div", { class: "button-row confirm__actions" }, close);
    const dialog = el("dialog", { class: "confirm confirm--wide", "aria-labelledby": "changes-title" }, heading, list, actions);
    const finish = () => {
      dialog.close();
      dialog.remove();
      resolve();
    };
    close.addEventListener("click", finish);
    dialog.addEventListener("cancel", (e) => {
      e.preventDefault();
      finish();
    });
    document.body.append(dialog);
    dialog.showModal();
    close.focus();
  });
}

function statusWord(status) {
  return status ? statusInfo(status).label : "Not checked";
}

/** Resolves true when the user confirms. */
export function confirmDialog(message, confirmLabel = "Delete") {
  return new Promise((resolve) => {
    const cancel = el("button", { type: "button", class: "button", value: "cancel" }, "Cancel");
    const ok = el("button", { type: "button", class: "button button--danger-solid", value: "ok", id: "confirm-ok" }, confirmLabel);
    const dialog = el(
      "dialog",
      { class: "confirm", "aria-labelledby": "confirm-text" },
      el("p", { id: "confirm-text", class: "confirm__text" }, message),
      el("div", { class: "button-row confirm__actions" }, cancel, ok),
    );
    const finish = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    cancel.addEventListener("click", () => finish(false));
    ok.addEventListener("click", () => finish(true));
    dialog.addEventListener("cancel", (e) => {
      e.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

/**
 * A modal form: `body` nodes, Cancel and a `confirm` button (submit, so
 * Enter confirms); `check()` answers a sentence to show instead of closing,
 * or null; resolves with `value()`, or null when cancelled (Esc too).
 */
export function formDialog({ id, title, body, confirm, confirmId, danger = false, first, check = () => null, value }) {
  return new Promise((resolve) => {
    const cancel = el("button", { type: "button", class: "button" }, "Cancel");
    const ok = el("button", { type: "submit", class: `button ${danger ? "button--danger-solid" : "button--primary"}`, id: confirmId }, confirm);
    const error = el("p", { class: "form-error", role: "alert" });
    const form = el("form", { method: "dialog", class: "dialog-form" }, el("h2", { id, class: "confirm__title" }, title), body, error, el("div", { class: "button-row confirm__actions" }, cancel, ok));
    const dialog = el("dialog", { class: "confirm confirm--wide", "aria-labelledby": id }, form);
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
      const problem = check();
      if (problem) {
        error.textContent = problem;
        (first || ok).focus();
        return;
      }
      finish(value());
    });
    document.body.append(dialog);
    dialog.showModal();
    (first || ok).focus();
  });
}

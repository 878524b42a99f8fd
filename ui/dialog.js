// A modal confirmation in the page (<dialog>): keyboard friendly (focus
// starts on Cancel, Esc cancels) and the same in every webview.

import { el } from "./dom.js";

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

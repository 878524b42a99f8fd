// Building DOM nodes safely: text always goes in as text nodes, never markup.

/**
 * el("a", { class: "link", href }, "text", child, ...)
 * Attributes with null/undefined/false values are skipped; `true` sets an
 * empty attribute. Children: strings (as text), nodes, arrays, null (skipped).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function icon(name, extraClass = "") {
  return el("span", { class: `icon icon--${name} ${extraClass}`.trim(), "aria-hidden": "true" });
}

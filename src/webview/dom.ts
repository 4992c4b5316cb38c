/**
 * Tiny DOM builders. Every string child becomes a text node (`createTextNode`) and there is no way to pass HTML:
 * project paths, branch and model names come from user logs and must render literally, never as markup.
 */

export type Child = Node | string | number | null | undefined | false;

export interface Attrs {
  class?: string;
  title?: string;
  role?: string;
  type?: string;
  id?: string;
  /** aria-* and data-* attributes, set with setAttribute (values are plain strings, never parsed) */
  [attr: string]: string | undefined;
}

/** Creates `<tag>` with attributes and children; strings are added as text nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined) continue;
      if (/^on/i.test(k)) continue; // never event-handler attributes
      if (k === 'class') el.className = v;
      else el.setAttribute(k, v);
    }
  }
  append(el, ...children);
  return el;
}

/** Appends children; strings and numbers as text nodes. */
export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces all children of `el` in one step (no intermediate empty state is painted). */
export function replaceChildren(el: Element, ...children: Child[]): void {
  const frag = document.createDocumentFragment();
  append(frag, ...children);
  el.replaceChildren(frag);
}

/** Sets the text of an element only when it changed (avoids needless layout work on updates). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** A <button> that runs `onClick`; keyboard activation comes with the native element. */
export function button(label: string, onClick: () => void, attrs: Attrs | null = null): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

/** Runs `f` once after the next paint (a frame, then a task), or after 200 ms when no frame comes (a hidden page). */
export function afterPaint(f: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    f();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 200);
}

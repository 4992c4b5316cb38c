import { before, after } from 'node:test';
import { Window } from 'happy-dom';

/**
 * A happy-dom window installed as the browser globals the webview modules use, for the duration of one test file
 * (registered with node:test's before/after), and a loader for webview modules. They are browser code (DOM lib),
 * so they are imported with a computed specifier: the host's type-check (no DOM lib) does not follow them; the
 * webview's own tsconfig type-checks them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;

const GLOBALS = ['window', 'document', 'Node', 'HTMLElement', 'MutationObserver', 'getComputedStyle', 'navigator'];

export function useHappyDom(setup: (win: Any) => void = () => {}): { win: Any; doc: Any; load: (name: string) => Promise<Any> } {
  const win: Any = new Window({ url: 'https://localhost/' });
  const g = globalThis as Record<string, unknown>;
  const saved: Record<string, unknown> = {};
  before(() => {
    for (const k of GLOBALS) {
      saved[k] = g[k];
      Object.defineProperty(globalThis, k, { value: win[k], configurable: true, writable: true });
    }
    setup(win);
  });
  after(async () => {
    for (const k of GLOBALS) Object.defineProperty(globalThis, k, { value: saved[k], configurable: true, writable: true });
    await win.happyDOM.close();
  });
  const load = (name: string): Promise<Any> => import(['..', '..', '..', 'src', 'webview', name].join('/'));
  return { win, doc: win.document, load };
}

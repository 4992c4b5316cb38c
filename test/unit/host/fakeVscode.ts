/**
 * The few `vscode` APIs the usage service touches, for running it in plain node (two "windows" in one process).
 * Installed by `installFakeVscode()` before the service module is loaded.
 */
import Module from 'node:module';

type Listener<T> = (e: T) => void;
export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  event = (l: Listener<T>) => {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export const shownMessages: string[] = [];
export const progressTitles: string[] = [];

/** A status bar item as the status bar controller sets it (text, tooltip, colour). */
export interface FakeStatusBarItem {
  text: string;
  tooltip: unknown;
  backgroundColor: unknown;
  disposed: boolean;
}
export const statusBarItems: FakeStatusBarItem[] = [];

/** A webview panel as the dashboard uses it: what the host posted, and `receive` for the webview's messages. */
export interface FakeWebviewPanel {
  posted: unknown[];
  receive(message: unknown): void;
  disposed: boolean;
  visible: boolean;
  /** hides or shows the panel (a background tab), firing onDidChangeViewState */
  setVisible(visible: boolean): void;
}
export const webviewPanels: FakeWebviewPanel[] = [];

function fakeWebviewPanel(): FakeWebviewPanel & Record<string, unknown> {
  const received = new EventEmitter<unknown>();
  const disposedEv = new EventEmitter<void>();
  const viewState = new EventEmitter<unknown>();
  const panel = {
    posted: [] as unknown[],
    disposed: false,
    visible: true,
    setVisible(v: boolean) {
      panel.visible = v;
      viewState.fire({ webviewPanel: panel });
    },
    onDidChangeViewState: viewState.event,
    receive: (m: unknown) => received.fire(m),
    iconPath: undefined,
    webview: {
      options: {},
      html: '',
      cspSource: 'vscode-webview:',
      asWebviewUri: (u: { path: string }) => ({ toString: () => `webview:${u.path}` }),
      postMessage: async (m: unknown) => void panel.posted.push(m),
      onDidReceiveMessage: received.event,
    },
    onDidDispose: disposedEv.event,
    reveal() {},
    dispose() {
      if (panel.disposed) return;
      panel.disposed = true;
      disposedEv.fire();
    },
  };
  webviewPanels.push(panel);
  return panel;
}

/** `vscode.l10n.t` as VS Code does it: the bundle's translation of the message (the message itself without one),
 * `{0}`… filled from the arguments, `{name}` from an object argument. `setFakeLanguage` loads a bundle. */
const l10n = {
  bundle: undefined as Record<string, string> | undefined,
  t(message: string, ...args: unknown[]): string {
    const text = l10n.bundle?.[message] ?? message;
    const named = args.length === 1 && args[0] !== null && typeof args[0] === 'object' ? (args[0] as Record<string, unknown>) : undefined;
    return text.replace(/\{(\w+)\}/g, (m, k: string) => {
      const v = named ? named[k] : args[Number(k)];
      return v === undefined ? m : String(v);
    });
  },
};

/** The display language the fake reports (`vscode.env.language`) and the bundle `vscode.l10n.t` reads. */
export function setFakeLanguage(language: string, bundle?: Record<string, string>): void {
  fake.env.language = language;
  l10n.bundle = bundle;
}

const fake = {
  EventEmitter,
  l10n,
  ProgressLocation: { Notification: 15, Window: 10 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  MarkdownString: class { constructor(readonly value: string) {} },
  ThemeColor: class { constructor(readonly id: string) {} },
  env: { language: 'en' },
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
  Uri: {
    joinPath: (base: { path: string }, ...parts: string[]) => ({ path: [base.path, ...parts].join('/') }),
    file: (path: string) => ({ path }),
  },
  workspace: { onDidChangeConfiguration: new EventEmitter<unknown>().event },
  commands: { executeCommand: async () => undefined },
  window: {
    activeTextEditor: undefined,
    createWebviewPanel: () => fakeWebviewPanel(),
    registerWebviewPanelSerializer: () => ({ dispose() {} }),
    createStatusBarItem: () => {
      const item = { text: '', tooltip: undefined, backgroundColor: undefined, disposed: false, show() {}, dispose() { item.disposed = true; } };
      statusBarItems.push(item);
      return item;
    },
    withProgress: async (o: { title: string }, task: (p: { report(v: unknown): void }) => Promise<unknown>) => {
      progressTitles.push(o.title);
      return task({ report() {} });
    },
    showWarningMessage: async (m: string) => void shownMessages.push(m),
    showErrorMessage: async (m: string) => void shownMessages.push(m),
    showInformationMessage: async (m: string) => void shownMessages.push(m),
  },
};

let installed = false;
export function installFakeVscode(): void {
  if (installed) return;
  installed = true;
  const M = Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown };
  const orig = M._load;
  M._load = function (req: string, ...rest: unknown[]) {
    if (req === 'vscode') return fake;
    return orig.call(this, req, ...rest);
  };
}

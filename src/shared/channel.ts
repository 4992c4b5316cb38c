/**
 * One typed request/response/event channel over any `postMessage`-like transport (a worker thread's port, a VS Code
 * webview), after vscode-hexeditor's `MessageHandler`: a request gets an id and its answer (a result or an error)
 * comes back under that id; an event has no answer. A protocol is declared as types only — which requests a side
 * serves (their parameters, result and optional progress) and which events it emits — and both sides derive their
 * typed `request`/`emit`/`on` from it. Imports nothing (used by the host, the index worker and the webview).
 */

/** Requests a side serves: name → its parameters, its result and (optionally) the progress it reports meanwhile. */
export type RequestMap = { [method: string]: { params: unknown; result: unknown; progress?: unknown } };
/** Events a side emits: name → body. */
export type EventMap = { [event: string]: unknown };

/** What one side of a channel serves and emits. */
export interface Side<R extends RequestMap = RequestMap, E extends EventMap = EventMap> {
  requests: R;
  events: E;
}
/** A side that serves no requests / emits no events. */
export type None = Record<never, never>;

type Req<S extends Side> = S['requests'];
type Ev<S extends Side> = S['events'];
type ProgressOf<T> = T extends { progress: infer P } ? P : never;

/** One message on the wire, as a discriminated union per side (`Local` = the side that sends it). */
export type RequestMessage<R extends RequestMap> = { [K in keyof R & string]: { kind: 'request'; id: number; method: K; params: R[K]['params'] } }[keyof R & string];
export type EventMessage<E extends EventMap> = { [K in keyof E & string]: { kind: 'event'; event: K; body: E[K] } }[keyof E & string];
export type ResponseMessage =
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; message: string; stack?: string }
  | { kind: 'progress'; id: number; progress: unknown };
export type Envelope = { kind: 'request'; id: number; method: string; params: unknown } | { kind: 'event'; event: string; body: unknown } | ResponseMessage;

/** Where a side sends its messages (`Worker.postMessage`, `parentPort.postMessage`, `webview.postMessage`, …). */
export interface Transport {
  postMessage(message: Envelope): void;
}

/** How a side serves each of its requests (one handler per request name, checked against the protocol). */
export type RequestHandlers<R extends RequestMap> = {
  [K in keyof R]: (params: R[K]['params'], progress: (p: ProgressOf<R[K]>) => void) => R[K]['result'] | Promise<R[K]['result']>;
};
/** Checks an incoming event body from an untrusted peer (a webview); null drops the event. */
export type EventValidators<E extends EventMap> = { [K in keyof E]: (body: unknown) => E[K] | null };

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  onProgress?: (p: unknown) => void;
}

export interface MessageHandlerOptions<Local extends Side, Remote extends Side> {
  transport: Transport;
  /** serves the peer's requests (omit when this side serves none) */
  handlers?: RequestHandlers<Req<Local>>;
  /** checks the peer's events before listeners see them (omit for a trusted peer, e.g. our own worker) */
  validate?: EventValidators<Ev<Remote>>;
}

/**
 * One end of a channel. `Local` is what this end serves and emits, `Remote` what the other end does. Feed every
 * incoming message to `handle`; call `close` when the transport is gone (pending requests are rejected).
 */
export class MessageHandler<Local extends Side, Remote extends Side> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<keyof Ev<Remote>, Set<(body: never) => void>>();
  private closed: Error | undefined;

  constructor(private readonly opts: MessageHandlerOptions<Local, Remote>) {}

  /** Requests in flight (their answers have not arrived). */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Asks the other end; resolves with its result or rejects with its error (message and stack as thrown there). */
  request<K extends keyof Req<Remote> & string>(
    method: K,
    params: Req<Remote>[K]['params'],
    onProgress?: (p: ProgressOf<Req<Remote>[K]>) => void,
  ): Promise<Req<Remote>[K]['result']> {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress: onProgress as ((p: unknown) => void) | undefined });
      try {
        this.opts.transport.postMessage({ kind: 'request', id, method, params });
      } catch (e) {
        this.pending.delete(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** Tells the other end something (no answer). */
  emit<K extends keyof Ev<Local> & string>(event: K, body: Ev<Local>[K]): void {
    if (this.closed) return;
    this.opts.transport.postMessage({ kind: 'event', event, body });
  }

  /** Listens to one of the other end's events. */
  on<K extends keyof Ev<Remote> & string>(event: K, listener: (body: Ev<Remote>[K]) => void): { dispose(): void } {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const l = listener as (body: never) => void;
    set.add(l);
    return { dispose: () => set.delete(l) };
  }

  /** Call with every message the transport delivers; anything that is not a message of this channel is ignored. */
  handle(raw: unknown): void {
    if (!raw || typeof raw !== 'object') return;
    const m = raw as Partial<Envelope>;
    switch (m.kind) {
      case 'result':
      case 'error':
      case 'progress':
        this.answer(m as ResponseMessage);
        return;
      case 'event':
        this.dispatchEvent(m as { event: unknown; body: unknown });
        return;
      case 'request':
        void this.serve(m as { id: unknown; method: unknown; params: unknown });
        return;
    }
  }

  /** The transport is gone (the worker exited, the panel closed): every pending request fails with `reason`. */
  close(reason: Error): void {
    this.closed ??= reason;
    const list = [...this.pending.values()];
    this.pending.clear();
    for (const p of list) p.reject(reason);
  }

  private answer(m: ResponseMessage): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.kind === 'progress') {
      p.onProgress?.(m.progress);
      return;
    }
    this.pending.delete(m.id);
    if (m.kind === 'result') p.resolve(m.value);
    else {
      const err = new Error(m.message);
      if (m.stack) err.stack = m.stack;
      p.reject(err);
    }
  }

  private dispatchEvent(m: { event: unknown; body: unknown }): void {
    if (typeof m.event !== 'string') return;
    const set = this.listeners.get(m.event);
    const validators = this.opts.validate;
    let body = m.body;
    if (validators) {
      if (!Object.hasOwn(validators, m.event)) return;
      body = validators[m.event as keyof Ev<Remote>](m.body);
      if (body === null) return;
    }
    if (set) for (const l of [...set]) l(body as never);
  }

  private async serve(m: { id: unknown; method: unknown; params: unknown }): Promise<void> {
    if (typeof m.id !== 'number') return;
    const id = m.id;
    const send = (msg: Envelope) => {
      if (!this.closed) this.opts.transport.postMessage(msg);
    };
    try {
      const handlers = this.opts.handlers;
      if (!handlers || typeof m.method !== 'string' || !Object.hasOwn(handlers, m.method)) throw new Error(`unknown request ${String(m.method)}`);
      const value = await this.call(handlers, m.method as keyof Req<Local>, m.params, (progress) => send({ kind: 'progress', id, progress }));
      send({ kind: 'result', id, value });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      send({ kind: 'error', id, message: err.message, stack: err.stack });
    }
  }

  /** Runs the handler of one request (its parameters came over the wire: the peer speaks the same protocol). */
  private call<K extends keyof Req<Local>>(handlers: RequestHandlers<Req<Local>>, method: K, params: unknown, progress: (p: unknown) => void): unknown {
    return handlers[method](params as Req<Local>[K]['params'], progress);
  }
}

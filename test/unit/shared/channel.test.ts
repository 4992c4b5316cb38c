/**
 * The typed channel (src/shared/channel.ts) over an in-memory transport pair that delivers like `postMessage` does:
 * asynchronously and as structured clones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageHandler, type Envelope, type None, type Side } from '../../../src/shared/channel';

type ServerSide = Side<{
  sum: { params: [a: number, b: number]; result: number };
  count: { params: { upTo: number }; result: string; progress: { done: number } };
  fail: { params: [message: string]; result: never };
}, { tick: { n: number }; note: string }>;
type ClientSide = Side<None, { hello: { name: string } }>;

/** Two ends wired to each other; `cut()` drops everything posted afterwards (the peer went away). */
function pair(validate?: { hello: (b: unknown) => { name: string } | null }) {
  let cut = false;
  const wire: Envelope[] = [];
  const link = (to: () => MessageHandler<Side, Side>) => ({
    postMessage: (m: Envelope) => {
      wire.push(m);
      if (!cut) setImmediate(() => to().handle(structuredClone(m)));
    },
  });
  const seen: { name: string }[] = [];
  const server: MessageHandler<ServerSide, ClientSide> = new MessageHandler<ServerSide, ClientSide>({
    transport: link(() => client as unknown as MessageHandler<Side, Side>),
    handlers: {
      sum: ([a, b]) => a + b,
      count: async ({ upTo }, progress) => {
        for (let i = 1; i <= upTo; i++) progress({ done: i });
        return `counted to ${upTo}`;
      },
      fail: ([message]) => {
        throw new Error(message);
      },
    },
    validate,
  });
  const client: MessageHandler<ClientSide, ServerSide> = new MessageHandler<ClientSide, ServerSide>({
    transport: link(() => server as unknown as MessageHandler<Side, Side>),
  });
  server.on('hello', (b) => seen.push(b));
  return { server, client, wire, seen, cut: () => (cut = true) };
}

test('a request comes back with its typed result, answers matched by id even when they interleave', async () => {
  const { client, wire } = pair();
  const [x, y] = await Promise.all([client.request('sum', [2, 3]), client.request('sum', [40, 2])]);
  assert.equal(x, 5);
  assert.equal(y, 42);
  assert.equal(client.pendingCount, 0);
  const requests = wire.filter((m) => m.kind === 'request');
  assert.deepEqual(requests.map((m) => m.kind === 'request' && m.method), ['sum', 'sum']);
  assert.notEqual((requests[0] as { id: number }).id, (requests[1] as { id: number }).id);
});

test('progress of a request reaches its caller before the result', async () => {
  const { client } = pair();
  const progress: number[] = [];
  const r = await client.request('count', { upTo: 3 }, (p) => progress.push(p.done));
  assert.deepEqual(progress, [1, 2, 3]);
  assert.equal(r, 'counted to 3');
});

test('an error thrown by the handler rejects the request with its message; an unknown request is an error too', async () => {
  const { client } = pair();
  await assert.rejects(client.request('fail', ['disk full']), /disk full/);
  // a peer speaking another version of the protocol
  const rogue = client as unknown as MessageHandler<ClientSide, Side<{ nope: { params: []; result: undefined } }>>;
  await assert.rejects(rogue.request('nope', []), /unknown request nope/);
});

test('events reach the listeners of their name only, and a disposed listener no more', async () => {
  const { server, client } = pair();
  const ticks: number[] = [];
  const notes: string[] = [];
  const sub = client.on('tick', (b) => ticks.push(b.n));
  client.on('note', (b) => notes.push(b));
  server.emit('tick', { n: 1 });
  server.emit('note', 'hi');
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  sub.dispose();
  server.emit('tick', { n: 2 });
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(ticks, [1]);
  assert.deepEqual(notes, ['hi']);
});

test('validators check an untrusted peer\'s events: malformed bodies and unknown events are dropped', async () => {
  const { server, client, seen } = pair({ hello: (b) => (b && typeof (b as { name?: unknown }).name === 'string' ? { name: (b as { name: string }).name } : null) });
  client.emit('hello', { name: 'ok' });
  (client as unknown as MessageHandler<Side<None, { hello: unknown }>, Side>).emit('hello', { name: 7 });
  server.handle({ kind: 'event', event: 'other', body: {} });
  server.handle({ kind: 'event', event: 'toString', body: {} });
  server.handle('not a message');
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, [{ name: 'ok' }]);
});

test('closing the transport rejects every pending request with the reason, and later requests at once', async () => {
  const { client, cut } = pair();
  cut(); // the peer is gone: nothing will answer
  const a = client.request('sum', [1, 1]);
  const b = client.request('count', { upTo: 1 });
  assert.equal(client.pendingCount, 2);
  client.close(new Error('index worker exited (code 7)'));
  await assert.rejects(a, /exited \(code 7\)/);
  await assert.rejects(b, /exited \(code 7\)/);
  assert.equal(client.pendingCount, 0);
  await assert.rejects(client.request('sum', [1, 2]), /exited \(code 7\)/);
});

test('an answer that arrives after close is ignored (no second settle, no throw)', async () => {
  const { client } = pair();
  const p = client.request('sum', [1, 2]);
  client.close(new Error('stopped'));
  await assert.rejects(p, /stopped/);
  await new Promise((r) => setTimeout(r, 5)); // the server's answer lands now
  assert.equal(client.pendingCount, 0);
});

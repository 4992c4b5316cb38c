/**
 * OpenCode 1.x's session fork (`Session.fork`, packages/opencode/src/session/session.ts @fa40506 and every earlier
 * build back to src/session/index.ts: "fork"): a new session titled `<title> (fork #N)` (`getForkedTitle`), without a
 * parent, into which every message before the fork point is COPIED — `{...msg.info, sessionID: <new>, id:
 * MessageID.ascending()}` and each part under a new part id — so each copied assistant message repeats the
 * original's `tokens`, `cost`, `time.created` and step-finish parts under a new id. Those calls were billed once.
 *
 * A copy is told by its id: OpenCode's ids (packages/opencode/src/id/id.ts `create`) are `msg_` + 12 hex digits of
 * the low 48 bits of `Date.now() * 0x1000 + counter` + 14 random characters, and an assistant message's id and its
 * `time.created` are taken in the same object literal (`id: MessageID.ascending(), … time: { created: Date.now() }`,
 * session/prompt.ts, compaction.ts), so the id's time equals `time.created` (a real Kilo CLI row in splitrail's
 * tests: 0 ms apart). A copy's id carries the time of the fork instead: later than its `time.created` by the time
 * between the reply and the fork. The id keeps the time modulo 2^36 ms (~795 days), so the two are compared so.
 */
const ID = /^msg_([0-9a-f]{12})/;
const WRAP = 2 ** 36;
/** an id this much later than its message's creation was not made with it (a copy): 10 s */
const COPY_AFTER_MS = 10_000;

/** What a session tells of forks: its title says it is one, and when it was made (epoch ms). */
export interface ForkSigns {
  titled: boolean;
  created: number | undefined;
}

/** A session's fork signs; undefined for a subtask (a fork has no parent: `createNext` without `parentID`). */
export function forkSigns(parent: unknown, title: unknown, created: unknown): ForkSigns | undefined {
  if (typeof parent === 'string' && parent) return undefined;
  return { titled: isForkTitle(title), created: typeof created === 'number' && Number.isFinite(created) ? created : undefined };
}

/**
 * Whether an assistant message is a fork's copy of an earlier one: its id made later than it, in a session titled as
 * a fork or made after the message (the one rule of the database and of the legacy files).
 */
export function isForkCopy(id: string, messageCreated: unknown, session: ForkSigns | undefined): boolean {
  if (!session || !isCopiedMessage(id, messageCreated)) return false;
  return session.titled || (session.created !== undefined && (messageCreated as number) < session.created);
}

/** Whether a forked session's title says it is one (`getForkedTitle`: `<title> (fork #N)`). */
function isForkTitle(title: unknown): boolean {
  return typeof title === 'string' && /\(fork #\d+\)$/.test(title);
}

/** Whether an assistant message of a forked session is a copy of an earlier one (its id made later than it). */
export function isCopiedMessage(id: string, created: unknown): boolean {
  const m = ID.exec(id);
  if (!m || typeof created !== 'number' || !Number.isFinite(created)) return false;
  const idTime = Math.floor(Number.parseInt(m[1], 16) / 0x1000);
  const later = (((idTime - created) % WRAP) + WRAP) % WRAP;
  return later > COPY_AFTER_MS && later < WRAP / 2;
}

/**
 * A log file's parser state as `files` keeps it since schema 17: the JSON object without its keys, and its `fp` (the
 * file's head fingerprint, a safe integer) in an integer column of its own. Each object is written as a JSON array of
 * its values led by the id in `strs` of its keys (a JSON array of them, interned like the dims texts: a few dozen
 * distinct key lists over every source), an array as `[0, …its elements]`; the top object's `fp` is left out of the
 * values when it sits in the column. `{}` is NULL. A year of every source (the bench's --mix): files 5.37 → 4.29 MB with the source as its strs id.
 * Exact: `stateText` gives back the text JSON.stringify wrote (keys in their order, every value as it was).
 */

/** What `files` stores for a state: the fingerprint column and the keyless text (both NULL for `{}`). */
export interface PackedState {
  fp: number | null;
  state: string | null;
}

/** The packed form of a state's JSON text (a text that is not a JSON object packs as `{}`, as it was read). */
export function packState(json: string, idOfKeys: (keys: string) => number): PackedState {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return { fp: null, state: null };
  }
  if (!isObject(v)) return { fp: null, state: null };
  const keys = Object.keys(v);
  if (keys.length === 0) return { fp: null, state: null };
  const fp = Number.isSafeInteger(v.fp) ? (v.fp as number) : null;
  const out: unknown[] = [idOfKeys(JSON.stringify(keys))];
  for (const k of keys) if (!(fp !== null && k === 'fp')) out.push(pack(v[k], idOfKeys));
  return { fp, state: JSON.stringify(out) };
}

function pack(v: unknown, idOfKeys: (keys: string) => number): unknown {
  if (Array.isArray(v)) return [0, ...v.map((x) => pack(x, idOfKeys))];
  if (!isObject(v)) return v;
  const keys = Object.keys(v);
  return [idOfKeys(JSON.stringify(keys)), ...keys.map((k) => pack(v[k], idOfKeys))];
}

/** The state's JSON text back from its packed form (`textOf`: the `strs` text of an id). */
export function stateText(fp: number | null, state: string | null, textOf: (id: number) => string): string {
  if (state === null) return '{}';
  const v = JSON.parse(state) as unknown[];
  const keys = JSON.parse(textOf(v[0] as number)) as string[];
  let i = 1;
  const parts = keys.map((k) => `${JSON.stringify(k)}:${fp !== null && k === 'fp' ? String(fp) : unpack(v[i++], textOf)}`);
  return `{${parts.join(',')}}`;
}

function unpack(v: unknown, textOf: (id: number) => string): string {
  if (!Array.isArray(v)) return JSON.stringify(v);
  if (v[0] === 0) return `[${v.slice(1).map((x) => unpack(x, textOf)).join(',')}]`;
  const keys = JSON.parse(textOf(v[0] as number)) as string[];
  return `{${keys.map((k, i) => `${JSON.stringify(k)}:${unpack(v[i + 1], textOf)}`).join(',')}}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

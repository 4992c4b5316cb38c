import { hash53Ascii } from '../../hash';
import { FIELD_SCAN_WASM } from './fieldScanWasm.generated';
import { MAX_DEPTH, readFields, type CompiledFieldSpec } from './selectiveJson';

/**
 * readFields() with its byte scanning done in WebAssembly (wasm/fieldScan.ts: SIMD string skipping, no JS per
 * byte). The line is copied into the module's memory, scanned there into a tape of the wanted values, and the
 * result object is built from the tape here. The result is the same as readFields() for every input: whenever the
 * scanner does not accept a line (malformed JSON, an escaped key in a projected object, too many values, a line
 * longer than LONGEST_LINE) or WebAssembly is unavailable, readFields() itself reads the line.
 *
 * Why: on the bench corpus's Claude part readFields() was the hottest function of a cold index (~380 ms of a
 * 1.6 s CLI run). With the wasm scanner the same lines take ~230–260 ms: ~150 ms of scanning (1.5 ns per byte;
 * these lines are dense with short keys and numbers) and ~85 ms of building values (a JS string per value).
 */
const TAPE_ENTRIES = 4096;
/** Longer lines are read by readFields(), so the module's memory stays small (it never shrinks). */
const LONGEST_LINE = 1 << 20;
/** The scanner's SIMD loads may read up to 15 bytes past a line's end. */
const PAD = 16;

/** The parts of the WebAssembly JS API used here (this project's type libraries do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

interface ScanExports {
  memory: WasmMemory;
  scan(s: number, e: number, tape: number, cap: number): number;
  specNodes(): number;
  specKeys(): number;
  specBytes(): number;
  heapBase(): number;
  [name: string]: unknown;
}

let compiled: object | null | undefined;

/** The compiled scanner, or null when this runtime cannot compile it (no WebAssembly or no SIMD). */
function scannerModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = wasmApi ? new wasmApi.Module(Buffer.from(FIELD_SCAN_WASM, 'base64')) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled ?? null;
}

/** A leaf key whose string value the reader hands over as its hash, or as where its bytes lie (FieldReader `hashAt`). */
export interface HashedKey {
  /** the path of a leaf key of the spec, e.g. ['message', 'id'] */
  path: readonly string[];
  /** hashed before the value: hash53(prefix + value) */
  prefix?: string;
  /** not hashed: `hashes` holds where the string's bytes start, `ends` where they end (any bytes, no escapes) */
  span?: boolean;
}

export class FieldReader {
  /** Lines whose result came from the wasm scanner's tape. */
  wasmLines = 0;
  /** Lines read by readFields() (not accepted by the scanner, too long, or no wasm). */
  jsLines = 0;
  private readonly ex: ScanExports | undefined;
  /** The scanner's exported OP_* and MAX_* constants. */
  private readonly constants: Record<string, number> = {};
  private readonly tape: number;
  private readonly input: number;
  private u8 = new Uint8Array(0);
  private i32 = new Int32Array(0);
  /** the leaf key whose object or array span is kept (spanAt): its spec node and index */
  private readonly spanNode: CompiledFieldSpec | undefined;
  private readonly spanIndex: number = -1;
  /**
   * Where the value of the `spanAt` key (an object or array) lies in the buffer of the last read() — [spanStart,
   * spanEnd) from its opening bracket to just after its closing one — when the wasm scanner read the line; -1 when
   * it did not (readFields() read it, or the key's value is not an object or array, or the line has none).
   */
  spanStart = -1;
  spanEnd = -1;
  /**
   * Per `hashAt` key, after read(): hash53(prefix + its value) when the wasm scanner read the line and the value is
   * a non-empty string of ASCII bytes without escapes — that key is then left out of the result object (no string
   * built); -1 otherwise (the result holds the key's value as readFields() gives it, if any).
   */
  readonly hashes: Float64Array;
  /** per `hashAt` key with `span`: the end of its string's bytes (its start is in `hashes`) */
  readonly ends: Int32Array;
  /** per spec node: the `hashes` slot of each of its keys (-1: not hashed) */
  private readonly hashSlots = new Map<CompiledFieldSpec, Int32Array>();
  /** per spec node: for each of its keys with a child node, the slots of the hashed keys below it */
  private readonly hashResets = new Map<CompiledFieldSpec, (number[] | undefined)[]>();
  private readonly prefixes: string[] = [];
  private readonly spans: boolean[] = [];
  /**
   * After scanSlots(), per key slot (slotOf): the tape op of the key's last value in the line (0: absent, or its
   * parent's last value was not an object), and where that value's bytes lie in the buffer read, [valueStarts, valueEnds).
   */
  readonly ops: Int32Array;
  readonly valueStarts: Int32Array;
  readonly valueEnds: Int32Array;
  /** per key slot: the decoded value of an escaped string (ops OP_STRING_ESCAPED) */
  private readonly escaped: string[] = [];
  /** key slots in depth-first order: per spec node the first slot of its keys, and the end of its subtree's slots */
  private readonly nodeBase: Int32Array;
  private readonly nodeEnd: Int32Array;
  /** per key slot: the spec node of its value, -1 for a leaf key */
  private readonly slotChild: Int32Array;
  private readonly slotPaths = new Map<string, number>();
  /** the scanner's op codes (its OP_* exports; 0 is none of them: an absent value in `ops`) */
  readonly opCodes = { string: -1, stringEscaped: -1, int: -1, number: -1, true: -1, false: -1, null: -1, emptyObject: -1, emptyArray: -1, push: -1, pop: -1 };
  private readonly nodeStack = new Int32Array(MAX_DEPTH + 2);

  /**
   * @param spanAt the path of a leaf key of `spec` (e.g. ['message', 'content']) whose value's byte span the reader
   *   records (spanStart/spanEnd), so a caller can search that part of the line only.
   * @param hashAt leaf keys of `spec` whose string values are wanted only as hash53 (ids): see `hashes`.
   */
  constructor(private readonly spec: CompiledFieldSpec, useWasm = true, spanAt?: readonly string[], hashAt: readonly HashedKey[] = []) {
    this.hashes = new Float64Array(hashAt.length).fill(-1);
    this.ends = new Int32Array(hashAt.length).fill(-1);
    // key slots, depth first: a node's keys, then each child's subtree (a subtree's slots are one range)
    const nodes: CompiledFieldSpec[] = [];
    const bases: number[] = [];
    const subtreeEnds: number[] = [];
    const children: number[] = [];
    let slotCount = 0;
    const number = (node: CompiledFieldSpec, path: readonly string[]): number => {
      const id = nodes.length;
      nodes.push(node);
      bases[id] = slotCount;
      slotCount += node.names.length;
      node.names.forEach((name, i) => {
        this.slotPaths.set(JSON.stringify([...path, name]), bases[id] + i);
        const c = node.children[i];
        children[bases[id] + i] = c ? number(c, [...path, name]) : -1;
      });
      subtreeEnds[id] = slotCount;
      return id;
    };
    number(spec, []);
    this.nodeBase = Int32Array.from(bases);
    this.nodeEnd = Int32Array.from(subtreeEnds);
    this.slotChild = Int32Array.from(children);
    this.ops = new Int32Array(slotCount);
    this.valueStarts = new Int32Array(slotCount);
    this.valueEnds = new Int32Array(slotCount);
    hashAt.forEach((h, slot) => {
      let node: CompiledFieldSpec | null = spec;
      for (const name of h.path.slice(0, -1)) {
        const i: number = node.names.indexOf(name);
        const child: CompiledFieldSpec | null = i >= 0 ? node.children[i] : null;
        if (!child) throw new Error(`FieldReader: ${h.path.join('.')} is not a leaf key of the spec`);
        const resets = this.hashResets.get(node) ?? [];
        this.hashResets.set(node, resets);
        resets[i] ??= [];
        resets[i]!.push(slot);
        node = child;
      }
      const index = node.names.indexOf(h.path[h.path.length - 1]);
      if (index < 0 || node.children[index]) throw new Error(`FieldReader: ${h.path.join('.')} is not a leaf key of the spec`);
      const slots = this.hashSlots.get(node) ?? new Int32Array(node.names.length).fill(-1);
      this.hashSlots.set(node, slots);
      slots[index] = slot;
      this.prefixes[slot] = h.prefix ?? '';
      this.spans[slot] = h.span === true;
    });
    if (spanAt && spanAt.length > 0) {
      let node: CompiledFieldSpec | null = spec;
      for (const name of spanAt.slice(0, -1)) node = node?.children[node.names.indexOf(name)] ?? null;
      const index = node ? node.names.indexOf(spanAt[spanAt.length - 1]) : -1;
      if (!node || index < 0 || node.children[index]) throw new Error(`FieldReader: ${spanAt.join('.')} is not a leaf key of the spec`);
      this.spanNode = node;
      this.spanIndex = index;
    }
    const mod = useWasm ? scannerModule() : null;
    const ex = mod ? (new wasmApi!.Instance(mod, { env: { abort: () => undefined } }).exports as unknown as ScanExports) : undefined;
    this.tape = ex ? (ex.heapBase() + 15) & ~15 : 0;
    this.input = this.tape + TAPE_ENTRIES * 16;
    if (ex) {
      for (const name of Object.keys(ex)) if (name.startsWith('OP_') || name.startsWith('MAX_')) this.constants[name] = (ex[name] as { value: number }).value;
      this.views(ex.memory);
      const k = this.constants;
      Object.assign(this.opCodes, { string: k.OP_STRING, stringEscaped: k.OP_STRING_ESCAPED, int: k.OP_INT, number: k.OP_NUMBER, true: k.OP_TRUE, false: k.OP_FALSE, null: k.OP_NULL, emptyObject: k.OP_EMPTY_OBJECT, emptyArray: k.OP_EMPTY_ARRAY, push: k.OP_PUSH, pop: k.OP_POP });
      if (this.constants.MAX_DEPTH === MAX_DEPTH && this.loadSpec(ex)) this.ex = ex;
    }
  }

  /** readFields(b, s, e, spec) */
  read(b: Buffer, s: number, e: number): Record<string, unknown> | undefined {
    const ex = this.ex;
    const n = e - s;
    this.spanStart = this.spanEnd = -1;
    this.hashes.fill(-1);
    if (ex === undefined || n > LONGEST_LINE) return this.byJs(b, s, e);
    const t = this.scanTape(ex, b, s, n);
    if (t < 0) return this.byJs(b, s, e);
    const result = this.build(b, s - this.input, t);
    if (result === undefined) {
      this.spanStart = this.spanEnd = -1;
      this.hashes.fill(-1);
      return this.byJs(b, s, e);
    }
    this.wasmLines++;
    return result;
  }

  /** Copies the line of `n` bytes at `s` of `b` into the scanner's memory (grown when needed) and scans it: the tape's entries, or < 0 when the scanner does not read it. */
  private scanTape(ex: ScanExports, b: Buffer, s: number, n: number): number {
    if (this.input + n + PAD > this.u8.length) {
      ex.memory.grow(Math.ceil((this.input + n + PAD - this.u8.length) / 65536));
      this.views(ex.memory);
    }
    // (a plain view: a Buffer's subarray costs more than the copy of a line)
    this.u8.set(new Uint8Array(b.buffer, b.byteOffset + s, n), this.input);
    return ex.scan(this.input, this.input + n, this.tape, TAPE_ENTRIES);
  }

  /** The key slot of a key of the spec (its path from the root), for scanSlots(); -1 when the spec has no such key. */
  slotOf(path: readonly string[]): number {
    return this.slotPaths.get(JSON.stringify(path)) ?? -1;
  }

  /**
   * Reads the line [s, e) of `b` into per-key slots (ops, valueStarts, valueEnds) instead of an object: no object or string
   * is built. False when the wasm scanner does not read the line (read() then decides, as readFields() does). The
   * slots say what readFields() would return: a key's last value wins, and a key whose last value is not an object
   * has no values below it. A leaf key's value as readFields() gives it: valueAt(slot).
   */
  scanSlots(b: Buffer, s: number, e: number): boolean {
    const ex = this.ex;
    const n = e - s;
    if (ex === undefined || n > LONGEST_LINE) return false;
    const entries = this.scanTape(ex, b, s, n);
    if (entries < 0) return false;
    const shift = s - this.input;
    const { pop: OP_POP, push: OP_PUSH, stringEscaped: OP_STRING_ESCAPED } = this.opCodes;
    const { i32, ops, valueStarts, valueEnds, nodeBase, nodeEnd, slotChild, nodeStack } = this;
    ops.fill(0);
    let node = 0;
    let depth = 0;
    for (let k = 0, q = this.tape >> 2; k < entries; k++, q += 4) {
      const op = i32[q];
      if (op === OP_POP) {
        node = nodeStack[--depth];
        continue;
      }
      const slot = nodeBase[node] + i32[q + 1];
      const child = slotChild[slot];
      // a key with keys below it, again: what its earlier value held is gone (none the first time: all cleared above)
      if (child >= 0 && ops[slot] !== 0) ops.fill(0, nodeBase[child], nodeEnd[child]);
      if (op === OP_STRING_ESCAPED) {
        try {
          this.escaped[slot] = JSON.parse(b.toString('utf8', i32[q + 2] + shift, i32[q + 3] + shift));
        } catch {
          return false; // an invalid escape: readFields() rejects the line
        }
      }
      ops[slot] = op;
      valueStarts[slot] = i32[q + 2] + shift;
      valueEnds[slot] = i32[q + 3] + shift;
      if (op === OP_PUSH) {
        nodeStack[depth++] = node;
        node = child;
      }
    }
    this.wasmLines++;
    return true;
  }

  /**
   * After scanSlots(): the value of a leaf key as readFields() gives it (undefined when absent; an object or array
   * value as an empty one), read from buffer `b` (the one scanned).
   */
  valueAt(b: Buffer, slot: number): unknown {
    const op = this.ops[slot];
    const c = this.opCodes;
    const a = this.valueStarts[slot];
    const z = this.valueEnds[slot];
    if (op === c.int) return intAt(b, a, z);
    if (op === c.string) return b.toString('utf8', a + 1, z - 1);
    if (op === 0) return undefined;
    if (op === c.stringEscaped) return this.escaped[slot];
    if (op === c.number) return Number(b.toString('latin1', a, z));
    if (op === c.true) return true;
    if (op === c.false) return false;
    if (op === c.null) return null;
    if (op === c.emptyObject) return {};
    if (op === c.emptyArray) return [];
    return undefined;
  }

  /**
   * After scanSlots(): whether a leaf key's value is the JSON string of `text`'s bytes (unescaped), compared in place —
   * no string is built for a value only ever compared (Claude's `usage.speed`, `usage.inference_geo`: one per line).
   */
  stringIs(b: Buffer, slot: number, text: Buffer): boolean {
    const op = this.ops[slot];
    if (op === this.opCodes.stringEscaped) return this.escaped[slot] === text.toString('utf8'); // as valueAt reads it
    if (op !== this.opCodes.string) return false;
    const a = this.valueStarts[slot] + 1;
    const z = this.valueEnds[slot] - 1;
    return z - a === text.length && b.compare(text, 0, text.length, a, z) === 0;
  }

  private byJs(b: Buffer, s: number, e: number): Record<string, unknown> | undefined {
    this.jsLines++;
    return readFields(b, s, e, this.spec);
  }

  /** The object the tape describes (`shift` maps wasm addresses to `b`); undefined to let readFields() decide. */
  private build(b: Buffer, shift: number, entries: number): Record<string, unknown> | undefined {
    const { OP_STRING, OP_STRING_ESCAPED, OP_INT, OP_NUMBER, OP_TRUE, OP_FALSE, OP_NULL, OP_EMPTY_OBJECT, OP_EMPTY_ARRAY, OP_PUSH, OP_POP } = this.constants;
    const i32 = this.i32;
    const root: Record<string, unknown> = {};
    const specs: CompiledFieldSpec[] = [];
    const outs: Record<string, unknown>[] = [];
    let spec = this.spec;
    let out = root;
    const anyHashed = this.hashSlots.size > 0;
    let slots = anyHashed ? this.hashSlots.get(spec) : undefined;
    let resets = anyHashed ? this.hashResets.get(spec) : undefined;
    for (let k = 0, q = this.tape >> 2; k < entries; k++, q += 4) {
      const op = i32[q];
      if (op === OP_POP) {
        spec = specs.pop()!;
        out = outs.pop()!;
        if (anyHashed) {
          slots = this.hashSlots.get(spec);
          resets = this.hashResets.get(spec);
        }
        continue;
      }
      const index = i32[q + 1];
      const name = spec.names[index];
      const a = i32[q + 2] + shift;
      const z = i32[q + 3] + shift;
      if (slots !== undefined && slots[index] >= 0) {
        // a hashed key: its last value decides, as for any key
        const slot = slots[index];
        if (this.spans[slot]) {
          this.hashes[slot] = op === OP_STRING ? a + 1 : -1;
          this.ends[slot] = op === OP_STRING ? z - 1 : -1;
        } else this.hashes[slot] = op === OP_STRING && z - a > 2 ? hash53Ascii(b, a + 1, z - 1, this.prefixes[slot]) : -1;
        if (this.hashes[slot] >= 0) {
          if (out[name] !== undefined) delete out[name]; // (an earlier copy of the key)
          continue;
        }
      } else if (resets?.[index] !== undefined) for (const slot of resets[index]!) this.hashes[slot] = -1; // a parent key again: the last one wins
      if (op === OP_STRING) out[name] = b.toString('utf8', a + 1, z - 1);
      else if (op === OP_INT) out[name] = intAt(b, a, z); else if (op === OP_TRUE) out[name] = true;
      else if (op === OP_FALSE) out[name] = false;
      else if (op === OP_NULL) out[name] = null;
      else if (op === OP_PUSH) {
        const child: Record<string, unknown> = {};
        out[name] = child;
        specs.push(spec);
        outs.push(out);
        spec = spec.children[index]!;
        out = child;
        if (anyHashed) {
          slots = this.hashSlots.get(spec);
          resets = this.hashResets.get(spec);
        }
        if (spec === this.spanNode) this.spanStart = this.spanEnd = -1; // a repeated parent key: the last one wins
      } else if (op === OP_EMPTY_OBJECT || op === OP_EMPTY_ARRAY) {
        out[name] = op === OP_EMPTY_OBJECT ? {} : [];
        if (spec === this.spanNode && index === this.spanIndex) {
          this.spanStart = a;
          this.spanEnd = z;
        }
      }
      else if (op === OP_NUMBER) out[name] = Number(b.toString('latin1', a, z));
      else if (op === OP_STRING_ESCAPED) {
        try {
          out[name] = JSON.parse(b.toString('utf8', a, z));
        } catch {
          return undefined; // an invalid escape: readFields() rejects the line
        }
      } else return undefined;
    }
    return root;
  }

  private views(memory: WasmMemory): void {
    this.u8 = new Uint8Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
  }

  /** Writes the spec into the module's tables; false when it does not fit them (readFields() then reads all). */
  private loadSpec(ex: ScanExports): boolean {
    const nodes: CompiledFieldSpec[] = [];
    (function number(spec: CompiledFieldSpec): void {
      nodes.push(spec);
      for (const c of spec.children) if (c) number(c);
    })(this.spec);
    const keyCount = nodes.reduce((n, node) => n + node.keys.length, 0);
    const byteCount = nodes.reduce((n, node) => n + node.keys.reduce((m, k) => m + k.length, 0), 0);
    if (nodes.length > this.constants.MAX_NODES || keyCount > this.constants.MAX_KEYS || byteCount > this.constants.MAX_KEY_BYTES) return false;
    const i32 = this.i32;
    let key = 0;
    let byte = 0;
    nodes.forEach((node, i) => {
      i32[(ex.specNodes() >> 2) + i * 2] = node.keys.length;
      i32[(ex.specNodes() >> 2) + i * 2 + 1] = key;
      node.keys.forEach((k, j) => {
        const child = node.children[j];
        i32.set([byte, k.length, child ? nodes.indexOf(child) : -1], (ex.specKeys() >> 2) + key * 3);
        this.u8.set(k, ex.specBytes() + byte);
        byte += k.length;
        key++;
      });
    });
    return true;
  }
}

/** The integer of at most 15 digits in [a, z) of `b` (the scanner's OP_INT: an optional minus, digits). */
export function intAt(b: Buffer, a: number, z: number): number {
  let p = a;
  const neg = b[p] === 0x2d;
  if (neg) p++;
  let v = 0;
  for (; p < z; p++) v = v * 10 + (b[p] - 0x30);
  return neg ? -v : v;
}

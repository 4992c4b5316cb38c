/**
 * The distinct strings of a file's records, each stored once: `at(s)` is the index of `s` in `strings` (added the
 * first time), -1 for undefined. The packed records a parse worker hands over (packedCalls.ts, packedCodexEvents.ts)
 * keep an index per string field and this short table.
 */
export interface StringTable {
  readonly strings: string[];
  at(s: string | undefined): number;
}

export function stringTable(): StringTable {
  const strings: string[] = [];
  const index = new Map<string, number>();
  return {
    strings,
    at(s) {
      if (s === undefined) return -1;
      let i = index.get(s);
      if (i === undefined) {
        i = strings.length;
        strings.push(s);
        index.set(s, i);
      }
      return i;
    },
  };
}

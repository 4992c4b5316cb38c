// Types for prng.mjs (the parts the TypeScript tests use).
export interface Rng {
  next(): number;
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  uuid(): string;
  hex(n: number): string;
}
export declare function createRng(seed: number): Rng;

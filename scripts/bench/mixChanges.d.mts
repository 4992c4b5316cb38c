// Types for mixChanges.mjs.
export declare function geminiAppends(rng: unknown, target: string, n: number, nowMs: number): string[];
export declare function clineUpdates(target: string, n: number): string[];

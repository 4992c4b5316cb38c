// Types for sqljsPatch.mjs (used by its unit test).
export declare function patchSqlJs(script: string): string | undefined;
export declare function patchedSqlJsScript(): string;
export declare function sqlJsPatchPlugin(patched?: string): { name: string; setup(build: unknown): void };

// Types for sqljsPatch.mjs (used by its unit test).
export declare function patchSqlJs(script: string): string | undefined;

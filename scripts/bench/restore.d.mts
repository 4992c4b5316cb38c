// Types for restore.mjs.
export declare function rememberForRestore(benchDir: string, paths: string[]): void;
export declare function restoreAppends(benchDir: string): void;

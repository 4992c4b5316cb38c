export declare function suiteOutDir(repoRoot: string): string;
export declare function buildSuite(repoRoot: string): Promise<{ outDir: string; entry: string; count: number }>;

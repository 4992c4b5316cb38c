// Types for corpus.mjs (used by the TypeScript unit test of the generator).
export declare const DEFAULT_SEED: number;
export declare const CORPUS_START_MS: number;
export declare const CORPUS_DAYS: number;
export interface CorpusManifest {
  seed: number;
  claudeBytes: number;
  codexBytes: number;
  generateSeconds: { claude: number; codex: number };
  claude: {
    bytes: number; files: number; lines: number; toolResultBytes: number; assistantLines: number; streamingCopies: number;
    resumedFiles: number; subagentFiles: number;
    truthByModel: Record<string, { calls: number; input: number; output: number; cw5m: number; cw1h: number; cacheRead: number; webSearch: number; longRequests: number;
      long: { input: number; cw5m: number; cw1h: number; cacheRead: number; output: number };
      abovePerField: { input: number; cacheWrite: number; cacheRead: number; output: number } }>;
  };
  codex: {
    bytes: number; files: number; lines: number; tokenCountEvents: number; reemitted: number; nullInfo: number;
    truthByModel: Record<string, { calls: number; input: number; cached: number; output: number; reasoning: number }>;
  };
}
export declare function ensureCorpus(o: {
  baseDir: string;
  seed?: number;
  claudeBytes?: number;
  codexBytes?: number;
  log?: (s: string) => void;
}): { dir: string; claudeDir: string; codexDir: string; manifest: CorpusManifest; generated: boolean };

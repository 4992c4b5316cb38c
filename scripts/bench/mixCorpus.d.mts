// Types for mixCorpus.mjs and mixTruth.mjs (used by the TypeScript unit test of the mix generator).
export interface MixTruth { files: number; bytes: number; requests: number; input: number; output: number; cacheWrite: number; cacheRead: number; reasoning: number }
export interface MixManifest {
  kind: 'year-mix';
  seed: number;
  scale: number;
  startDay: string;
  endDay: string;
  generateSeconds: Record<string, number>;
  truth: Record<'gemini' | 'qwen' | 'cline' | 'roo' | 'copilot-cli' | 'opencode', MixTruth>;
  /** paths relative to the corpus folder: the bench's per-change targets */
  targets: { gemini: string; cline: string };
}
export declare const MIX_SHAPE: { gemini: number; qwen: number; cline: number; roo: number; copilotCliSessions: number; opencodeMessages: number };
export declare const MIX_SEED: number;
export declare function ensureMixCorpus(o: { baseDir: string; endDay: string; seed?: number; scale?: number; log?: (s: string) => void }): Promise<{ dir: string; home: string; manifest: MixManifest; generated: boolean }>;

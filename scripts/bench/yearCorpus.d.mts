// Types for yearCorpus.mjs and yearCalendar.mjs (used by the TypeScript unit test of the year generator).
import type { CorpusManifest } from './corpus.mjs';
export declare const YEAR_SEED: number;
export interface YearManifest extends CorpusManifest {
  kind: 'year';
  scale: number;
  startDay: string;
  endDay: string;
  claude: CorpusManifest['claude'] & { calls: number; projects: number; callsByDay: Record<string, number> };
  codex: CorpusManifest['codex'] & { calls: number; callsByDay: Record<string, number> };
}
export declare function ensureYearCorpus(o: {
  baseDir: string;
  seed?: number;
  scale?: number;
  endDay?: string;
  fresh?: boolean;
  log?: (s: string) => void;
}): { dir: string; claudeDir: string; codexDir: string; manifest: YearManifest; generated: boolean };

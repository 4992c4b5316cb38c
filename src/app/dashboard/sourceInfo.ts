import { SOURCE_DEFS } from '../../core/sources/registry';
import type { SourceInfo } from '../../shared/protocol';

/** Every registered source as the dashboard shows it (labels and colours come from the registry only). */
export const SOURCE_INFO: SourceInfo[] = SOURCE_DEFS.map((s) => ({ id: s.id, label: s.label, color: s.color, ...(s.themeColor ? { themeColor: s.themeColor } : {}) }));

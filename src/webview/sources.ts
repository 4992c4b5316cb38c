/** The log sources as the latest snapshot lists them (labels and colours come from the host's registry). */
import type { SourceId, SourceInfo } from '../shared/protocol';

let known = new Map<SourceId, SourceInfo>();

/** Called with each snapshot's `sourceInfo`. */
export function setSources(list: readonly SourceInfo[]): void {
  known = new Map(list.map((s) => [s.id, s]));
}

/** The display name of a source (its id when unknown). */
export function sourceLabel(id: SourceId): string {
  return known.get(id)?.label ?? id;
}

/** A source's chart colour: its theme colour variable where the theme has it, else its own colour. */
export function sourceColor(id: SourceId, style: CSSStyleDeclaration = getComputedStyle(document.body)): string {
  const s = known.get(id);
  if (!s) return '#888888';
  const themed = s.themeColor ? style.getPropertyValue(s.themeColor).trim() : '';
  return themed || s.color;
}

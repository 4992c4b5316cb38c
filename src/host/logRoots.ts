/** The log folders of this window: discovered from the settings, logged when they change. No `vscode` import. */
import type { Logger } from '../core/types';
import type { CoreIndexApi, DiscoveredRoots } from '../app/indexApi';
import type { SourceSelection } from '../app/settings';

/** The folders found differ (sources or folders). */
export function rootsChanged(a: Pick<DiscoveredRoots, 'roots'>, b: Pick<DiscoveredRoots, 'roots'>): boolean {
  return JSON.stringify(a.roots) !== JSON.stringify(b.roots);
}

export class LogRoots {
  private roots: DiscoveredRoots | undefined;

  constructor(private readonly discover: CoreIndexApi['discover'], private readonly logger: Logger) {}

  /** The last discovery's result (undefined before the first). */
  get current(): DiscoveredRoots | undefined {
    return this.roots;
  }

  /** Discovers again; true when the folders found differ from the last discovery's. */
  async update(selection: SourceSelection): Promise<boolean> {
    const roots = await this.discover(selection);
    const before = this.roots;
    this.roots = roots;
    const changed = !before || rootsChanged(before, roots);
    if (changed) {
      const found = Object.keys(roots.searched).map((id) => `${id} [${roots.roots.filter((r) => r.source === id).map((r) => r.dir).join(', ') || 'none'}]`);
      this.logger.info(`log folders: ${found.join(', ') || 'no source enabled'}`);
      for (const n of roots.notes) this.logger.info(`discovery: ${n}`);
    }
    return changed;
  }
}

/** The log folders of this window: discovered from the settings, logged when they change. No `vscode` import. */
import type { Logger } from '../core/types';
import type { CoreIndexApi, DiscoveredRoots } from '../app/indexApi';

/** The configured folders (`agentMeter.claudeDirs` / `codexDirs`) differ. */
export function dirsChanged(a: { claudeDirs: string[]; codexDirs: string[] }, b: { claudeDirs: string[]; codexDirs: string[] }): boolean {
  return JSON.stringify([a.claudeDirs, a.codexDirs]) !== JSON.stringify([b.claudeDirs, b.codexDirs]);
}

export class LogRoots {
  private roots: DiscoveredRoots | undefined;

  constructor(private readonly discover: CoreIndexApi['discover'], private readonly logger: Logger) {}

  /** The last discovery's result (undefined before the first). */
  get current(): DiscoveredRoots | undefined {
    return this.roots;
  }

  /** Discovers again; true when the folders found differ from the last discovery's. */
  async update(dirs: { claudeDirs: string[]; codexDirs: string[] }): Promise<boolean> {
    const roots = await this.discover(dirs.claudeDirs, dirs.codexDirs);
    const before = this.roots;
    this.roots = roots;
    const changed = !before || dirsChanged(before, roots);
    if (changed) {
      this.logger.info(`log folders: Claude [${roots.claudeDirs.join(', ') || 'none'}], Codex [${roots.codexDirs.join(', ') || 'none'}]`);
      for (const n of roots.notes) this.logger.info(`discovery: ${n}`);
    }
    return changed;
  }
}

/** The user's cache folder for agentmeter (its own file: the CLI's small loader, bin.ts, needs it without the rest). */
import { isAbsolute, join } from 'node:path';

/**
 * The user's cache folder for agentmeter: `$XDG_CACHE_HOME/agentmeter` (an absolute XDG_CACHE_HOME only, as the
 * XDG spec says; default `~/.cache/agentmeter`) on Linux and other Unix systems, `~/Library/Caches/agentmeter` on
 * macOS, `%LOCALAPPDATA%\agentmeter` on Windows (default `~\AppData\Local\agentmeter`).
 */
export function cacheDir(env: Record<string, string | undefined>, home: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA?.trim();
    return join(local && isAbsolute(local) ? local : join(home, 'AppData', 'Local'), 'agentmeter');
  }
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'agentmeter');
  const xdg = env.XDG_CACHE_HOME?.trim();
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.cache'), 'agentmeter');
}

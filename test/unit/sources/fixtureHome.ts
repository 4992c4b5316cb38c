import { copyFileSync, cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpDir } from '../ingest/helpers';

const SRC = join(__dirname, '../../../src/core/sources');

/** A home with every plug-in source's fixtures where its agent writes them (OpenCode's database without its -wal). */
export function fixtureHome(): string {
  const home = tmpDir('agentmeter-home-');
  const into = (dir: string, files: string[]) => {
    mkdirSync(dir, { recursive: true });
    for (const f of files) copyFileSync(f, join(dir, f.split('/').pop()!));
  };
  const fixtures = (id: string, test: (name: string) => boolean) => readdirSync(join(SRC, id, 'fixtures')).filter(test).map((n) => join(SRC, id, 'fixtures', n));
  into(join(home, '.gemini/tmp/proj-a/chats'), fixtures('gemini', (n) => n.startsWith('session-')));
  into(join(home, '.qwen/projects/-home-u-app/chats'), fixtures('qwen', (n) => n.endsWith('.jsonl')));
  into(join(home, '.qwen/tmp/abc/chats'), fixtures('qwen', (n) => n.startsWith('session-') && n.endsWith('.json')));
  const storage = join(home, '.config/Code/User/globalStorage');
  for (const id of ['cline', 'roo', 'kilo']) cpSync(join(SRC, id, 'fixtures/globalStorage'), storage, { recursive: true });
  cpSync(join(SRC, 'copilotCli/fixtures/session-state'), join(home, '.copilot/session-state'), { recursive: true });
  into(join(home, '.local/share/opencode'), [join(SRC, 'opencode/fixtures/wal/opencode.db')]);
  cpSync(join(SRC, 'opencode/fixtures/storage'), join(home, '.local/share/opencode/storage'), { recursive: true });
  return home;
}


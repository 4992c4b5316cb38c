// Shrinks docs/screenshots/*.png with pngquant (Debian's `pngquant`, installed by scripts/setup-test-host.sh): the
// README's screenshots are packaged in the VSIX (npm run check:vsix keeps it under 2 MiB), and a palette of 256
// colours keeps a UI screenshot's text crisp at about a third of the size. Run by scripts/run-ui-tests.mjs after
// UPDATE_SCREENSHOTS=1 wrote them, or by hand. Without pngquant it says so and leaves the files as they are.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(new URL('..', import.meta.url).pathname, 'docs/screenshots');
const files = readdirSync(dir).filter((f) => f.endsWith('.png')).map((f) => join(dir, f));
if (spawnSync('pngquant', ['--version']).status !== 0) {
  console.log('shrink-screenshots: pngquant not found (apt-get install pngquant); screenshots left as they are');
  process.exit(0);
}
let before = 0;
let after = 0;
for (const f of files) {
  const size = statSync(f).size;
  before += size;
  // --skip-if-larger: an already quantized file stays as it is (exit code 98/99 are "not worth it", not failures)
  const r = spawnSync('pngquant', ['--quality=80-95', '--speed=1', '--strip', '--skip-if-larger', '--force', '--ext', '.png', f]);
  if (r.status !== 0 && r.status !== 98 && r.status !== 99) console.error(`shrink-screenshots: ${f}: ${r.stderr}`);
  after += statSync(f).size;
}
console.log(`shrink-screenshots: ${files.length} files, ${(before / 1024).toFixed(0)} KiB -> ${(after / 1024).toFixed(0)} KiB`);

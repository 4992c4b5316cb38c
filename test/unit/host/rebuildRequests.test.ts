/** RebuildRequests (src/host/rebuildRequests.ts): a reader's request is taken once by the writer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RebuildRequests, REBUILD_REQUEST_FILE } from '../../../src/host/rebuildRequests';

test('no request: nothing to take; two requests before the writer looks are one rebuild; the file is removed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'am-rebuild-'));
  const reader = new RebuildRequests(dir);
  const writer = new RebuildRequests(dir);
  assert.equal(await writer.take(), false);
  await reader.request();
  await reader.request();
  assert.equal(existsSync(join(dir, REBUILD_REQUEST_FILE)), true);
  assert.equal(await writer.take(), true);
  assert.equal(await writer.take(), false);
  assert.equal(existsSync(join(dir, REBUILD_REQUEST_FILE)), false);
});

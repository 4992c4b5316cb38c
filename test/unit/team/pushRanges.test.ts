import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pushRanges } from '../../../src/app/team/push';
import { teamProjectKey } from '../../../src/core/team/projectKey';

const END = 8_640_000_000_000_000;
const t = (iso: string) => Date.parse(iso);

test('a push from the last 35 days is one transaction to the end of time', () => {
  assert.deepEqual(pushRanges(t('2026-11-20T00:00:00Z'), t('2026-12-06T12:00:00Z'), t('2026-01-01T00:00:00Z')), [[t('2026-11-20T00:00:00Z'), END]]);
});

test('an older start is cut at UTC month starts, the first range holding everything before the first data month', () => {
  const r = pushRanges(t('2026-07-15T06:00:00Z'), t('2026-10-02T00:00:00Z'), t('2026-07-15T06:00:00Z'));
  assert.deepEqual(r, [
    [t('2026-07-15T06:00:00Z'), t('2026-08-01T00:00:00Z')],
    [t('2026-08-01T00:00:00Z'), t('2026-09-01T00:00:00Z')],
    [t('2026-09-01T00:00:00Z'), t('2026-10-01T00:00:00Z')],
    [t('2026-10-01T00:00:00Z'), END],
  ]);
  // a watermark far before the data (a bucket emptied by a correction): one range up to the data's month end
  const w = pushRanges(-8.64e15, t('2026-10-02T00:00:00Z'), t('2026-09-10T00:00:00Z'));
  assert.deepEqual(w, [[-8.64e15, t('2026-10-01T00:00:00Z')], [t('2026-10-01T00:00:00Z'), END]]);
});

test('projects: folder name, full path, or a salted hash equal on every machine given the same salt', () => {
  assert.equal(teamProjectKey('/home/me/src/app/', 'folder'), 'app');
  assert.equal(teamProjectKey('C:\\Users\\me\\src\\api', 'folder'), 'api');
  assert.equal(teamProjectKey('/home/me/src/app', 'path'), '/home/me/src/app');
  const h = teamProjectKey('/home/me/src/app', 'hash', 'salt');
  assert.match(h, /^h:[0-9a-f]{16}$/);
  assert.equal(teamProjectKey('/home/me/src/app', 'hash', 'salt'), h);
  assert.notEqual(teamProjectKey('/home/me/src/app', 'hash', 'other'), h);
  assert.notEqual(teamProjectKey('/home/me/src/api', 'hash', 'salt'), h);
});

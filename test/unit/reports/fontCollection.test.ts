/** The PDF renderer's font loading: a .ttf as is, the first face of a TrueType .ttc, CFF fonts refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { FontFileError, trueTypeFace } from '../../../src/app/reports/render/fontCollection';

const TTC = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
const TTF = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/** A minimal sfnt: the version tag and a table directory of the given tags (lengths 0). */
function sfnt(version: string | number, tags: string[]): Buffer {
  const b = Buffer.alloc(12 + 16 * tags.length);
  if (typeof version === 'number') b.writeUInt32BE(version, 0);
  else b.write(version, 0, 'latin1');
  b.writeUInt16BE(tags.length, 4);
  tags.forEach((t, i) => {
    b.write(t, 12 + 16 * i, 'latin1');
    b.writeUInt32BE(b.length, 12 + 16 * i + 8);
  });
  return b;
}

test('a TrueType font is used as it is', () => {
  const ttf = sfnt(0x00010000, ['cmap', 'glyf', 'head']);
  assert.equal(trueTypeFace(ttf, 'x.ttf'), ttf);
  if (existsSync(TTF)) {
    const dejavu = readFileSync(TTF);
    assert.equal(trueTypeFace(dejavu, TTF), dejavu);
  }
});

test('CFF (OpenType "OTTO") fonts and collections of them are refused with one line', () => {
  assert.throws(() => trueTypeFace(sfnt('OTTO', ['CFF ', 'cmap']), 'NotoSansCJK.otf'), (e: Error) => e instanceof FontFileError && /NotoSansCJK\.otf has no TrueType outlines/.test(e.message));
  const face = sfnt('OTTO', ['CFF ']);
  const ttc = Buffer.concat([Buffer.from('ttcf'), Buffer.from([0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 16]), face]);
  assert.throws(() => trueTypeFace(ttc, 'NotoSansCJK.ttc'), /has no TrueType outlines/);
  assert.throws(() => trueTypeFace(Buffer.concat([Buffer.from('ttcf'), Buffer.alloc(12)]), 'empty.ttc'), /empty font collection/);
});

test('the first face of a .ttc becomes a standalone .ttf with the same tables', (t) => {
  if (!existsSync(TTC)) return t.skip(`${TTC} is not installed`);
  const ttc = readFileSync(TTC);
  const face = trueTypeFace(ttc, TTC);
  assert.equal(face.readUInt32BE(0), 0x00010000);
  const start = ttc.readUInt32BE(12);
  const n = face.readUInt16BE(4);
  assert.equal(n, ttc.readUInt16BE(start + 4));
  for (let i = 0; i < n; i++) {
    const [r, s] = [12 + 16 * i, start + 12 + 16 * i];
    assert.equal(face.toString('latin1', r, r + 4), ttc.toString('latin1', s, s + 4));
    const len = face.readUInt32BE(r + 12);
    const bytes = face.subarray(face.readUInt32BE(r + 8), face.readUInt32BE(r + 8) + len);
    assert.ok(bytes.equals(ttc.subarray(ttc.readUInt32BE(s + 8), ttc.readUInt32BE(s + 8) + len)));
    assert.equal(face.readUInt32BE(r + 8) % 4, 0);
  }
});

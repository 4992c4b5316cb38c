import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCodexRateLimits } from '../../../src/core/ingest/parse/codexRateLimits';
import { rng } from '../rng';

const read = (text: string) => {
  // inside a longer buffer, as in a line: the reader must stay within [p, e)
  const b = Buffer.from(`xx${text}}}`);
  return readCodexRateLimits(b, 2, b.length - 2);
};

/** A number's JSON text: mostly what serde writes for an f64 / i64, sometimes a form the reader must refuse. */
function numberText(r: () => number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  if (r() < 0.7) return pick([String(Math.round(r() * 1000) / 10), `${Math.floor(r() * 100)}.0`, String(Math.floor(r() * 2e9)), '0', '300', '10080']);
  return pick([
    () => String(Math.round(r() * 1000) / 10), // 87.7
    () => `${Math.floor(r() * 100)}.0`, // serde's 27.0
    () => String(Math.floor(r() * 2e9)),
    () => String(r() * 100), // 16–17 significant digits: refused
    () => (r() * 100).toPrecision(15), // 15 digits: read
    () => (r() * 1e-3).toPrecision(12), // 0.000…
    () => pick(['0', '-0', '-12.5', '0.0', '100', '1e2', '1E-7', '5.', '.5', '01', '-', '00.5', '999999999999999', '9999999999999999', '0.1', '0.30000000000000004']),
  ])();
}

function stringText(r: () => number): string {
  if (r() < 0.7) return ['null', '"codex"', '"plus"'][Math.floor(r() * 3)];
  return [() => 'null', () => '"codex"', () => '"plus"', () => '"pro"', () => '""', () => '"co\\"dex"', () => '"é"', () => '"a\\u0062"', () => '"\t"'][Math.floor(r() * 9)]();
}

function windowText(r: () => number): string {
  if (r() < 0.2) return 'null';
  const wm = r() < 0.2 ? 'null' : numberText(r);
  const ra = r() < 0.2 ? 'null' : numberText(r);
  return `{"used_percent":${numberText(r)},"window_minutes":${wm},"resets_at":${ra}}`;
}

function rateLimitsText(r: () => number): string {
  const credits = r() < 0.9 ? 'null' : '{"has_credits":false,"unlimited":false,"balance":null}';
  let text = `{"limit_id":${stringText(r)},"limit_name":${stringText(r)},"primary":${windowText(r)},"secondary":${windowText(r)},"credits":${credits},"plan_type":${stringText(r)}}`;
  switch (Math.floor(r() * 12)) {
    case 0:
      text = text.replace('"primary":', '"primary": '); // a space
      break;
    case 1:
      text = `${text.slice(0, -1)},"extra":1}`; // a key more
      break;
    case 2:
      text = text.replace(/,"limit_name":[^,]*/, ''); // a key fewer
      break;
    case 3:
      text = text.slice(0, -1); // cut short
      break;
    case 4:
      text = text.replace('"resets_at":', '"resets_in_seconds":'); // an older build
      break;
  }
  return text;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

test('rate_limits in current Codex layout are read from the bytes exactly as JSON.parse reads them; anything else is refused', () => {
  const r = rng(20261207);
  let fast = 0;
  for (let i = 0; i < 20_000; i++) {
    const text = rateLimitsText(r);
    const got = read(text);
    if (got === undefined) continue;
    fast++;
    assert.ok(parses(text), `accepted what JSON.parse rejects: ${text}`);
    assert.deepEqual(got, JSON.parse(text), text); // strict: -0 and 0 differ, keys in the same order
    assert.deepEqual(Object.keys(got), Object.keys(JSON.parse(text)));
  }
  assert.ok(fast > 2000, `the fast path took only ${fast} of 20000`);
});

test('the rate_limits Codex writes take the fast path; strings repeated across lines stay right when they change', () => {
  const a = '{"limit_id":"codex","limit_name":null,"primary":{"used_percent":87.7,"window_minutes":300,"resets_at":1779516000},"secondary":{"used_percent":26.3,"window_minutes":10080,"resets_at":1779926400},"credits":null,"plan_type":"plus"}';
  const b = a.replace('"codex"', '"codey"').replace('"plus"', '"pro"').replace('87.7', '0.0');
  for (const text of [a, b, a, b.replace('"codey"', 'null')]) assert.deepEqual(read(text), JSON.parse(text), text);
  assert.equal(read(a.replace('"credits":null', '"credits":{"has_credits":true}')), undefined);
  assert.equal(read('null'), undefined); // left to JSON.parse (and its memo)
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatInt, formatUsd } from '../../../src/cli/formatNumbers';

/** What the table showed when it used Intl.NumberFormat: formatNumbers.ts must give the same text for every number. */
const intlInt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const intlUsd = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const viaIntl = (n: number) => {
  if (n > 0 && n < 0.00005) return '<$0.0001';
  if (n !== 0 && Math.abs(n) < 0.01) return `$${n.toFixed(4)}`;
  return `$${intlUsd.format(n)}`;
};

test('formatInt and formatUsd write what Intl.NumberFormat en-US writes (ties, carries, signs, huge and odd values)', () => {
  const values = [0, -0, 1, -1, 999, 1000, -1000, 999_999.5, 1.005, 2.675, 1.045, 0.125, -1.005, 9.995, 99.995, 999.995, 999_999.995, -9.995,
    0.01, 0.015, 0.0149, 0.994, 0.995, 0.996, 1234.565, 2_029_549_284, 1_090.6, 1e20 + 0.5, 1e21, -1e21, 1.5e300, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER];
  // a fixed pseudo-random spread over 24 orders of magnitude, and the same values cut to cents and half cents
  let seed = 20261206;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let i = 0; i < 20_000; i++) {
    const x = (rnd() - 0.3) * 10 ** (Math.floor(rnd() * 24) - 3);
    values.push(x, Math.round(x * 100) / 100, Math.round(x * 1000) / 1000 + 0.005, Math.round(x));
  }
  for (const x of values) {
    assert.equal(formatInt(x), intlInt.format(Math.round(x)), `formatInt(${x})`);
    assert.equal(formatUsd(x), viaIntl(x), `formatUsd(${x})`);
  }
  assert.equal(formatUsd(1.005), '$1.01'); // Intl rounds the shortest decimal, not the binary value (toFixed: 1.00)
  assert.equal(formatUsd(999.995), '$1,000.00');
  assert.equal(formatInt(-1234567.4), '-1,234,567');
});

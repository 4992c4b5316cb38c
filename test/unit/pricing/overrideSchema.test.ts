import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CURRENCY_CODE, parsePriceOverrides, PROVIDERS, RATE_FIELDS } from '../../../src/core/pricing/priceTable';

const root = join(__dirname, '../../..');
const json = (name: string) => JSON.parse(readFileSync(join(root, name), 'utf8'));

/** `agentMeter.prices.overrides`' schema of one model's entry, as VS Code's settings editor checks it. */
function entrySchema(): { properties: Record<string, { enum?: string[]; pattern?: string; description: string }>; additionalProperties: boolean } {
  const conf = json('package.json').contributes.configuration;
  for (const c of Array.isArray(conf) ? conf : [conf]) {
    const s = c.properties?.['agentMeter.prices.overrides'];
    if (s) return s.additionalProperties;
  }
  throw new Error('no agentMeter.prices.overrides in package.json');
}

test('the price overrides setting accepts exactly the fields the override parser accepts, each described in both languages', () => {
  const schema = entrySchema();
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(Object.keys(schema.properties).sort(), [...RATE_FIELDS, 'provider', 'currency'].sort());
  assert.deepEqual(schema.properties.provider!.enum, [...PROVIDERS]);
  assert.equal(schema.properties.currency!.pattern, CURRENCY_CODE.source);
  const en = json('package.nls.json');
  const zh = json('package.nls.zh-cn.json');
  for (const [field, p] of Object.entries(schema.properties)) {
    const key = /^%(.+)%$/.exec(p.description)?.[1];
    assert.ok(key && en[key] && zh[key], `${field}: a description in English and Chinese`);
  }
  // and every field the schema allows, the parser takes
  const entry = Object.fromEntries(RATE_FIELDS.map((f) => [f, 1]));
  assert.doesNotThrow(() => parsePriceOverrides({ 'some-model': { ...entry, provider: 'zhipu', currency: 'CNY' } }));
});

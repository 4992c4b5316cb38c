/** Report documents in team scope (issue 17 §2): the team database's facts (session '', plus member and machine). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport } from '../../../src/app/reports/model';
import { resolvePeriod } from '../../../src/app/reports/period';
import type { TemplateId } from '../../../src/app/reports/templates';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import type { TeamFact } from '../../../src/core/team/types';
import { NOW, TZ, sampleData } from './docFixture';

const MEMBERS = ['alice@example.com', 'bob@example.com'];
const machines = [
  { member: MEMBERS[0], machine: 'laptop', lastPushMs: Date.parse('2026-03-09T08:00:00Z'), lastEntryMs: null, version: '0.2.0' },
  { member: MEMBERS[1], machine: 'desk', lastPushMs: Date.parse('2026-03-08T08:00:00Z'), lastEntryMs: null, version: '0.2.0' },
  { member: MEMBERS[1], machine: 'ci', lastPushMs: Date.parse('2026-03-07T08:00:00Z'), lastEntryMs: null, version: '0.2.0' },
];

function teamDoc(template: TemplateId) {
  const data = sampleData();
  data.facts = data.facts.map((f, i): TeamFact => ({ ...f, session: '', member: MEMBERS[i % 2], machine: i % 2 ? 'desk' : 'laptop', activity: '' }));
  data.estimatedDays = [];
  return buildReport(data, {
    template,
    period: resolvePeriod({ preset: 'custom', since: '2026-03-01', until: '2026-03-07' }, NOW, TZ, 1),
    scope: { sources: [] },
    timeZone: TZ,
    weekStart: 1,
    prices: createPriceTable(),
    nowMs: NOW,
    team: { identity: 'lead@db.example:5432/agentmeter', machines },
  });
}

test('team summary: a by-member table whose rows add up to the totals; the team database table names members, machines, last pushes', () => {
  const doc = teamDoc('summary');
  assert.deepEqual(doc.tables.map((t) => t.id), ['day', 'agent', 'model', 'member', 'team']);
  const member = doc.tables[3];
  assert.equal(member.title, 'By member');
  assert.deepEqual(member.rows.map((r) => r[0]).sort(), MEMBERS);
  const col = (h: string) => member.columns.findIndex((c) => c.header === h);
  assert.equal(member.rows.reduce((s, r) => s + (r[col('Total tokens')] as number), 0), doc.totals.totalTokens);
  assert.equal(member.rows.reduce((s, r) => s + (r[col('Requests')] as number), 0), doc.totals.requests);
  const team = doc.tables[4];
  assert.equal(team.note, 'Team database lead@db.example:5432/agentmeter, 2 members, 3 machines; last push per machine below.');
  assert.deepEqual(team.rows, [
    [MEMBERS[0], 'laptop', machines[0].lastPushMs],
    [MEMBERS[1], 'ci', machines[2].lastPushMs],
    [MEMBERS[1], 'desk', machines[1].lastPushMs],
  ]);
});

test('team sessions: no session rows, one line saying sessions are never sent', () => {
  const doc = teamDoc('sessions');
  const sessions = doc.tables.find((t) => t.id === 'sessions')!;
  assert.deepEqual(sessions.rows, []);
  assert.equal(sessions.note, 'No sessions in team scope: machines never send sessions to the team database.');
  assert.ok(doc.totals.requests > 0);
});

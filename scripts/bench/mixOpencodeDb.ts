/**
 * Writes the planned OpenCode sessions of the add-on corpus (mixOpencode.mjs) into an `opencode.db` with OpenCode's
 * own tables (src/core/sources/opencode/fixtures/schema.ts, from anomalyco/opencode session.sql.ts): session rows,
 * message rows (`data` = the message without id/sessionID) and part rows (step-start, tool, step-finish). Bundled on
 * the fly by mixCorpus.mjs (it needs sql.js and the fixture schema, both TypeScript-side).
 */
import { writeFileSync } from 'node:fs';
import { loadSqlJs } from '../../src/core/store/sqljs';
import { assistantData, OPENCODE_SCHEMA, stepFinish, toolPart } from '../../src/core/sources/opencode/fixtures/schema';

export interface PlannedStep {
  partId: string;
  /** the step's raw `tokens` as OpenCode writes them */
  tokens: Record<string, unknown>;
  cost: number;
  time: number;
  tool?: { partId: string; name: string; path: string };
}
export interface PlannedMessage {
  id: string;
  userId: string;
  created: number;
  modelID: string;
  providerID: string;
  prompt: string;
  steps: PlannedStep[];
}
export interface PlannedSession {
  id: string;
  parentID?: string;
  directory: string;
  title: string;
  time: number;
  messages: PlannedMessage[];
}

/** Writes the database file; returns its size in bytes. */
export async function buildOpencodeDb(path: string, sessions: PlannedSession[]): Promise<number> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.run(OPENCODE_SCHEMA);
  db.run('BEGIN');
  const session = db.prepare('INSERT INTO session (id, project_id, parent_id, slug, directory, title, version, time_created, time_updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const message = db.prepare('INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?)');
  const part = db.prepare('INSERT INTO part (id, message_id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?, ?)');
  for (const s of sessions) {
    session.run([s.id, '4b0ea68d7af9a6031a7ffda7ad66e0cb83315750', s.parentID ?? null, 'quiet-harbor', s.directory, s.title, '1.14.3', s.time, s.time]);
    for (const m of s.messages) {
      const user = { role: 'user', time: { created: m.created - 800 }, agent: 'build', model: { providerID: m.providerID, modelID: m.modelID } };
      message.run([m.userId, s.id, m.created - 800, m.created - 800, JSON.stringify(user)]);
      part.run([`${m.userId}p`, m.userId, s.id, m.created - 800, m.created - 800, JSON.stringify({ type: 'text', text: m.prompt })]);
      const last = m.steps[m.steps.length - 1]!;
      const cost = m.steps.reduce((n, x) => n + x.cost, 0);
      const data = assistantData({ created: m.created, completed: last.time + 200, parentID: m.userId, modelID: m.modelID, providerID: m.providerID, cwd: s.directory, cost, tokens: last.tokens, finish: 'stop' });
      message.run([m.id, s.id, m.created, last.time + 200, JSON.stringify(data)]);
      for (const st of m.steps) {
        part.run([`${st.partId}s`, m.id, s.id, st.time - 3_000, st.time - 3_000, JSON.stringify({ type: 'step-start', snapshot: st.partId.slice(4, 16) })]);
        if (st.tool) part.run([st.tool.partId, m.id, s.id, st.time - 1_000, st.time - 1_000, JSON.stringify(toolPart(st.tool.name, { filePath: st.tool.path }, st.time - 1_500))]);
        part.run([st.partId, m.id, s.id, st.time, st.time, JSON.stringify(stepFinish(st.tokens, st.cost, st.tool ? 'tool-calls' : 'stop'))]);
      }
    }
  }
  session.free();
  message.free();
  part.free();
  db.run('COMMIT');
  const bytes = db.export();
  db.close();
  writeFileSync(path, bytes);
  return bytes.length;
}

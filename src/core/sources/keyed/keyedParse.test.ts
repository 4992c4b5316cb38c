import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSqlJs } from '../../store/sqljs';
import { openedInPlace } from './keyedParse';

test('a database is opened over the bytes read (one copy): sql.js holds the very buffer, not a copy of it', async () => {
  const SQL = await loadSqlJs();
  const made = new SQL.Database();
  made.run("CREATE TABLE message (id TEXT PRIMARY KEY, data TEXT); INSERT INTO message VALUES ('msg_1', '{\"role\":\"assistant\",\"modelID\":\"glm-4.6\"}')");
  const bytes = made.export();
  made.close();

  const image = openedInPlace(bytes);
  assert.equal(image.buffer, bytes.buffer, 'a Buffer over the same memory');
  assert.equal(openedInPlace(image), image, 'a Buffer is used as it is');

  const db = new SQL.Database(image);
  try {
    // written into our buffer after the open and before any read: seen by SQLite only if it reads this very memory
    const at = image.indexOf('glm-4.6');
    assert.ok(at > 0);
    image.write('kimi-k2', at);
    assert.deepEqual(db.exec("SELECT json_extract(data, '$.modelID') FROM message")[0].values, [['kimi-k2']]);
  } finally {
    db.close();
  }
});

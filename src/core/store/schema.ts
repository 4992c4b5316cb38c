import type { Database } from 'sql.js';
import { packOldClaudeCalls } from './claudePacks';
import { recodeSeenPacks } from './seenCalls';
import { packFileStates } from './fileRows';
import { nestDirs } from './fileDirs';

/**
 * Versioned schema, applied with PRAGMA user_version.
 * Never edit a released migration: append a new one.
 *
 * usage        one row per (15-minute UTC bucket, dim); token sums; first/last entry time in the bucket.
 * dims         the distinct (source, model, project, session, branch, tier) tuples, referenced by id; since version
 *              10 indexed by session only (store/dims.ts keeps them distinct).
 * projects     display path per project key (Claude: from the entries' cwd; Codex: the cwd itself).
 * files        ingest state per log file: identity, size, mtime, byte offset read up to, parser state (JSON). Since
 *              version 17 the source as its strs id, the state packed (store/fileStates.ts: fp, state).
 * claude_calls de-dup state of recent Claude API calls: hashed message.id / requestId, which copy is kept
 *              (its tokens and where it was added), so a later larger copy corrects the totals. Since version 14
 *              `claude_packs`: the same copies packed per 14-bit message.id prefix (store/claudePacks.ts).
 * claude_seen  compact de-dup state of older calls (> 35 days): the hashed message.id only (docs/DEDUP.md). Since
 *              version 3 `claude_seen_packs`: the same hashes packed 5 bytes each, per 16-bit prefix (store/seenCalls.ts);
 *              since version 15 Rice-coded per 14-bit prefix (store/ricePack.ts).
 * codex_events hashed (timestamp, cumulative totals) of counted Codex token_count events (replay de-dup). Since
 *              version 8 `codex_event_packs`: the same hashes packed 6 bytes each, per 12-bit prefix (store/hashPacks.ts).
 * rate_limits  Codex rate-limit samples (at most one per 15-minute bucket) and the newest snapshot; typed columns since
 *              version 7 (store/rateLimits.ts).
 * limit_resets Claude "usage limit reached|<epoch>" reset times from API-error lines.
 * meta         key/value: counters (malformedLines, duplicateLines, codexFallbackModelEvents; store/counters.ts) and
 *              claudeBlocksDirtyFrom (store/claudeBlocks.ts).
 * claude_blocks      Claude's 5-hour blocks as cut over the whole history (report/blocks.ts): window start, first and
 *                    last entry. Kept up to date from the `claudeBlocksDirtyFrom` watermark (store/claudeBlocks.ts).
 * claude_block_parts each block's token sums per (model, tier), in the order its cost is summed (`ord`), so a
 *                    stored block is priced with the current price table when read.
 * hour_keys          the distinct (source, model, tier) of dims, referenced by id from usage_hours.
 * usage_hours        derived from usage (store/aggregates.ts): token sums, requests, first/last entry per (UTC hour start ms,
 *                    hour_keys id), i.e. the dims without project, session and branch; `ord` = min over its usage rows
 *                    of (bucket / 900000) * 2^32 + dim (reads order by it).
 * session_totals     derived from usage (store/aggregates.ts): the same sums per dims row (`dim` = dims.id) over all its
 *                    buckets, with its first and last bucket and its first bucket with billed tokens (epoch ms; since
 *                    version 20 generated from bucket indexes fb, lb, bb).
 * keyed_calls        what the plug-in sources (sources/plugin.ts) counted, per key: a key read again replaces it; typed
 *                    columns since version 10. Since version 11 `keyed_packs` (per source and hash prefix, store/keyedPacks.ts)
 *                    (rows with k < 0: the keys of each `replace` document); keyed_calls keeps only rows of older indexes
 *                    not moved yet.
 * act_keys           the activity keys (core/activity.ts), referenced by id from usage_acts and claude_calls.act;
 *                    id 0 = '' (unknown).
 * usage_acts         cost by activity (store/usageActivity.ts): token sums and requests per (UTC hour start ms,
 *                    hour_keys id, act_keys id); for each (hour, key) they sum to usage_hours exactly.
 * idle_gaps          derived from usage (store/idleGaps.ts): each session's idle cache re-write events (the bucket after
 *                    the gap, the one before, the gap, the writes per dims row), over all its models and per model.
 *                    Rows with grp -1: the dims rows whose sessions' events are stale (marked by the usage flush and retention).
 */
export const MIGRATIONS: readonly string[] = [
  // 1
  `
  CREATE TABLE dims (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL, model TEXT NOT NULL, project TEXT NOT NULL,
    session TEXT NOT NULL, branch TEXT NOT NULL, tier TEXT NOT NULL,
    UNIQUE (source, model, project, session, branch, tier)
  );
  CREATE TABLE usage (
    bucket INTEGER NOT NULL,          -- bucket start, epoch ms, multiple of 900000
    dim INTEGER NOT NULL REFERENCES dims(id),
    input INTEGER NOT NULL DEFAULT 0, output INTEGER NOT NULL DEFAULT 0,
    cw5m INTEGER NOT NULL DEFAULT 0, cw1h INTEGER NOT NULL DEFAULT 0,
    cache_read INTEGER NOT NULL DEFAULT 0, reasoning INTEGER NOT NULL DEFAULT 0,
    web_search INTEGER NOT NULL DEFAULT 0, requests INTEGER NOT NULL DEFAULT 0,
    first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL,
    PRIMARY KEY (bucket, dim)
  ) WITHOUT ROWID;
  CREATE TABLE projects (
    project TEXT NOT NULL, source TEXT NOT NULL, display_path TEXT NOT NULL,
    PRIMARY KEY (source, project)
  ) WITHOUT ROWID;
  CREATE TABLE files (
    path TEXT PRIMARY KEY, source TEXT NOT NULL,
    dev INTEGER NOT NULL, ino INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ms INTEGER NOT NULL,
    offset INTEGER NOT NULL, state TEXT NOT NULL DEFAULT '{}', missing INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE claude_calls (
    mid INTEGER NOT NULL, rid INTEGER NOT NULL,   -- 53-bit hashes of message.id and requestId (0 = none)
    sidechain INTEGER NOT NULL, ts INTEGER NOT NULL, dim INTEGER NOT NULL,
    input INTEGER NOT NULL, output INTEGER NOT NULL, cw5m INTEGER NOT NULL, cw1h INTEGER NOT NULL,
    cache_read INTEGER NOT NULL, web_search INTEGER NOT NULL,
    PRIMARY KEY (mid, rid)
  ) WITHOUT ROWID;
  CREATE INDEX claude_calls_ts ON claude_calls (ts);
  CREATE TABLE claude_seen (mid INTEGER PRIMARY KEY);
  CREATE TABLE codex_events (h INTEGER PRIMARY KEY);
  CREATE TABLE rate_limits (
    bucket INTEGER PRIMARY KEY, observed_ms INTEGER NOT NULL, snapshot TEXT NOT NULL
  );
  CREATE TABLE limit_resets (reset_ms INTEGER PRIMARY KEY, observed_ms INTEGER NOT NULL);
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // 2
  `
  CREATE TABLE claude_blocks (
    start_ms INTEGER PRIMARY KEY,     -- block start, epoch ms, a whole UTC hour
    first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL
  );
  CREATE TABLE claude_block_parts (
    start_ms INTEGER NOT NULL, ord INTEGER NOT NULL,
    model TEXT NOT NULL, tier TEXT NOT NULL,
    input INTEGER NOT NULL, output INTEGER NOT NULL, cw5m INTEGER NOT NULL, cw1h INTEGER NOT NULL,
    cache_read INTEGER NOT NULL, reasoning INTEGER NOT NULL, web_search INTEGER NOT NULL, requests INTEGER NOT NULL,
    PRIMARY KEY (start_ms, ord)
  ) WITHOUT ROWID;
  -- an index of version 1 has usage but no blocks yet: cut them all on the first read
  INSERT OR REPLACE INTO meta (key, value) VALUES ('claudeBlocksDirtyFrom', '-8640000000000000');
  `,
  // 3: a smaller file (a year of heavy use: 55 MB -> ~38 MB). The compacted hashes packed per 16-bit prefix, 5 bytes
  // each (store/seenCalls.ts); claude_calls without its ts index (compaction scans the table once a day,
  // claudeDedup.ts); files without a rowid (the path was stored twice, in the table and in its key's index).
  `
  CREATE TABLE claude_seen_packs (k INTEGER PRIMARY KEY, h BLOB NOT NULL);
  INSERT INTO claude_seen_packs (k, h)
    SELECT mid >> 37, unhex(group_concat(printf('%010x', mid & 137438953471), '' ORDER BY mid)) FROM claude_seen GROUP BY mid >> 37;
  DROP TABLE claude_seen;
  DROP INDEX claude_calls_ts;
  CREATE TABLE files_v3 (
    path TEXT PRIMARY KEY, source TEXT NOT NULL,
    dev INTEGER NOT NULL, ino INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ms INTEGER NOT NULL,
    offset INTEGER NOT NULL, state TEXT NOT NULL DEFAULT '{}', missing INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  INSERT INTO files_v3 SELECT path, source, dev, ino, size, mtime_ms, offset, state, missing FROM files;
  DROP TABLE files;
  ALTER TABLE files_v3 RENAME TO files;
  `,
  // 4 (DDL kept short, columns without types (integers, as SQLite stores them anyway): the schema must stay on the
  // first page, which the open check reads; test/unit/store/persist.test.ts fails when it does not)
  `
  CREATE TABLE hour_keys (id INTEGER PRIMARY KEY, source, model, tier, UNIQUE (source, model, tier));
  CREATE TABLE usage_hours (hour, key, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests, first_ms,
    last_ms, ord, PRIMARY KEY (hour, key)) WITHOUT ROWID;
  CREATE TABLE session_totals (dim INTEGER PRIMARY KEY, input, output, cw5m, cw1h, cache_read, reasoning, web_search,
    requests, first_ms, last_ms, first_bucket, last_bucket, first_billed);
  INSERT INTO hour_keys (source, model, tier) SELECT DISTINCT source, model, tier FROM dims;
  INSERT INTO usage_hours
  SELECT u.bucket - u.bucket % 3600000, k.id, sum(u.input), sum(u.output), sum(u.cw5m), sum(u.cw1h), sum(u.cache_read),
    sum(u.reasoning), sum(u.web_search), sum(u.requests), min(u.first_ms), max(u.last_ms),
    min((u.bucket / 900000) * 4294967296 + u.dim)
  FROM usage u JOIN dims d ON d.id = u.dim JOIN hour_keys k ON k.source = d.source AND k.model = d.model AND k.tier = d.tier
  GROUP BY 1, 2;
  INSERT INTO session_totals
  SELECT dim, sum(input), sum(output), sum(cw5m), sum(cw1h), sum(cache_read), sum(reasoning), sum(web_search),
    sum(requests), min(first_ms), max(last_ms), min(bucket), max(bucket),
    min(CASE WHEN input + output + cw5m + cw1h + cache_read > 0 THEN bucket END)
  FROM usage GROUP BY dim;
  `,
  // 5: keyed usage of the plug-in sources (store/keyedCalls.ts): per counted key (h = hash of source + key), the file
  // it was read from (f = hash of the path), its dims row (d), time (t) and figures (v, a JSON array). As short as
  // this so the whole schema stays on the first page (see version 4).
  `CREATE TABLE keyed_calls (h INTEGER PRIMARY KEY, f, d, t, v); CREATE INDEX kf ON keyed_calls (f);`,
  // 6: cost by activity (core/activity.ts, store/usageActivity.ts). act_keys names the activities (0 = '' unknown);
  // usage_acts sums per (UTC hour, hour_keys id, act_keys id), backfilled from usage_hours as unknown (the logs are
  // not read again); claude_calls keeps its kept copy's activity (act), rebuilt through a TEMP copy with shorter DDL
  // (columns without types, as version 4) together with claude_block_parts before the new tables are created, so the
  // whole schema stays on the first page (see version 4) at every step. keyed_calls keeps its activity in its JSON
  // figures (v[9]).
  `CREATE TEMP TABLE c5 AS SELECT * FROM claude_calls;
  DROP TABLE claude_calls;
  CREATE TABLE claude_calls (mid, rid, sidechain, ts, dim, input, output, cw5m, cw1h, cache_read, web_search, act DEFAULT 0,
    PRIMARY KEY (mid, rid)) WITHOUT ROWID;
  INSERT INTO claude_calls SELECT mid, rid, sidechain, ts, dim, input, output, cw5m, cw1h, cache_read, web_search, 0
    FROM temp.c5 ORDER BY mid, rid;
  DROP TABLE temp.c5;
  CREATE TEMP TABLE p5 AS SELECT * FROM claude_block_parts;
  DROP TABLE claude_block_parts;
  CREATE TABLE claude_block_parts (start_ms, ord, model, tier, input, output, cw5m, cw1h, cache_read, reasoning,
    web_search, requests, PRIMARY KEY (start_ms, ord)) WITHOUT ROWID;
  INSERT INTO claude_block_parts SELECT * FROM temp.p5 ORDER BY start_ms, ord;
  DROP TABLE temp.p5;
  CREATE TABLE act_keys (id INTEGER PRIMARY KEY, name UNIQUE);
  INSERT INTO act_keys VALUES (0, '');
  CREATE TABLE usage_acts (hour, key, act, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests,
    PRIMARY KEY (hour, key, act)) WITHOUT ROWID;
  INSERT INTO usage_acts SELECT hour, key, 0, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests
    FROM usage_hours ORDER BY hour, key;`,
  // 7: rate_limits in typed columns instead of a JSON snapshot per row (store/rateLimits.ts): the same values back,
  // a year of samples held 2.15 MB of JSON text (8,344 rows of ~260 bytes).
  `CREATE TEMP TABLE r6 AS SELECT * FROM rate_limits;
  DROP TABLE rate_limits;
  CREATE TABLE rate_limits (bucket INTEGER PRIMARY KEY, observed_ms, pu, pw, pr, su, sw, sr, plan, lim);
  INSERT INTO rate_limits SELECT bucket, observed_ms,
    json_extract(snapshot, '$.primary.usedPercent'), json_extract(snapshot, '$.primary.windowMinutes'),
    json_extract(snapshot, '$.primary.resetsAtMs'), json_extract(snapshot, '$.secondary.usedPercent'),
    json_extract(snapshot, '$.secondary.windowMinutes'), json_extract(snapshot, '$.secondary.resetsAtMs'),
    json_extract(snapshot, '$.planType'), json_extract(snapshot, '$.limitId')
  FROM temp.r6 WHERE json_valid(snapshot) ORDER BY bucket;
  DROP TABLE temp.r6;`,
  // 8: the counted Codex events' replay hashes packed (store/hashPacks.ts): per k = the hash53's top 12 bits, its low
  // 41 bits as 6 bytes each, sorted — a few dozen per row instead of a row per hash (a year: ~150 k hashes, 1.95 MB).
  `CREATE TABLE codex_event_packs (k INTEGER PRIMARY KEY, h BLOB NOT NULL);
  INSERT INTO codex_event_packs (k, h)
    SELECT h >> 41, unhex(group_concat(printf('%012x', h & 2199023255551), '' ORDER BY h)) FROM codex_events GROUP BY h >> 41;
  DROP TABLE codex_events;`,
  // 9: the idle cache re-writes per session (store/idleGaps.ts): one row per (dims row, grp, bucket) of each event; a
  // row with grp -1 marks a dims row whose session is computed again on the next read (all of them after this
  // migration). Room for it on the schema's first page (see version 4): claude_blocks again without column types,
  // comments and NOT NULL (its rows copied as they are; claude_block_parts was made as short in version 6).
  `CREATE TEMP TABLE cb AS SELECT * FROM claude_blocks;
  DROP TABLE claude_blocks;
  CREATE TABLE claude_blocks (start_ms INTEGER PRIMARY KEY, first_ms, last_ms);
  INSERT INTO claude_blocks SELECT * FROM temp.cb;
  DROP TABLE temp.cb;
  CREATE TABLE idle_gaps (dim, grp, bucket, prev, gap, w5, w1, PRIMARY KEY (dim, grp, bucket)) WITHOUT ROWID;
  INSERT INTO idle_gaps (dim, grp, bucket) SELECT dim, -1, 0 FROM session_totals;`,
  // 10: keyed_calls in typed columns instead of a JSON array of figures (store/keyedCalls.ts; a year of every source:
  // 154k rows, 14.7 MB with the index on f), its figures copied value by value (missing = 0, as the JSON reader read
  // them; agent cost a number or NULL; an unreadable array counts nothing). The file hash f is kept only where it is
  // asked for: the keys of documents read with 'replace' (their vanished keys are taken back), which at this version
  // are Cline's alone (vscodeTaskLogs/family.ts); the index on f holds only those rows.
  // dims without its UNIQUE index over all six texts (a second copy of every tuple: 5.9 MB at a year of every
  // source): a tuple is looked up by its session (a few rows each: its models, tiers, branches) and inserted only
  // when not found (store/dims.ts DimCache, the one writer), its rows copied with their ids.
  `CREATE TEMP TABLE k9 AS SELECT k.h, CASE WHEN d.source = 'cline' THEN k.f END f, k.d, k.t,
    CASE WHEN json_valid(k.v) AND json_type(k.v) = 'array' THEN k.v ELSE '[]' END v
    FROM keyed_calls k LEFT JOIN dims d ON d.id = k.d;
  DROP TABLE keyed_calls;
  CREATE TABLE keyed_calls (h INTEGER PRIMARY KEY, f, d, t, i, o, w5, w1, cr, r, ws, n, c, a);
  CREATE INDEX kf ON keyed_calls (f) WHERE f NOT NULL;
  INSERT INTO keyed_calls SELECT h, f, d, t, ifnull(v->>0, 0), ifnull(v->>1, 0), ifnull(v->>2, 0), ifnull(v->>3, 0),
    ifnull(v->>4, 0), ifnull(v->>5, 0), ifnull(v->>6, 0), ifnull(v->>7, 0),
    CASE WHEN json_type(v, '$[8]') IN ('integer', 'real') THEN v->>8 END, ifnull(v->>9, 0) FROM temp.k9 ORDER BY h;
  DROP TABLE temp.k9;
  CREATE TEMP TABLE d9 AS SELECT * FROM dims;
  DROP TABLE dims;
  CREATE TABLE dims (id INTEGER PRIMARY KEY, source, model, project, session, branch, tier);
  CREATE INDEX ds ON dims (session);
  INSERT INTO dims SELECT * FROM temp.d9 ORDER BY id;
  DROP TABLE temp.d9;`,
  // 11: the plug-in sources' keyed state packed per source and 12-bit hash prefix (store/keyedPacks.ts: ~30 bytes a key
  // where a keyed_calls row took ~50; a year of every source: 154k keys, 8.0 MB with the index on f), and per
  // `replace` document the keys its last read held (a row with k = −the file's hash, p = 7-byte key hashes) instead
  // of the index on f (BLOB declared: the journal carries such columns as hex, store/changeCapture.ts). keyed_calls keeps the rows of an index migrated from 10: they are read as they are until each
  // source's applier moves its own into its packs at its first flush (store/keyedCalls.ts), the same values.
  `CREATE TABLE keyed_packs (s, k, p BLOB, PRIMARY KEY (s, k)) WITHOUT ROWID;`,
  // 12: dims' index on session keeps each session's last 8 characters only, not a second copy of the whole text (a year
  // of every source: 2.4 → 0.9 MB): store/dims.ts finds a tuple by them, then compares the whole session and the rest.
  `DROP INDEX ds; CREATE INDEX ds ON dims (substr(session, -8));`,
  // 13: dims' texts interned (store/strs.ts): `strs` holds each distinct source, model, project, branch and tier once,
  // dims rows reference them by id (a year of every source: 5.9 → ~3 MB; a reader reads a few hundred strings and
  // integers instead of six strings per row). `files` keyed by (directory, name): `dirs` holds each directory once
  // (with its trailing separator: the path is dir.path || name; store/fileDirs.ts). Every row is copied with its id.
  // Neither new table has a UNIQUE index (a second copy of its texts): their one writer keeps them distinct. files'
  // figures keep their INTEGER affinity (INT: a whole mtime given as a float is stored as an integer, as before).
  `CREATE TEMP TABLE s12 (id INTEGER PRIMARY KEY, s UNIQUE);
  INSERT INTO temp.s12 (s) SELECT source FROM dims UNION SELECT model FROM dims UNION SELECT project FROM dims
    UNION SELECT branch FROM dims UNION SELECT tier FROM dims;
  CREATE TEMP TABLE d12 AS SELECT * FROM dims;
  CREATE TEMP TABLE f12 AS SELECT rtrim(path, replace(replace(path, '/', ''), '\\', '')) dir, * FROM files;
  CREATE TEMP TABLE p12 (id INTEGER PRIMARY KEY, path UNIQUE);
  INSERT INTO temp.p12 (path) SELECT DISTINCT dir FROM temp.f12 ORDER BY dir;
  DROP TABLE dims;
  DROP TABLE files;
  CREATE TABLE strs (id INTEGER PRIMARY KEY, s);
  INSERT INTO strs SELECT * FROM temp.s12;
  CREATE TABLE dims (id INTEGER PRIMARY KEY, source_id, model_id, project_id, session, branch_id, tier_id);
  INSERT INTO dims SELECT d.id, a.id, b.id, c.id, d.session, e.id, f.id FROM temp.d12 d JOIN temp.s12 a ON a.s = d.source
    JOIN temp.s12 b ON b.s = d.model JOIN temp.s12 c ON c.s = d.project JOIN temp.s12 e ON e.s = d.branch
    JOIN temp.s12 f ON f.s = d.tier ORDER BY d.id;
  CREATE INDEX ds ON dims (substr(session, -8));
  CREATE TABLE dirs (id INTEGER PRIMARY KEY, path);
  INSERT INTO dirs SELECT * FROM temp.p12;
  CREATE TABLE files (dir, name, source, dev INT, ino INT, size INT, mtime_ms INT, offset INT, state, missing INT,
    PRIMARY KEY (dir, name)) WITHOUT ROWID;
  INSERT INTO files SELECT p.id, substr(f.path, length(f.dir) + 1), f.source, f.dev, f.ino, f.size, f.mtime_ms, f.offset,
    f.state, f.missing FROM temp.f12 f JOIN temp.p12 p ON p.path = f.dir ORDER BY 1, 2;
  DROP TABLE temp.s12;
  DROP TABLE temp.d12;
  DROP TABLE temp.f12;
  DROP TABLE temp.p12;`,
  // 14: claude_calls packed per 14-bit message.id prefix (store/claudePacks.ts: ~30 bytes a kept copy where a row took
  // ~57, its hashes stored as 8-byte REALs; a year's 143k recent calls: 8.2 → ~4.3 MB). The rows go to temp.c13 here;
  // MIGRATION_CODE[13] packs them (varints are not SQL's) in the same transaction, every value as it was.
  `CREATE TEMP TABLE c13 AS SELECT * FROM claude_calls;
  DROP TABLE claude_calls;
  CREATE TABLE claude_packs (k INTEGER PRIMARY KEY, p BLOB NOT NULL);`,
  // 15: claude_seen_packs Rice-coded per 14-bit prefix (store/seenCalls.ts, store/ricePack.ts: ~4.3 bytes a hash and a
  // quarter of the rows, where 5 bytes a hash per 16-bit prefix took 7.55 MB at a year). The table keeps its DDL;
  // MIGRATION_CODE[14] codes every pack again, the same hashes.
  `-- 15: claude_seen_packs coded again (MIGRATION_CODE[14])`,
  // 16: first and last entry times of usage, usage_hours and session_totals stored as offsets from their bucket, hour,
  // first and last bucket (f, l: 3 bytes where an epoch ms took 6; a year of every source: ~1.5 MB), first_ms and
  // last_ms generated from them (VIRTUAL: not stored; readers read them as before; change capture and the journal
  // carry the stored columns only). Every row copied with the same values; DDL without types or comments, as since
  // version 4, so the schema stays on the first page (usage keeps its sums' DEFAULT 0, and its key's INTEGER affinity:
  // a join from a typed table, such as the flush's staged rows, uses the key's index only when the affinities agree).
  `CREATE TEMP TABLE u15 AS SELECT * FROM usage;
  CREATE TEMP TABLE h15 AS SELECT * FROM usage_hours;
  CREATE TEMP TABLE s15 AS SELECT * FROM session_totals;
  DROP TABLE usage;
  DROP TABLE usage_hours;
  DROP TABLE session_totals;
  CREATE TABLE usage (bucket INT, dim INT, input DEFAULT 0, output DEFAULT 0, cw5m DEFAULT 0, cw1h DEFAULT 0, cache_read DEFAULT 0,
    reasoning DEFAULT 0, web_search DEFAULT 0, requests DEFAULT 0, f, l, first_ms AS (bucket + f), last_ms AS (bucket + l),
    PRIMARY KEY (bucket, dim)) WITHOUT ROWID;
  INSERT INTO usage SELECT bucket, dim, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests,
    first_ms - bucket, last_ms - bucket FROM temp.u15 ORDER BY bucket, dim;
  CREATE TABLE usage_hours (hour, key, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests, f, l, ord,
    first_ms AS (hour + f), last_ms AS (hour + l), PRIMARY KEY (hour, key)) WITHOUT ROWID;
  INSERT INTO usage_hours SELECT hour, key, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests,
    first_ms - hour, last_ms - hour, ord FROM temp.h15 ORDER BY hour, key;
  CREATE TABLE session_totals (dim INTEGER PRIMARY KEY, input, output, cw5m, cw1h, cache_read, reasoning, web_search,
    requests, f, l, first_bucket, last_bucket, first_billed, first_ms AS (first_bucket + f), last_ms AS (last_bucket + l));
  INSERT INTO session_totals SELECT dim, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests,
    first_ms - first_bucket, last_ms - last_bucket, first_bucket, last_bucket, first_billed FROM temp.s15 ORDER BY dim;
  DROP TABLE temp.u15;
  DROP TABLE temp.h15;
  DROP TABLE temp.s15;`,
  // 17: files' parser state without its keys and its fingerprint in a column of its own (store/fileStates.ts), the
  // source as its id in strs (a year of every source: files 5.37 → 4.29 MB). MIGRATION_CODE[16] packs each row of
  // temp.f16 (JSON is not SQL's to re-shape), every state the same text back.
  `CREATE TEMP TABLE f16 AS SELECT * FROM files;
  DROP TABLE files;
  CREATE TABLE files (dir, name, source_id, dev INT, ino INT, size INT, mtime_ms INT, offset INT, fp INT, state, missing INT,
    PRIMARY KEY (dir, name)) WITHOUT ROWID;`,
  // 18: keyed_packs entries of keys counted before the de-dup window, from no `replace` document and with no agent cost
  // kept as their keys only (store/keyedPacks.ts, an entry layout older code cannot read: hence the version; a year of
  // every source: keyed_packs 5.4 → ~3.5 MB). The entries age at the next refresh's daily pass, no data changes here.
  `-- 18: keyed keys aged past the de-dup window (store/keyedPacks.ts)`,
  // 19: a dirs row holds its parent directory's id and its last segment (store/fileDirs.ts; a root its whole text), not
  // the whole path: a year of every source, 7.3k directories of ~125 bytes (a Copilot CLI session's, a Cline task's),
  // 1.0 → ~0.3 MB. MIGRATION_CODE[18] splits every row, keeping its id.
  `ALTER TABLE dirs ADD COLUMN parent;`,
  // 20: session_totals' buckets as bucket indexes (store/aggregates.ts: fb = first bucket / 900000, 3 bytes where the
  // epoch ms took 6; lb, bb: the last bucket and the first billed one as buckets after it, 0 to 2 bytes), first_bucket,
  // last_bucket and first_billed generated from them (VIRTUAL, as first_ms and last_ms since version 16); a year of
  // every source: 2.9 → ~2.3 MB. Every row copied with the same values.
  `CREATE TEMP TABLE s19 AS SELECT * FROM session_totals;
  DROP TABLE session_totals;
  CREATE TABLE session_totals (dim INTEGER PRIMARY KEY, input, output, cw5m, cw1h, cache_read, reasoning, web_search,
    requests, f, l, fb, lb, bb, first_bucket AS (fb * 900000), last_bucket AS ((fb + lb) * 900000),
    first_billed AS ((fb + bb) * 900000), first_ms AS (first_bucket + f), last_ms AS (last_bucket + l));
  INSERT INTO session_totals SELECT dim, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests, f, l,
    first_bucket / 900000, (last_bucket - first_bucket) / 900000, (first_billed - first_bucket) / 900000 FROM temp.s19 ORDER BY dim;
  DROP TABLE temp.s19;`,
  // 21: dims' index on session keeps each session's last 4 characters (8 since version 12): a year of every source, 30k
  // sessions under 25k distinct endings (a lookup meets at most a dozen rows: a session's models and branches), the
  // index 0.94 → ~0.7 MB. store/dims.ts finds a tuple by them, then compares the whole session and the rest.
  `DROP INDEX ds; CREATE INDEX ds ON dims (substr(session, -4));`,
];

/** A migration's data conversion in JS, run right after its SQL (same index as MIGRATIONS), in its transaction. */
const MIGRATION_CODE: Readonly<Record<number, (db: Database) => void>> = {
  13: packOldClaudeCalls,
  14: recodeSeenPacks,
  16: packFileStates,
  18: nestDirs,
};

export const SCHEMA_VERSION = MIGRATIONS.length;

export class NewerSchemaError extends Error {
  constructor(readonly found: number) {
    super(`database schema version ${found} is newer than this AgentMeter understands (${SCHEMA_VERSION})`);
  }
}

/** The schema version a database was written with (PRAGMA user_version; 0 for an empty database). */
export function schemaVersionOf(db: Database): number {
  return Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
}

/** Applies the missing migrations in one transaction each. Throws NewerSchemaError for a newer database. */
export function migrate(db: Database): number {
  const current = schemaVersionOf(db);
  if (current > SCHEMA_VERSION) throw new NewerSchemaError(current);
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.exec('BEGIN');
    try {
      db.exec(MIGRATIONS[v]);
      MIGRATION_CODE[v]?.(db);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
  }
  return SCHEMA_VERSION;
}

import { SOURCE_DEFS } from '../core/sources/registry';

const SOURCES = SOURCE_DEFS.map((s) => `  ${s.id.padEnd(13)}${s.label}`).join('\n');

/** `agentmeter --help` text (the sources listed from the registry). */
export const HELP = `agentmeter - cost and token usage of AI coding agents from their local logs

Usage: agentmeter report [options]

Options:
  --by day|week|month|session|project|model|source|branch|hour|weekday|block
                          grouping (default day); block = 5-hour billing blocks
  --source all|ID[,ID]    which agents' logs (default all; IDs below)
  --since YYYY-MM-DD      first local day to include (1970-01-01 … 9999-12-31)
  --until YYYY-MM-DD      last local day to include; --by block keeps the blocks that start
                          within the days (cut on all entries, so a block is never split)
  --timezone IANA         zone for days, weeks, months (default: the system zone)
  --week-start DAY        first day of a week: monday (default) … sunday
  --format table|json|csv|md|html|xlsx|pdf
                          output format (default table); md, html, xlsx and pdf are report
                          documents (a template, charts, where the numbers come from)
  --out FILE              write the report document to FILE (temp file, then rename); required
                          for xlsx and pdf, md and html print to stdout without it
  --template NAME         document template: summary (default), project, model, agent, sessions,
                          budgets
  --period NAME           today|yesterday|this-week|last-week|this-month|last-month|all, in
                          --timezone with --week-start (instead of --since/--until)
  --pdf-font FILE         a .ttf font for PDF text the standard fonts cannot show (Chinese…)
  --claude-dir DIR[,DIR]  Claude config or projects/ dirs (default: CLAUDE_CONFIG_DIR,
                          else ~/.config/claude and ~/.claude); "none" leaves Claude out
                          (also its history in --db)
  --codex-dir DIR[,DIR]   Codex homes (default: CODEX_HOME, else ~/.codex); "none" leaves Codex out
  --dir ID=DIR[,DIR]      any source's folders as its agent lays them out (repeatable), e.g.
                          --dir gemini=~/.gemini, --dir cline=<its globalStorage folder or a
                          VS Code user-data folder>, --dir copilot-cli=~/.copilot,
                          --dir opencode=~/.local/share/opencode; ID=none leaves it out
  --db FILE               keep the index in FILE instead of the cache folder
  --no-cache              keep the index in memory for this run only (reads all logs, writes nothing)
  --prices FILE           JSON price overrides: { "model": { "input": 3, "output": 15, ... } }
                          (USD per million tokens; fields input, output, cacheWrite5m, cacheRead,
                          inputAbove200k, outputAbove200k, cacheWrite5mAbove200k, cacheReadAbove200k,
                          fastMultiplier, provider)
  --rate CUR=USD          USD per one unit of a currency some prices are in (repeatable), e.g. CNY=0.14
  --estimates             also show the days no Claude log covers any more (or never did), estimated
                          from Claude Code's stats cache (stats-cache.json): marked ≈ (estimated: true
                          in JSON, an estimated column in CSV), by day, week, month, model or source
  -v, --verbose           roots, skipped lines, model fallbacks and timings on stderr
  -h, --help              this help
  -V, --version           version

Team database (PostgreSQL; opt-in: nothing is sent unless you run these):
  agentmeter sync [--postgres URL] [--member NAME] [--machine NAME] [--projects folder|path|hash]
                  [--project-salt S] [--ca-file FILE] [--source …] [--dir …] [--db FILE] [--no-cache]
                          index the logs as report does, then push this machine's 15-minute totals
                          (member: git config user.email; machine: the host name)
  agentmeter report --team [--postgres URL] [--by member|machine|day|week|month|project|model|
                  source|branch|hour|weekday] [--member NAME] [--since …] [--until …] [--format …]
                          the team's totals (priced here), rows with member and machine
  agentmeter team init [--postgres URL]          create or migrate the tables, roles and views
  agentmeter team add-member --login LOGIN --member NAME [--lead]
                          let a database login push NAME's rows (--lead: also read the team)
  agentmeter team budget --period daily|weekly|monthly --usd N|none [--member NAME]
  The URL: --postgres, else AGENTMETER_POSTGRES_URL, else the PG* variables (PGHOST, PGUSER, …);
  TLS with ?sslmode=verify-full&sslrootcert=FILE or --ca-file FILE.

Sources (IDs):
${SOURCES}

The index is kept in the user's cache folder and reused, so a run reads only new log bytes:
$XDG_CACHE_HOME/agentmeter (default ~/.cache/agentmeter) on Linux, ~/Library/Caches/agentmeter
on macOS, %LOCALAPPDATA%\\agentmeter on Windows; one file index-<hash>.sqlite per set of log
folders (runs over other folders never mix). A run that finds the file in use by another run
reads the new lines into memory and does not save them. A damaged file is moved aside
(.corrupt-<time>) and rebuilt from the logs. The index keeps the usage of logs deleted since
(Claude Code removes old ones); deleting the folder loses that history.

Costs of models without a price are shown as n/a (null in JSON), never as $0.
No network access: prices come from the bundled table and --prices.
Exit codes: 0 ok, 2 bad arguments or a missing directory, 3 the team database cannot be reached
(or refuses the login), 1 other errors.
`;

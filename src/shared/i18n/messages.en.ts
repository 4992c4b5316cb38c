/**
 * Every user-visible string of AgentMeter outside `vscode.l10n.t` (the host's notifications and pickers use VS Code's
 * own bundle, `l10n/bundle.l10n.zh-cn.json`), in English: the status bar text and tooltip (src/app/status), the
 * dashboard (`dashboard.en.ts`), the export pickers' labels, and the CLI. One line per string here and one in
 * `zh-cn.ts` (typed: a missing translation does not compile). Templates: `{name}`, `{n, plural, one {…} other {…}}`.
 * Several helpers add strings at once: keep to your own section (`report.*`, `team.*`, `alerts.*` …).
 */
import { dashboardEn } from './dashboard.en';

export const appEn = {
  // ── status bar (src/app/status/statusText.ts) ──
  /** the default `agentMeter.statusBar.format` in this language (a format the user wrote is used as written) */
  'status.defaultFormat': '$(pulse) {todayCost} today · 5h {blockCost}',
  'status.codexQuota': 'Codex {label} {pct}',
  'status.tooltip.head': '**AgentMeter** — today, {day} ({zone})',
  'status.tooltip.noUsage': 'No usage today yet.',
  'status.col.today': 'Today',
  'status.col.cost': 'Cost',
  'status.col.tokens': 'Tokens',
  'status.col.requests': 'Requests',
  'status.col.model': 'Model',
  'status.total': 'Total',
  'status.moreModels': '…and {n, plural, one {# more model} other {# more models}}',
  'status.tokens': '{tokens} tokens',
  'status.burn': 'burn {rate}',
  'status.burnCost': 'burn {cost}/h, {tokens} tokens/min',
  'status.burnTokens': 'burn {tokens} tokens/min',
  'status.projected': 'projected {cost} ({tokens} tokens)',
  'status.left': '{countdown} left (resets {time})',
  'status.block': '**Claude 5-hour block** {start}–{end}: {parts}',
  'status.blockLimitReported': '$(warning) Claude Code reported the usage limit reached in this block.',
  'status.blockNone': '**Claude 5-hour block**: none active',
  'status.week': '**This week**: {cost} · {tokens} tokens',
  'status.month': '**Month to date** (since {day}): {cost} · {tokens} tokens',
  'status.estimated.costUnknown': 'cost partly unknown',
  'status.estimated.cost': '≈ {cost}',
  'status.estimated': '≈ {n, plural, one {# earlier day} other {# earlier days}} without logs estimated from Claude Code\'s stats cache: {cost} (not in these totals)',
  'status.unknownUsage': '$(question) {source}: usage unknown for {n, plural, one {# session} other {# sessions}} (not written to disk; not counted as zero)',
  'status.codex.window': '{label} {pct} used',
  'status.codex.windowReset': '{label} {pct} used ({reset})',
  'status.codex.windowResetAt': '{label} {pct} used ({reset} at {time})',
  'status.codex.plan': ' ({plan} plan)',
  'status.codex': '**Codex quota**{plan}: {windows}',
  'status.budget.project': 'project {project}',
  'status.budget.daily': 'daily',
  'status.budget.weekly': 'weekly',
  'status.budget.monthly': 'monthly',
  'status.budget.line': '{name}: {spent} of {limit} ({pct})',
  'status.budgets': '**Budgets**: {lines}',
  'status.unpriced': '$(warning) **Unpriced models** (cost unknown, tokens counted; set prices in `agentMeter.prices.overrides`): {models}',
  'status.updated.indexing': 'indexing…',
  'status.updated.notYet': 'not yet',
  'status.updated': '_Updated {time} · click to open the dashboard_',
  'status.na': 'n/a',
  'status.plan.head': '**Plan limit** {limit}: {used} used, projected {projected}',
  'status.plan.reached': '$(error) limit reached, resets in {countdown} ({time})',
  'status.plan.reachedIn': '$(warning) at this rate the limit is reached in {countdown} ({time}), before the reset',
  'status.plan.noBurn': 'no burn rate yet',
  'status.plan.notReached': 'not reached before the reset at this rate',
  'status.accessibility': 'AgentMeter: {today} today, {block} in the current 5-hour block',

  // ── notifications raised by core rules (core/limits: Alert.text; rendered by app/alertText.ts) ──
  'alert.budget.day': 'Daily budget: {spent} of {limit} spent ({pct}%), past {top}%.',
  'alert.budget.week': 'Weekly budget: {spent} of {limit} spent ({pct}%), past {top}%.',
  'alert.budget.month': 'Monthly budget: {spent} of {limit} spent ({pct}%), past {top}%.',
  'alert.budget.project': 'Project budget "{project}": {spent} of {limit} spent ({pct}%), past {top}%.',
  'alert.codexQuota': 'Codex {label} quota at {pct}% (past {top}%).',
  'alert.codexQuotaResets': 'Codex {label} quota at {pct}% (past {top}%). Resets in {countdown}.',
  'alert.claude.reached': 'Claude usage limit reached. Resets in {countdown}.',
  'alert.claude.reachedEstimated': 'Claude usage limit reached (estimated limit). Resets in {countdown}.',
  'alert.claude.projected': 'Claude 5-hour block is projected to reach the {plan} limit, before it resets in {countdown}.',
  'alert.claude.projectedEstimated': 'Claude 5-hour block is projected to reach the {plan} limit (estimated limit), before it resets in {countdown}.',
  'alert.claude.projectedIn': 'Claude 5-hour block is projected to reach the {plan} limit in {inTime}, before it resets in {countdown}.',
  'alert.claude.projectedInEstimated': 'Claude 5-hour block is projected to reach the {plan} limit (estimated limit) in {inTime}, before it resets in {countdown}.',
  'alert.anomaly.day': 'Unusual spend on {day}: {cost} so far, above the usual bound of {threshold} (the {days} days before: mean {mean} + 2σ).',

  // ── dashboard view models (src/app/dashboard) ──
  'snapshot.other': 'other',
  'budget.daily': 'Today',
  'budget.weekly': 'This week',
  'budget.monthly': 'This month',
  'planLimit.preset': '{plan} plan limit (estimate)',
  'planLimit.custom': 'your custom limit',
  'planLimit.p90NearLimit': 'P90 of {n} completed blocks near a plan limit (estimate)',
  'planLimit.p90All': 'P90 of {n} completed blocks (estimate)',
  'planLimit.estimate': 'estimate',
  'planLimit.describe.tokens': '{tokens} tokens',
  'planLimit.describe.per5h': '{limit} per 5 h',
  'planLimit.describe.none': 'no limit known',
  'planLimit.describe.preset': '{plan} (estimate): {what}',
  'planLimit.describe.custom': 'custom: {what}',
  'planLimit.describe.p90NearLimit': 'auto (estimate, P90 of {n} blocks that reached a plan limit): {what}',
  'planLimit.describe.p90All': 'auto (estimate, P90 of all {n} completed blocks): {what}',
  'planLimit.describe.other': '{plan}: {what}',
  'peak.spread.spend': 'Your spend is spread across the day.',
  'peak.spread.usage': 'Your usage is spread across the day.',
  'peak.spend': 'Most of your spend is {from}–{to} ({pct}%).',
  'peak.spend.weekdays': 'Most of your spend is {from}–{to} on weekdays ({pct}%).',
  'peak.spend.weekends': 'Most of your spend is {from}–{to} on weekends ({pct}%).',
  'peak.usage': 'Most of your usage is {from}–{to} ({pct}%).',
  'peak.usage.weekdays': 'Most of your usage is {from}–{to} on weekdays ({pct}%).',
  'peak.usage.weekends': 'Most of your usage is {from}–{to} on weekends ({pct}%).',
  'hint.idleRewrites.avoidable': '{n, plural, one {# session} other {# sessions}} re-wrote {tokens} tokens of cache after idle gaps > 5 min: ~{cost}; keep sessions warm or use 1h cache (would have avoided ~{avoidable}).',
  'hint.idleRewrites': '{n, plural, one {# session} other {# sessions}} re-wrote {tokens} tokens of cache after idle gaps > 5 min: ~{cost}; keep sessions warm, or start a fresh session after long breaks.',
  'hint.lowHitRatio': 'Only {pct} of input tokens were cache hits; long sessions with a stable prompt prefix (CLAUDE.md, tools) are cheaper than many short ones.',
  'hint.oneHourWrites': '1-hour cache writes cost {cost} (2× input vs 1.25× for 5-minute writes) but few pauses of 5–60 min were seen; 5-minute caching would cost ~{alt}.',
  'hint.cacheSavings': 'Caching saved ~{saved} versus paying full input price for {tokens} cached tokens ({net} after the {premium} cache-write premium).',

  // ── countdowns and quota windows (src/app/i18n/durations.ts; English = core formatCountdown / windowLabel) ──
  'duration.now': 'now',
  'duration.underMinute': '<1m',
  'duration.dh': '{d}d {h}h',
  'duration.hm': '{h}h {m}m',
  'duration.m': '{m}m',
  'window.weekly': 'weekly',
  'window.unknown': 'window',
  'window.days': '{n}d',
  'window.hours': '{n}h',
  'window.minutes': '{n}m',
  'quota.resetsIn': 'resets in {countdown}',
  'quota.reset': 'reset',

  'alertRule.budget': 'Budget',
  'alertRule.codexQuota': 'Codex quota',
  'alertRule.claudeProjection': 'Claude plan limit',
  'alertRule.anomaly': 'Unusual spend',

  // ── team database CLI (src/cli/runTeam.ts, teamReportTable.ts) ──
  'team.col.member': 'Member',
  'team.col.machine': 'Machine',
  'team.note.prices': 'Costs priced on this machine with the price table of {date}; the team database holds tokens only.',
  'team.note.pricesOverridden': 'Costs priced on this machine with the price table of {date} (with --prices overrides); the team database holds tokens only.',
  'team.note.unpriced': 'n/a: {tokens} tokens of models without a price ({models}).',
  'team.note.lastPush': '{member} / {machine}: last push {time} UTC (AgentMeter {version})',
  'team.report.none': 'No team usage found.',
  'team.report.noneInRange': 'No team usage found in that date range.',
  'team.init.current': 'team database {db}: already at schema version {to}',
  'team.init.migrated': 'team database {db}: schema version {from} → {to} (tables, roles agentmeter_member and agentmeter_lead, row-level security, views)',
  'team.addMember': 'login {login} may push member {member}',
  'team.addMember.lead': 'login {login} may push member {member} and read the whole team (lead)',
  'team.addMember.created': 'created the database login {login} with the password {password} (shown once: give it to the member, who connects with postgres://{login}:PASSWORD@host:port/database)',
  'team.addMember.createdEnv': 'created the database login {login} with the password in the variable {variable}',
  'team.addMember.existed': 'the login {login} already existed: its password is unchanged',
  'team.budget.member': 'member {member}',
  'team.budget.team': 'the team',
  'team.budget.daily': 'daily',
  'team.budget.weekly': 'weekly',
  'team.budget.monthly': 'monthly',
  'team.budget.removed': '{period} budget of {whose} removed',
  'team.budget.set': '{period} budget of {whose}: {usd} USD',
  'team.sync.noMember': '--member NAME is needed (git config user.email is not set)',
  'team.sync.nothing': 'nothing to send',
  'team.sync.from': 'from {time}',
  'team.sync.pushed': 'pushed {buckets} buckets ({from}, {n, plural, one {# transaction} other {# transactions}}) to {db} as {member} on {machine}',

  // ── team database in the editor (src/host/team: tooltip line, leads' budget notifications) ──
  'teamTooltip.otherWindow': 'Team database: connected (the window that maintains the index pushes)',
  'teamTooltip.pushing': 'pushing…',
  'teamTooltip.notYet': 'not pushed yet',
  'teamTooltip.lastPush': 'last push {time}',
  'teamTooltip.lastPushBuckets': 'last push {time} ({buckets} buckets)',
  'teamTooltip.line': 'Team database: {parts}',
  'teamTooltip.next': '; next attempt {time}',
  'teamTooltip.failed': 'Last push failed: {error}',
  'teamTooltip.failedAt': 'Last push failed at {time}: {error}',
  'teamAlert.team': 'The team',
  'teamAlert.over': 'AgentMeter: {who} spent {spent} of the {period} team budget of {limit} ({pct} %).',

  // ── export pickers (src/app/export.ts; shown by the host's quick picks) ──
  'export.grain.day': 'Daily',
  'export.grain.day.description': 'one row per local day',
  'export.grain.week': 'Weekly',
  'export.grain.week.description': 'one row per week (configured week start)',
  'export.grain.month': 'Monthly',
  'export.grain.month.description': 'one row per calendar month',
  'export.grain.session': 'By session',
  'export.grain.session.description': 'one row per session, of every agent',
  'export.grain.project': 'By project',
  'export.grain.project.description': 'one row per project',
  'export.grain.model': 'By model',
  'export.grain.model.description': 'one row per model and source',
  'export.grain.branch': 'By branch',
  'export.grain.branch.description': 'one row per git branch',
  'export.grain.activity': 'By activity',
  'export.grain.activity.description': 'one row per activity (coding, exploring, running, … main agent or subagent)',
  'export.grain.bucket': '15-minute buckets',
  'export.grain.bucket.description': 'one row per 15-minute interval (UTC)',
  'export.range.thisMonth': 'This month',
  'export.range.last30': 'Last 30 days',
  'export.range.all': 'All time',
  'export.range.custom': 'Custom range…',
  'export.badDay': 'Enter a date as YYYY-MM-DD, e.g. 2026-03-01',

  // ── first-index progress (src/app/progressText.ts) ──
  'progress.files': '{done} / {total} files · {mbDone} / {mbTotal} MB',

  // ── CLI (src/cli) ──
  'cli.col.day': 'Date',
  'cli.col.week': 'Week of',
  'cli.col.month': 'Month',
  'cli.col.session': 'Session',
  'cli.col.project': 'Project',
  'cli.col.model': 'Model',
  'cli.col.source': 'Source',
  'cli.col.branch': 'Branch',
  'cli.col.activity': 'Activity',
  'cli.col.hour': 'Hour',
  'cli.col.weekday': 'Weekday',
  'cli.col.block': 'Block start',
  'cli.col.requests': 'Requests',
  'cli.col.input': 'Input',
  'cli.col.output': 'Output',
  'cli.col.cacheWrite': 'Cache write',
  'cli.col.cacheRead': 'Cache read',
  'cli.col.totalTokens': 'Total tokens',
  'cli.col.cost': 'Cost (USD)',
  'cli.col.status': 'Status',
  'cli.col.tokensPerMin': 'Tokens/min',
  'cli.col.costPerHour': '$/h',
  'cli.col.projected': 'Projected',
  'cli.col.models': 'Models',
  'cli.total': 'Total',
  'cli.block.gap': 'gap {duration}',
  'cli.block.active': 'ACTIVE {duration} left',
  'cli.block.done': 'done',
  'cli.duration.hm': '{h}h {m}m',
  'cli.duration.m': '{m}m',
  'cli.note.blocks': 'Blocks are 5-hour windows estimated from log times (ccusage semantics), per source, shown in {zone}.',
  'cli.note.times': 'Times in {zone}. Prices: bundled table of {date}.',
  'cli.note.timesOverridden': 'Times in {zone}. Prices: bundled table of {date} with your --prices overrides.',
  'cli.note.estimated': '≈ estimated from Claude Code\'s stats cache (days no Claude log covers; a day\'s input + output split by each model\'s all-time mix, cache tokens scaled from it; requests unknown): {days} day(s), {tokens} tokens, {cost} of the Total.',
  'cli.note.unpriced': 'n/a: no price for {models} ({tokens} tokens counted, cost unknown; add prices with --prices FILE). Priced part: {priced}.',
  'cli.note.modelNotLogged': '(model not logged)',
  'cli.note.agentEstimates': 'The agents\' own cost estimates for these days: {list} (the costs above are AgentMeter\'s: tokens × the price table).',
  'cli.na': 'n/a',
  'cli.warn.unknownUsage': '{source}: usage unknown for {n} session(s) (not written to disk; not counted as zero)',
  'cli.warn.estimatesAvailable': '{n} day(s) without Claude logs can be estimated from Claude Code\'s stats cache (not included; add --estimates)',
  'cli.warn.estimatesBy': 'estimated days are shown --by day, week, month, model or source only ({n} day(s) left out --by {by})',
  'cli.error.prefix': 'error: ',
  'cli.warning.prefix': 'warning: ',
  'cli.error.badLang': '--lang must be en or zh-CN (got "{value}")',
  'cli.usage.oneOf': '--{name} must be one of {choices} (got "{value}")',
  'cli.usage.source': '--source must be all or a comma list of {ids} (got "{value}")',
  'cli.usage.dir': '--dir must be SOURCE=DIR[,DIR] with SOURCE one of {ids} (got "{value}")',
  'cli.usage.day': '--{name} must be a date YYYY-MM-DD from {first} to {last} (got "{value}")',
  'cli.usage.emptyDirs': 'a directory list must not be empty (use "none" to disable a source)',
  'cli.usage.rate': '--rate must be CUR=USD, e.g. CNY=0.14 (USD per one unit; got "{value}")',
  'cli.usage.unknownCommand': 'unknown command "{command}" (try: agentmeter report --help)',
  'cli.usage.unexpected': 'unexpected argument "{value}"',
  'cli.usage.sinceAfterUntil': '--since {since} is after --until {until}',
  'cli.usage.needsPath': '--{name} needs a file path',
  'cli.usage.dbNoCache': '--db and --no-cache cannot be used together',
  'cli.usage.outNotDocument': '--out is for --format {formats} (the other formats print to stdout)',
  'cli.usage.formatNeedsOut': '--format {format} needs --out FILE',
  'cli.usage.templateNotDocument': '--template is for --format {formats}',
  'cli.usage.periodWithRange': '--period cannot be used with --since/--until (a custom range)',
  'cli.usage.pricesUnreadable': '--prices: cannot read {file}',
  'cli.usage.pricesNotJson': '--prices: {file} is not valid JSON',
  'cli.noUsage': 'No usage found.',
  'cli.noUsageInRange': 'No usage found in that date range.',
  'cli.help': `agentmeter - cost and token usage of AI coding agents from their local logs

Usage: agentmeter report [options]

Options:
  --by day|week|month|session|project|model|source|branch|activity|hour|weekday|block
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
  --pdf-font FILE         a .ttf (or TrueType .ttc) font for PDF text the standard fonts cannot show (Chinese…)
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
                          (per million tokens, in USD unless "currency" names another; fields input,
                          output, cacheWrite5m, cacheRead, inputAbove200k, outputAbove200k,
                          cacheWrite5mAbove200k, cacheReadAbove200k, longContextAbove, fastMultiplier,
                          usInferenceMultiplier, flexMultiplier, webSearchPerRequest (per search),
                          maxInputTokens, provider, currency)
  --rate CUR=USD          USD per one unit of a currency some prices are in (repeatable), e.g. CNY=0.14
  --estimates             also show the days no Claude log covers any more (or never did), estimated
                          from Claude Code's stats cache (stats-cache.json): marked ≈ (estimated: true
                          in JSON, an estimated column in CSV), by day, week, month, model or source
  --lang en|zh-CN         language of the help, table headers and messages (default: LC_ALL,
                          LC_MESSAGES or LANG; zh* = Chinese)
  -v, --verbose           roots, skipped lines, model fallbacks and timings on stderr
  -h, --help              this help
  -V, --version           version

Team database (PostgreSQL; opt-in: nothing is sent unless you run these):
  agentmeter sync [--postgres URL] [--member NAME] [--machine NAME] [--projects folder|path|hash]
                  [--project-salt S] [--ca-file FILE] [--source …] [--dir …] [--db FILE] [--no-cache]
                          index the logs as report does, then push this machine's 15-minute totals
                          (member: git config user.email; machine: the host name)
  agentmeter report --team [--postgres URL] [--by member|machine|day|week|month|project|model|
                  source|branch|activity|hour|weekday] [--member NAME] [--since …] [--until …] [--format …]
                          the team's totals (priced here), rows with member and machine;
                          --format md|html|xlsx|pdf [--out FILE] [--template …] [--period …]: a report document
  agentmeter team init [--postgres URL]          create or migrate the tables, roles and views
  agentmeter team add-member --login LOGIN --member NAME [--lead] [--create-login [--password-env VAR]]
                          let a database login push NAME's rows (--lead: also read the team);
                          --create-login: create the login if missing (password from $VAR, or a
                          random one printed once)
  agentmeter team budget --period daily|weekly|monthly --usd N|none [--member NAME]
  The URL: --postgres, else AGENTMETER_POSTGRES_URL, else the PG* variables (PGHOST, PGUSER, …);
  TLS with ?sslmode=verify-full&sslrootcert=FILE or --ca-file FILE.

Sources (IDs):
{sources}

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
`,

  // ── report documents (src/app/reports: model, period labels, Markdown / HTML / Excel / PDF renderers) ──
  'report.title': 'AgentMeter report — {template}',
  'report.template.summary': 'Summary',
  'report.template.project': 'By project',
  'report.template.model': 'By model',
  'report.template.agent': 'By agent',
  'report.template.sessions': 'Sessions',
  'report.template.budgets': 'Budgets and limits',
  'report.period.today': 'Today',
  'report.period.yesterday': 'Yesterday',
  'report.period.thisWeek': 'This week',
  'report.period.lastWeek': 'Last week',
  'report.period.thisMonth': 'This month',
  'report.period.lastMonth': 'Last month',
  'report.period.all': 'All time',
  'report.period.custom': 'Custom range',
  'report.period.named': '{name} ({span})',
  'report.period.beginning': 'the beginning',
  'report.period.now': 'now',
  'report.col.requests': 'Requests',
  'report.col.input': 'Input',
  'report.col.output': 'Output',
  'report.col.cacheWrite': 'Cache write',
  'report.col.cacheRead': 'Cache read',
  'report.col.totalTokens': 'Total tokens',
  'report.col.cost': 'Cost (USD)',
  'report.col.pricedPart': 'Priced part (USD)',
  'report.col.unpricedTokens': 'Unpriced tokens',
  'report.col.date': 'Date',
  'report.col.agent': 'Agent',
  'report.col.model': 'Model',
  'report.col.project': 'Project',
  'report.col.session': 'Session',
  'report.col.first': 'First',
  'report.col.last': 'Last',
  'report.col.weekOf': 'Week of',
  'report.col.month': 'Month',
  'report.col.budget': 'Budget',
  'report.col.budgetUsd': 'Budget (USD)',
  'report.col.used': 'Used',
  'report.col.overBudget': 'Over budget',
  'report.col.window': 'Window',
  'report.col.minutes': 'Minutes',
  'report.col.resets': 'Resets',
  'report.total': 'Total',
  'report.yes': 'yes',
  'report.activeDays': 'Active days',
  'report.table.day': 'By day',
  'report.table.agent': 'By agent',
  'report.table.model': 'By model',
  'report.table.project': 'By project',
  'report.table.sessions': 'Sessions',
  'report.table.agentByDay': '{agent} by day',
  'report.table.estimated': 'Estimated days (not in the totals)',
  'report.table.estimatedNote': "Days no Claude log covers, estimated from Claude Code's stats cache (input + output as it wrote them, cache from the model's all-time mix); request counts unknown.",
  'report.table.budgets': 'Budgets',
  'report.table.member': 'By member',
  'report.table.team': 'Team database',
  'report.col.member': 'Member',
  'report.col.machine': 'Machine',
  'report.col.lastPush': 'Last push',
  'report.team.noSessions': 'No sessions in team scope: machines never send sessions to the team database.',
  'report.team.provenance': 'Team database {db}, {members} members, {machines} machines; last push per machine below.',
  'report.team.asLead': 'Read with a lead\'s login: every member\'s rows.',
  'report.team.asMember': 'Read with a member\'s login: row-level security leaves only this login\'s own rows, not the rest of the team.',
  'report.team.meAll': 'The usage of {member} from all of its machines.',
  'report.table.budgetsNone': 'No budgets are set (agentMeter.budgets.* in the settings).',
  'report.table.budgetDaily': 'Daily budget: {limit}',
  'report.table.budgetWeekly': 'Weekly budget: {limit}',
  'report.table.budgetMonthly': 'Monthly budget: {limit}',
  'report.table.quota': 'Codex quota (newest sample)',
  'report.quota.primary': 'Primary',
  'report.quota.secondary': 'Secondary',
  'report.quota.sampled': 'Sampled {time}.',
  'report.quota.sampledPlan': 'Sampled {time}, plan {plan}.',
  'report.chart.day': 'Cost by day (USD)',
  'report.chart.modelTop': 'Cost by model (USD), top {n}',
  'report.chart.projectTop': 'Cost by project (USD), top {n}',
  'report.chart.agent': 'Cost by agent (USD)',
  'report.unpriced': 'unpriced',
  'report.noUsage': 'No usage in this period.',
  'report.colon': ':',
  'report.periodLabel': 'Period',
  'report.timeZone': 'Time zone',
  'report.provenance': 'Where these numbers come from',
  'report.prov.sources': "Sources: {sources} (the agents' local logs, read by AgentMeter; scope: {scope}).",
  'report.prov.noSources': 'no usage in this period',
  'report.prov.prices': "Prices: AgentMeter's bundled price table of {date} (LiteLLM via ccusage and the vendors' pricing pages); amounts in USD.",
  'report.prov.pricesOverridden': "Prices: AgentMeter's bundled price table of {date}, with your overrides (LiteLLM via ccusage and the vendors' pricing pages); amounts in USD.",
  'report.prov.times': 'Times: {zone}; weeks start on {weekday}; usage is kept in 15-minute UTC buckets.',
  'report.prov.unpriced': 'Unpriced models (no price known; their tokens are counted, their cost is not): {models}.',
  'report.prov.unpricedWebSearch': 'Unpriced because of their web searches (the model has a price for its tokens but none for web searches; its tokens are counted, its cost is not): {models}.',
  'report.unpricedWebSearches': '{model} ({searches} web searches, which have no known price)',
  'report.prov.estimated': "Estimated days (from Claude Code's stats cache, shown apart, not in the totals): {days}.",
  'report.prov.unknownUsage': '{source}: usage unknown for {n} session(s) (not written to disk; not counted as zero).',
  'report.prov.agentCost': "{source}'s own cost estimate over the period: {cost}.",
  'report.prov.skipped': 'Skipped log lines (lifetime of the index): {malformed} malformed, {duplicate} duplicate copies.',
  'report.listSep': ', ',
  'report.weekday.0': 'Sunday',
  'report.weekday.1': 'Monday',
  'report.weekday.2': 'Tuesday',
  'report.weekday.3': 'Wednesday',
  'report.weekday.4': 'Thursday',
  'report.weekday.5': 'Friday',
  'report.weekday.6': 'Saturday',
  'report.scope.all': 'all agents',
  'report.scope.project': '{agents}, project {project}',
  'report.generated': 'Generated {time} ({zone}) by AgentMeter.',
  'report.footer.priceTable': 'Price table {date}.',
  'report.footer': '{generated} {priceTable}',
  'report.pdf.footer': 'AgentMeter · {period} · {zone} · price table {date}',
  'report.pdf.page': 'Page {page} of {pages}',
  'report.pdf.replaced': 'Some characters (e.g. Chinese) cannot be shown with the PDF standard fonts and print as "?": set agentMeter.reports.pdfFontFile to a .ttf (or TrueType .ttc) font that has them, or use the HTML or Excel report.',
  'report.xlsx.report': 'Report',
  'report.xlsx.from': 'From',
  'report.xlsx.to': 'To',
  'report.xlsx.priceTable': 'Price table',
  'report.cli.wrote': 'wrote the {template} report ({format}) to {path}',
} as const;

export const en = { ...dashboardEn, ...appEn } as const;

export type MessageKey = keyof typeof en;
export type Messages = Readonly<Record<MessageKey, string>>;

/**
 * The dashboard panel (one per window, viewType `agentMeter.dashboard`): created or brought to the front by
 * `createOrShow`, restored after a reload by the serializer. The webview posts `ready`; the host answers with a
 * snapshot and pushes a new one when the data changes (debounced) or the filters change. Snapshots are built in
 * the index worker (all facts are loaded there once per data change); pushes never overlap.
 */
import * as vscode from 'vscode';
import { DEFAULT_FILTERS, FROM_WEBVIEW, sameFilters, sanitizeFilters, type DashboardFilters, type DashboardHostSide, type DashboardSnapshot, type DashboardWebviewSide, type ExportFormat, type ExportGrain, type HostEvents } from '../../shared/protocol';
import { MessageHandler } from '../../shared/channel';
import type { UsageSource } from '../usageSource';
import { dashboardHtml } from './html';
import { coalesced } from '../coalesce';
import { addDaysToKey, startOfDayKey } from '../../core/report/tz';
import { dashboardStrings } from '../../app/i18n/translator';
import { displayTranslator } from '../i18n';
import type { AlertRuleId } from '../../shared/protocol';
import type { AlertHistoryEntry } from '../../app/alerts/history';
import { alertHistoryView } from '../../app/dashboard/alertHistory';
import { ShowTimes } from './showTimes';
import { DEFAULT_SESSION_SORT, sanitizeSort, type SessionSort } from '../../shared/sessionsTable';

/** Where the dashboard reads the alert history (set once by `activate`). */
export interface AlertHistorySource {
  read(): Promise<AlertHistoryEntry[]>;
  onDidChange: vscode.Event<void>;
}

export const DASHBOARD_VIEW_TYPE = 'agentMeter.dashboard';
/** When the dashboard was last opened in this profile (global state, ms): a window then prepares its data early (`dashboardWarmUpDue`). */
export const DASHBOARD_OPENED_KEY = 'agentMeter.dashboard.lastOpenedMs';

/** The team database as the dashboard sees it (host/team/teamController.ts): its scopes need one connected. */
export interface DashboardTeam {
  /** the connected database, undefined when none */
  target(): { url: string; caFile: string | null } | undefined;
  /** this machine's member name */
  member(): Promise<string>;
  readonly onDidChange: vscode.Event<void>;
}
const PUSH_DEBOUNCE_MS = 300;
/** After the first drawn snapshot, the worker prepares all time this much later (the webview has its frame). */
const PREPARE_DELAY_MS = 300;
/**
 * The snapshot sent ahead is shown as it is when chosen within this time of its making (the data unchanged); when
 * chosen later it is still shown at once, and a new one follows (the current day, block and cards may have moved on).
 */
const AHEAD_MAX_AGE_MS = 5 * 60_000;

export class DashboardPanel {
  static current: DashboardPanel | undefined;
  static alertHistory: AlertHistorySource | undefined;
  /** where the dashboard logs how long it took to show what was asked for (set once by `activate`) */
  static log: ((message: string) => void) | undefined;
  private readonly showTimes = new ShowTimes();
  /** the alert history's rule filter (null: every rule) */
  private alertRule: AlertRuleId | null = null;

  private readonly disposables: vscode.Disposable[] = [];
  private filters: DashboardFilters;
  /**
   * the data changed since the last snapshot: the worker reloads the facts. A new panel starts without: the index
   * worker drops its dashboard data at every data change (IndexEngine.dataChanged), so what it holds — read by the
   * window start's warm-up or an earlier panel — is current, and a new panel's first snapshot reuses it (a year: ~20 ms
   * instead of the ~130 ms of CPU reading the facts again, ~0.2–0.37 s in the editor).
   */
  private stale = false;
  private disposed = false;
  private last: DashboardSnapshot | null = null;
  private ready = false;
  /**
   * The first snapshot, asked for when the panel is created, so that the worker builds it while the webview loads
   * (most of F1 → painted charts): used for the webview's `ready` when the filters are the same and nothing changed.
   */
  private prefetched: { key: string; snapshot: Promise<DashboardSnapshot>; ms: () => number } | undefined;
  /** the data or settings changed while the panel was hidden: push when it is shown */
  private missedWhileHidden = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** the host's end of the dashboard channel (the webview's events are checked by FROM_WEBVIEW) */
  private readonly channel: MessageHandler<DashboardHostSide, DashboardWebviewSide>;
  /** the team database the last snapshots were made for */
  private teamUrl: string | undefined;
  /** Refresh was pressed: the next team snapshot reads the team database again */
  private teamFresh = false;
  /** all time was prepared in the worker after the first drawn snapshot (`prepareAllTime`) */
  private allTimePrepared = false;
  /**
   * The all-time snapshot sent ahead to the webview (`prepared`), while it is current: dropped when the data, the
   * settings or the team change and when another snapshot is posted (the webview drops it then too).
   */
  private ahead: { id: number; snapshot: DashboardSnapshot; atMs: number } | undefined;
  private aheadIds = 0;
  /** bumped by every change that makes a snapshot being built for `ahead` out of date */
  private changes = 0;
  /** the all-time snapshot the worker is making (`prepareAllTime`): a push for the same filters awaits it */
  private preparing: { filters: DashboardFilters; changes: number; snapshot: Promise<DashboardSnapshot | null> } | undefined;
  /** the sessions table's order and page the webview shows: every snapshot carries that page */
  private sessions: { sort: SessionSort; offset: number };

  /** Opens the dashboard, or reveals it when it is already open. */
  static createOrShow(context: vscode.ExtensionContext, source: UsageSource, team?: DashboardTeam): DashboardPanel {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    if (DashboardPanel.current) {
      DashboardPanel.current.panel.reveal(column);
      return DashboardPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'AgentMeter', column, webviewOptions(context.extensionUri));
    DashboardPanel.current = new DashboardPanel(panel, context, source, DEFAULT_FILTERS, team);
    void context.globalState?.update(DASHBOARD_OPENED_KEY, Date.now());
    return DashboardPanel.current;
  }

  /**
   * Prepares the index worker's dashboard data for the default filters (one snapshot, not shown): the first snapshot
   * of a window's worker reads its facts, sums and sessions cold (~0.8 s of CPU at a year), one after it what changed.
   * Nothing when a panel is open. Resolves to the snapshot's time in ms, or undefined when none was made.
   */
  static async warmUp(source: UsageSource): Promise<number | undefined> {
    if (DashboardPanel.current || !source.hasData()) return undefined;
    const t0 = Date.now();
    // (what the worker may hold already is current: it is dropped at every data change)
    await source.index.dashboardSnapshot({ ...localQuery(source, false), filters: localFiltersOf(DEFAULT_FILTERS) });
    return Date.now() - t0;
  }

  /**
   * Reads ahead, in the index worker, what every window's first snapshot reads of all time (`dashboardWarm`: dims,
   * labels, all-time sums, idle re-writes), for a window whose dashboard was not opened lately. Nothing when a panel is
   * open. Resolves to the ms it took, or undefined when nothing was read.
   */
  static async warmReads(source: UsageSource): Promise<number | undefined> {
    if (DashboardPanel.current || !source.hasData()) return undefined;
    const ms = await source.index.dashboardWarm();
    return ms === undefined ? undefined : Math.round(ms);
  }

  /** Takes over a panel restored by VS Code after a window reload (state = the webview's saved UI state). */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, source: UsageSource, state: unknown, team?: DashboardTeam): DashboardPanel {
    DashboardPanel.current?.dispose();
    const filters = sanitizeFilters(state && typeof state === 'object' ? (state as { filters?: unknown }).filters : undefined);
    const sort = sanitizeSort(state && typeof state === 'object' ? (state as { sort?: { sessions?: unknown } }).sort?.sessions : undefined);
    DashboardPanel.current = new DashboardPanel(panel, context, source, filters, team, sort ?? undefined);
    void context.globalState?.update(DASHBOARD_OPENED_KEY, Date.now());
    return DashboardPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private readonly source: UsageSource,
    filters: DashboardFilters,
    private readonly team?: DashboardTeam,
    /** the sessions table's order saved in a restored webview's state */
    sessionSort: SessionSort = DEFAULT_SESSION_SORT,
  ) {
    this.filters = filters;
    this.sessions = { sort: sessionSort, offset: 0 };
    this.teamUrl = team?.target()?.url;
    const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
    panel.webview.options = webviewOptions(context.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
    panel.webview.html = dashboardHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      lang: vscode.env.language,
      strings: dashboardStrings(vscode.env.language),
    });
    this.channel = new MessageHandler<DashboardHostSide, DashboardWebviewSide>({
      transport: { postMessage: (m) => void panel.webview.postMessage(m) },
      validate: FROM_WEBVIEW,
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.channel.handle(m)),
      ...this.listen(),
      source.onDidChange(() => { this.stale = true; this.prefetched = undefined; this.dropAhead(); this.scheduleWhenSeen(PUSH_DEBOUNCE_MS); }),
      // a dashboard in a background tab builds nothing while an agent writes (a year's snapshot is ~0.3–0.8 s of the
      // index worker per change): the data changed while hidden are pushed once, when it is shown again
      panel.onDidChangeViewState(() => {
        if (this.panel.visible && this.missedWhileHidden) {
          this.missedWhileHidden = false;
          this.schedule(0);
        }
      }),
      // connecting or disconnecting a team database shows or hides the scope switch (push progress changes nothing here)
      ...(team ? [team.onDidChange(() => {
        const url = team.target()?.url;
        if (url === this.teamUrl) return;
        this.teamUrl = url;
        this.prefetched = undefined;
        this.dropAhead();
        this.scheduleWhenSeen(PUSH_DEBOUNCE_MS);
      })] : []),
      ...(DashboardPanel.alertHistory ? [DashboardPanel.alertHistory.onDidChange(() => void this.pushAlerts())] : []),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('agentMeter')) { this.prefetched = undefined; this.dropAhead(); this.scheduleWhenSeen(PUSH_DEBOUNCE_MS); } }),
    );
    this.showTimes.asked('open');
    const t0 = Date.now();
    let builtMs: number | undefined;
    const snapshot = this.snapshotOf(filters);
    snapshot.then(() => { builtMs = Date.now() - t0; }, () => {}); // a failure is met (and shown) when the webview asks
    this.prefetched = { key: JSON.stringify(filters), snapshot, ms: () => builtMs ?? Date.now() - t0 };
  }

  /**
   * A snapshot for the filters from the index worker (the facts loaded again when the data changed since the last).
   * With a team database connected: the scope switch, and in a team scope the team's facts (a failure to read them
   * shows this machine's with the reason).
   */
  private async snapshotOf(filters: DashboardFilters): Promise<DashboardSnapshot> {
    const reload = this.stale;
    this.stale = false;
    const q = localQuery(this.source, reload);
    const target = this.team?.target();
    const scope = filters.scope ?? 'local';
    let teamError: string | null = null;
    if (target && scope !== 'local') {
      const member = await this.team!.member();
      const fresh = this.teamFresh;
      this.teamFresh = false;
      // the local data's reload stays pending for the next local snapshot (a team snapshot does not read the index)
      this.stale = reload;
      try {
        return await this.source.index.teamSnapshot({ ...q, filters, target, scope, member, fresh });
      } catch (e) {
        this.stale = false;
        teamError = e instanceof Error ? e.message : String(e);
      }
    }
    const snapshot = await this.source.index.dashboardSnapshot({ ...q, filters: localFiltersOf(filters), sessions: this.sessions }).catch((e: unknown) => {
      if (reload) this.stale = true;
      throw e;
    });
    if (target) {
      snapshot.team = { scope: 'local', role: null, member: await this.team!.member(), error: teamError, members: [], machines: [], freshness: [], budgets: [] };
    }
    return snapshot;
  }

  dispose(): void {
    this.disposed = true;
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.channel.close(new Error('the dashboard was closed'));
    const list = this.disposables.splice(0);
    this.panel.dispose();
    for (const d of list) {
      try { d.dispose(); } catch { /* already disposed */ }
    }
  }

  /** The webview's events; a failure is shown in the webview. */
  private listen(): { dispose(): void }[] {
    const guarded = <T>(fn: (body: T) => Promise<void> | void) => (body: T) =>
      void Promise.resolve().then(() => fn(body)).catch((e: unknown) => this.post('error', { message: e instanceof Error ? e.message : String(e) }));
    const ch = this.channel;
    return [
      ch.on('ready', guarded((msg) => {
        this.showTimes.pageReady();
        this.ready = true;
        this.filters = msg.filters;
        // a page loaded again (shown after being hidden) starts the sessions table at its first page
        this.sessions = { sort: this.sessions.sort, offset: 0 };
        this.schedule(0);
      })),
      ch.on('alertRule', guarded((msg) => {
        this.alertRule = msg.rule;
        void this.pushAlerts();
      })),
      ch.on('setFilters', guarded((msg) => {
        this.showTimes.asked('filters');
        this.filters = msg.filters;
        this.sessions = { sort: this.sessions.sort, offset: 0 };
        const ahead = this.ahead;
        this.ahead = undefined;
        // the webview shows the snapshot sent ahead: nothing to send while it is current
        if (msg.prepared !== undefined && ahead?.id === msg.prepared && sameFilters(ahead.snapshot.filters, msg.filters) && Date.now() - ahead.atMs <= AHEAD_MAX_AGE_MS) {
          this.last = ahead.snapshot;
          this.showTimes.shownAhead();
          return;
        }
        this.schedule(0);
      })),
      // another page or order of the sessions table: from the worker's kept table, else with a new snapshot
      ch.on('sessionsPage', guarded(async (msg) => {
        this.sessions = { sort: msg.sort, offset: msg.offset };
        const page = await this.source.index.dashboardSessions(msg);
        if (this.disposed) return;
        if (page) {
          // (a session looked for: the page found)
          if (this.sessions.sort === msg.sort) this.sessions = { sort: msg.sort, offset: page.offset };
          this.post('sessionsPage', page);
        } else if (!msg.find) this.schedule(0);
      })),
      ch.on('refresh', guarded(async () => {
        this.stale = true;
        this.dropAhead();
        this.teamFresh = true;
        await vscode.commands.executeCommand('agentMeter.refresh');
        this.schedule(0);
      })),
      ch.on('painted', (msg) => {
        const line = this.showTimes.painted(msg.renderMs, msg.frameMs);
        if (line) DashboardPanel.log?.(line);
        this.prepareAllTime();
      }),
      ch.on('export', guarded((msg) => this.runExport(msg.format, msg.grain))),
      ch.on('openSettings', guarded(async (msg) => {
        await vscode.commands.executeCommand('workbench.action.openSettings', msg.setting);
      })),
      ch.on('openSession', guarded(async (msg) => {
        const path = await this.source.index.sessionLogPath(msg.source, msg.session);
        if (!path) {
          void vscode.window.showInformationMessage(vscode.l10n.t('AgentMeter: the log file of session {0} is no longer on disk.', msg.session));
          return;
        }
        await vscode.window.showTextDocument(vscode.Uri.file(path), { preview: true, viewColumn: vscode.ViewColumn.Active });
      })),
    ];
  }

  /** Runs the export command with the dashboard's current filters ([sinceMs, untilMs) of the shown days). */
  private async runExport(format: ExportFormat, grain: ExportGrain): Promise<void> {
    const s = this.last;
    const arg: Record<string, unknown> = { grain };
    if (s && s.filters.range !== 'all' && s.rangeFromDay && s.rangeToDay) {
      arg.sinceMs = startOfDayKey(s.rangeFromDay, s.timeZone);
      arg.untilMs = startOfDayKey(addDaysToKey(s.rangeToDay, 1), s.timeZone);
    }
    if (this.filters.source !== 'all') arg.source = this.filters.source;
    if (this.filters.project) arg.project = this.filters.project;
    if (this.filters.model) arg.model = this.filters.model;
    await vscode.commands.executeCommand(format === 'csv' ? 'agentMeter.exportCsv' : 'agentMeter.exportJson', arg);
  }

  /** A push for a change of the data or settings: now when the panel is visible, else when it is shown again. */
  private scheduleWhenSeen(delayMs: number): void {
    if (this.panel.visible) this.schedule(delayMs);
    else this.missedWhileHidden = true;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.push();
    }, delayMs);
  }

  /**
   * Once per panel, after its first drawn snapshot of a shorter range of this machine's data: the index worker
   * prepares all time under the same filters (`dashboardPrepare`: reads and keeps the range's rows), so that choosing
   * *All* reads only what changed since — at a year of heavy use ~0.3–0.4 s of the worker's CPU spent while the user
   * looks at the charts, not after the click. Later opens of the same worker find most of it kept. The snapshot it
   * makes is sent ahead (`prepared`) while nothing changed since: choosing *All* then shows it without a round trip.
   */
  private prepareAllTime(): void {
    const s = this.last;
    if (this.allTimePrepared || this.disposed || !s || s.empty || s.filters.range === 'all' || (this.filters.scope ?? 'local') !== 'local') return;
    this.allTimePrepared = true;
    const { sinceDay: _since, untilDay: _until, ...rest } = this.filters;
    const filters = localFiltersOf({ ...rest, range: 'all' });
    setTimeout(() => {
      // (all time chosen meanwhile: its snapshot is asked for already)
      if (this.disposed || sameFilters(filters, this.filters)) return;
      const t0 = Date.now();
      const changes = this.changes;
      const made = this.source.index.dashboardPrepare({ ...localQuery(this.source, false), filters, sessions: { sort: this.sessions.sort, offset: 0 } });
      const preparing = { filters, changes, snapshot: made.catch(() => null) };
      this.preparing = preparing;
      void preparing.snapshot.then(() => { if (this.preparing === preparing) this.preparing = undefined; });
      made.then(
        (snapshot) => {
          if (!snapshot) return;
          DashboardPanel.log?.(`Dashboard: all time prepared in ${Date.now() - t0} ms`);
          // (a team database connected: its snapshots carry the scope switch, which the worker's do not)
          if (this.disposed || changes !== this.changes || this.team?.target() || sameFilters(snapshot.filters, this.filters)) return;
          this.ahead = { id: ++this.aheadIds, snapshot, atMs: t0 };
          this.post('prepared', { id: this.ahead.id, snapshot });
        },
        () => {}, // (a failure shows when that range is asked for)
      );
    }, PREPARE_DELAY_MS);
  }

  /** The data, settings or team changed: the snapshot sent ahead (and one being made) is out of date. */
  private dropAhead(): void {
    this.ahead = undefined;
    this.changes++;
  }

  /** Pushes a snapshot; a push asked for while one is being built runs once more after it. */
  private readonly push = coalesced(() => this.pushOnce(), () => !this.disposed);

  private async pushOnce(): Promise<void> {
    if (!this.ready || this.disposed) return;
    try {
      const pre = this.prefetched;
      this.prefetched = undefined;
      const t0 = Date.now();
      const asked = this.filters;
      let snapshot: DashboardSnapshot;
      let ms: number;
      const preparing = this.preparing;
      if (pre && pre.key === JSON.stringify(this.filters)) {
        snapshot = await pre.snapshot.catch(() => this.snapshotOf(this.filters)); // (asked before the index was open, say)
        ms = pre.ms();
      } else if (preparing && preparing.changes === this.changes && !this.stale && (this.filters.scope ?? 'local') === 'local' && !this.team?.target() && sameFilters(preparing.filters, this.filters)) {
        // chosen while the worker makes that very snapshot (all time, soon after the open): it, not another after it
        const made = await preparing.snapshot;
        snapshot = made && preparing.changes === this.changes ? made : await this.snapshotOf(this.filters);
        ms = Date.now() - t0;
      } else {
        snapshot = await this.snapshotOf(this.filters);
        ms = Date.now() - t0;
      }
      // (new filters meanwhile: a push for them follows, or the webview shows the snapshot sent ahead for them)
      if (this.disposed || this.filters !== asked) return;
      this.last = snapshot;
      this.ahead = undefined;
      this.showTimes.posted(ms);
      this.post('snapshot', snapshot);
      // with each snapshot the history is read again: another window (the writer: only it evaluates alerts) may have
      // recorded some
      void this.pushAlerts();
    } catch (e) {
      this.post('error', { message: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Pushes the alert history with the current rule filter (a small file read in the host). */
  private async pushAlerts(): Promise<void> {
    const source = DashboardPanel.alertHistory;
    if (!source || !this.ready || this.disposed) return;
    try {
      const view = alertHistoryView(await source.read(), this.alertRule, undefined, displayTranslator());
      if (!this.disposed) this.post('alertHistory', view);
    } catch (e) {
      this.post('error', { message: `alert history: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  private post<K extends keyof HostEvents & string>(event: K, body: HostEvents[K]): void {
    this.channel.emit(event, body);
  }
}

/** A window prepares the dashboard's data when the dashboard was opened within this many days (or never). */
export const DASHBOARD_WARM_DAYS = 14;

/**
 * Whether a window should prepare the dashboard's data (`lastOpenedMs`: DASHBOARD_OPENED_KEY's value, unchecked): when
 * the dashboard was opened in this profile within DASHBOARD_WARM_DAYS, or never (someone new to AgentMeter, whose
 * first F1 is the one most likely to come, and would otherwise build every view cold: ~0.25–0.6 s of the index worker
 * at a year). Not for someone who last opened it weeks ago, nor for a value of another kind or a clock set back.
 */
export function dashboardWarmUpDue(lastOpenedMs: unknown, nowMs: number): boolean {
  if (lastOpenedMs === undefined) return true;
  return typeof lastOpenedMs === 'number' && Number.isFinite(lastOpenedMs) && nowMs - lastOpenedMs < DASHBOARD_WARM_DAYS * 86_400_000 && lastOpenedMs <= nowMs;
}

/** The query of a snapshot of this window's index, but its filters (`reload`: the data changed since the last). */
function localQuery(source: UsageSource, reload: boolean) {
  const settings = source.getSettings();
  return { nowMs: Date.now(), locale: vscode.env.language, settings, status: source.getStatus(), priceOverrides: settings.priceOverrides, reload };
}

/** The filters of a local snapshot: the team scope is the panel's alone. */
function localFiltersOf(filters: DashboardFilters): Omit<DashboardFilters, 'scope'> {
  const { scope: _scope, ...local } = filters;
  return local;
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}

/** Restores the dashboard after a window reload (needs `onWebviewPanel:agentMeter.dashboard` activation). */
export function registerDashboardSerializer(context: vscode.ExtensionContext, source: UsageSource, team?: DashboardTeam): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      DashboardPanel.revive(panel, context, source, state, team);
    },
  });
}

import * as vscode from 'vscode';
import type { UsageService } from '../usageService';
import type { Logger } from '../../core/types';
import type { TeamCheckResult } from '../../app/indexWorker/teamRequests';
import { TeamSync, type TeamBackend } from './teamSync';
import { resolveTeamIdentity } from './identity';
import { teamTooltipLine } from './teamTooltip';
import { teamBudgetAlerts } from './teamBudgetAlerts';
import type { IndexBackend } from '../../app/indexWorker/protocol';
import { DEFAULT_FILTERS } from '../../shared/protocol';
import { errorText } from '../errorText';
import { displayTranslator } from '../i18n';
import type { Alert } from '../../core/limits/alerts';

/** The secret storage key of the team database's URL (never a setting: it holds the password). */
export const TEAM_URL_SECRET = 'agentMeter.team.postgresUrl';
/** globalState: the exceeded team budgets already told (per budget and period) */
const TOLD_BUDGETS_KEY = 'agentMeter.team.toldBudgets';

/** A postgres:// or postgresql:// URL; anything else is refused before it is tried. */
export function looksLikePostgresUrl(s: string): boolean {
  return /^postgres(ql)?:\/\/\S+$/i.test(s.trim());
}

/**
 * The window's team database: the URL kept in the secret storage (connect: tested first, stored only when the login
 * works), the writer's pushes (TeamSync), and the status bar's team line. A URL stored or deleted in another window
 * reaches this one through the secret storage's change event.
 */
export class TeamController implements vscode.Disposable {
  private url: string | undefined;
  readonly sync: TeamSync;
  private readonly emitter = new vscode.EventEmitter<void>();
  /** the connection or the push state changed (the status bar re-renders) */
  readonly onDidChange = this.emitter.event;
  private readonly subs: vscode.Disposable[] = [];
  /** the last connection test of this window (role, member names) */
  lastCheck: TeamCheckResult | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly service: UsageService,
    private readonly backend: TeamBackend & Pick<IndexBackend, 'teamSnapshot'>,
    private readonly logger: Logger,
    version: string,
    private readonly globalState?: vscode.Memento,
    /** told of every team budget notification shown (the alert history and the budget rule's webhook) */
    private readonly onFired: (alerts: readonly Alert[], nowMs: number) => void = () => {},
  ) {
    let lastSuccess: number | null = null;
    this.sync = new TeamSync({
      backend,
      url: () => this.url,
      settings: () => service.getSettings().team,
      identity: () => resolveTeamIdentity(service.getSettings().team),
      isWriter: () => service.getStatus().isWriter,
      version,
      logger,
      onChange: (st) => {
        this.emitter.fire();
        if (st.lastSuccessMs !== null && st.lastSuccessMs !== lastSuccess) {
          lastSuccess = st.lastSuccessMs;
          service.saveSoon(); // the push's watermark is in the index's meta
          void this.tellExceededBudgets().catch((e) => this.logger.debug(`team budgets: ${errorText(e)}`));
        }
      },
    });
    this.subs.push(
      secrets.onDidChange((e) => {
        if (e.key === TEAM_URL_SECRET) void this.load();
      }),
      service.onDidChangeStatus(() => this.sync.update()),
      service.model.onDidChangeData(() => this.sync.dataChanged()),
    );
  }

  get connected(): boolean {
    return !!this.url;
  }

  /** Reads the stored URL and starts pushing when this window is the writer. */
  async load(): Promise<void> {
    const before = this.url;
    try {
      this.url = (await this.secrets.get(TEAM_URL_SECRET)) || undefined;
    } catch (e) {
      this.logger.warn(`team database: the secret storage could not be read: ${errorText(e)}`);
      this.url = undefined;
    }
    if (before !== this.url) this.sync.targetChanged();
    else this.sync.update();
    this.emitter.fire();
  }

  /** Tests the URL (connects, reads the login's role); stores it only when the login may push or read. Throws the one-line reason. */
  async connect(url: string): Promise<TeamCheckResult> {
    const u = url.trim();
    if (!looksLikePostgresUrl(u)) throw new Error('not a PostgreSQL URL (postgres://user:password@host:5432/database)');
    const check = await this.backend.teamCheck({ url: u, caFile: this.service.getSettings().team.caFile });
    if (check.role === 'none') throw new Error('this login is neither a member nor a lead of the team database: ask its admin to add it (agentmeter team init / add-member)');
    this.lastCheck = check;
    await this.secrets.store(TEAM_URL_SECRET, u);
    await this.load();
    return check;
  }

  async disconnect(): Promise<void> {
    await this.secrets.delete(TEAM_URL_SECRET);
    this.lastCheck = undefined;
    await this.load();
  }

  /** This machine's member name (the setting, else git's user.email, else the OS user). */
  async member(): Promise<string> {
    return (await resolveTeamIdentity(this.service.getSettings().team)).member;
  }

  /** The connected URL, for this window's team reads (the dashboard). */
  target(): { url: string; caFile: string | null } | undefined {
    return this.url ? { url: this.url, caFile: this.service.getSettings().team.caFile } : undefined;
  }

  /**
   * After a push in the writer window: a lead is told of each team or member budget over its limit, once per period.
   * A member's login reads only its own rows: no team budgets are judged there.
   */
  private async tellExceededBudgets(): Promise<void> {
    const target = this.target();
    if (!target || !this.globalState) return;
    const settings = this.service.getSettings();
    const nowMs = Date.now();
    const snap = await this.backend.teamSnapshot({
      filters: { ...DEFAULT_FILTERS, range: '7d', scope: 'team' }, nowMs, locale: vscode.env.language, settings, status: this.service.getStatus(),
      priceOverrides: settings.priceOverrides, reload: true, target, scope: 'team', member: await this.member(),
    });
    if (snap.team?.role !== 'lead') return;
    const told = new Set(this.globalState.get<string[]>(TOLD_BUDGETS_KEY, []));
    const usd = new Intl.NumberFormat(vscode.env.language || 'en', { style: 'currency', currency: 'USD' });
    const alerts = teamBudgetAlerts(snap.team.budgets, nowMs,
      { timeZone: settings.timeZone, weekStart: settings.weekStart, billingCycleStartDay: settings.budgets.billingCycleStartDay }, told, (v) => usd.format(v), displayTranslator());
    if (!alerts.length) return;
    for (const a of alerts) told.add(a.key);
    await this.globalState.update(TOLD_BUDGETS_KEY, [...told].slice(-200));
    this.onFired(alerts.map((a): Alert => ({
      kind: 'budget', key: `team-budget:${a.key}`, scope: `team-budget:${a.key}`, severity: 'warning', threshold: 100, value: a.pct, message: a.message, text: a.text,
    })), nowMs);
    for (const a of alerts) {
      this.logger.info(a.message);
      void vscode.window.showWarningMessage(a.message, vscode.l10n.t('Show Dashboard')).then((pick) => {
        if (pick) void vscode.commands.executeCommand('agentMeter.showDashboard');
      });
    }
  }

  /** The status bar tooltip's team line (Markdown), undefined when not connected. */
  tooltipLine(locale: string): string | undefined {
    const today = new Date().toDateString();
    const time = (ms: number) => {
      const d = new Date(ms);
      const hm = d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
      return d.toDateString() === today ? hm : `${d.toLocaleDateString(locale, { month: 'short', day: 'numeric' })} ${hm}`;
    };
    return teamTooltipLine({ connected: this.connected, isWriter: this.service.getStatus().isWriter, state: this.sync.state, time, t: displayTranslator() });
  }

  dispose(): void {
    this.sync.scheduler.stop();
    for (const s of this.subs) s.dispose();
    this.emitter.dispose();
  }
}

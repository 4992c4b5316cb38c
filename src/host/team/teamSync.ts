/**
 * The writer window's pushes to the team database: started while a database is connected (its URL in the secret
 * storage) and this window is the writer (the existing lock); automatic only when `agentMeter.team.push.enabled`
 * (a push on request always runs). Each push is one index worker request (the database lives there). The schedule
 * and back-off are TeamPushScheduler's. No `vscode` import.
 */
import type { Logger } from '../../core/types';
import type { TeamSettings } from '../../app/settings';
import type { TeamCheckResult, TeamPushOutcome, TeamPushProgress, TeamPushRequest, TeamTargetRequest } from '../../app/indexWorker/teamRequests';
import { TeamPushScheduler, type TeamPushState } from '../teamPushScheduler';
import type { SetTimer } from '../indexSaver';
import type { TeamIdentity } from './identity';

/** The index worker's team requests, as the host sees them. */
export interface TeamBackend {
  teamPush(req: TeamPushRequest, onProgress?: (p: TeamPushProgress) => void): Promise<TeamPushOutcome>;
  teamCheck(target: TeamTargetRequest): Promise<TeamCheckResult>;
}

export interface TeamSyncOptions {
  backend: TeamBackend;
  /** the connected database's URL (from the secret storage), undefined when none */
  url(): string | undefined;
  settings(): TeamSettings;
  identity(): Promise<TeamIdentity>;
  isWriter(): boolean;
  version: string;
  logger: Logger;
  onChange?(state: TeamPushState): void;
  setTimer?: SetTimer;
  now?: () => number;
}

export class TeamSync {
  readonly scheduler: TeamPushScheduler;
  private readonly progressListeners = new Set<(p: TeamPushProgress) => void>();
  private running = false;
  /** the last push's outcome (e.g. whether it sent the whole history) */
  lastOutcome: TeamPushOutcome | undefined;

  constructor(private readonly o: TeamSyncOptions) {
    this.scheduler = new TeamPushScheduler({
      push: () => this.pushOnce(),
      canPush: () => this.canPush(),
      intervalMs: () => o.settings().push.intervalMs,
      logger: o.logger,
      onChange: o.onChange,
      setTimer: o.setTimer,
      now: o.now,
    });
  }

  get state(): TeamPushState {
    return this.scheduler.state;
  }

  /** A database is connected and this window is the writer (pushes may run). */
  canPush(): boolean {
    return !!this.o.url() && this.o.isWriter();
  }

  /** Starts or stops the automatic pushes after a change of the URL, the role or the settings. */
  update(): void {
    const auto = this.canPush() && this.o.settings().push.enabled;
    if (auto && !this.running) {
      this.running = true;
      this.scheduler.start();
    } else if (!auto && this.running) {
      this.running = false;
      this.scheduler.stop();
    }
  }

  /** Another database (or none): forget the last outcome, then start or stop. */
  targetChanged(): void {
    this.scheduler.reset();
    this.update();
  }

  /** Receives each push's progress (the first connect's notification). */
  onProgress(listener: (p: TeamPushProgress) => void): { dispose(): void } {
    this.progressListeners.add(listener);
    return { dispose: () => this.progressListeners.delete(listener) };
  }

  /** New usage was committed to the index: push a few seconds later. */
  dataChanged(): void {
    if (this.running) this.scheduler.afterSave();
  }

  pushNow(): Promise<void> {
    return this.scheduler.pushNow();
  }

  private async pushOnce(): Promise<{ buckets: number }> {
    const url = this.o.url();
    if (!url) throw new Error('no team database is connected');
    const s = this.o.settings();
    // a hash without a salt could be reversed by hashing guessed paths; folder names instead would send what was hidden
    if (s.projects === 'hash' && !s.projectSalt) throw new Error('agentMeter.team.projects is "hash" but agentMeter.team.projectSalt is empty: set the salt your team uses (agentmeter sync --project-salt)');
    const id = await this.o.identity();
    const outcome = await this.o.backend.teamPush(
      { url, caFile: s.caFile, member: id.member, machine: id.machine, projects: s.projects, projectSalt: s.projectSalt, version: this.o.version },
      (p) => {
        for (const l of [...this.progressListeners]) l(p);
      },
    );
    this.lastOutcome = outcome;
    return { buckets: outcome.buckets };
  }
}

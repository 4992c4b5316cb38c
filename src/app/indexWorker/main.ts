/**
 * Index worker entry (bundled to dist/index-worker.js): owns this window's `IndexEngine` and the log-folder
 * watcher (`LogWatchHost`) and serves the host's requests over the typed channel (protocol.ts), one handler per
 * request. Requests may interleave while a refresh awaits its parse workers, as they did on the host thread; each
 * synchronous engine call runs to completion before the next starts.
 */
import { parentPort, resourceLimits, workerData } from 'node:worker_threads';
import type { Logger } from '../../core/types';
import { MessageHandler, type RequestHandlers } from '../../shared/channel';
import { IndexEngine } from './engine';
import { bundleIdOf } from './bundleId';
import { LogWatchHost } from './logWatch';
import { progressGate } from './progressGate';
import { TeamWorker } from './teamWorker';
import type { HostSide, WorkerInit, WorkerRequests, WorkerSide } from './protocol';

const port = parentPort;
if (!port) throw new Error('index worker: started outside a worker thread');
const init = workerData as WorkerInit;

// the logger and the engine post through the channel created below (they only post once requests arrive)
const log = (level: 'info' | 'warn' | 'error' | 'debug') => (message: string) => channel.emit('log', { level, message });
const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') };
const engine = new IndexEngine({
  wasmPath: init.wasmPath, ingestWorkerScript: init.ingestWorkerScript, logger, statusExtraCostMs: init.statusExtraCostMs, codeId: bundleIdOf(__filename),
  onUpdate: (update) => channel.emit('update', update),
});
const team = new TeamWorker({ writerDatabase: () => engine.writerDatabase() });
const watch = new LogWatchHost(logger, (paths) => channel.emit('logsChanged', { paths }));

/** One handler per request, each calling the method of the same name (checked against the protocol's types). */
const handlers: RequestHandlers<WorkerRequests> = {
  hasDatabase: () => engine.hasDatabase(),
  prepareOpen: ([path]) => engine.prepareOpen(path),
  openWritable: ([path]) => engine.openWritable(path),
  openReadOnly: ([path, replaceWritable]) => engine.openReadOnly(path, replaceWritable),
  close: () => engine.close(),
  save: ([path, options]) => engine.save(path, options),
  startIndexer: ([roots]) => engine.startIndexer(roots),
  stopIndexer: () => engine.stopIndexer(),
  // a pass over every file waits for the watcher's start-up walk, if one runs, and is then its look at every file
  refresh: async ([opts], progress) => {
    if (!opts?.paths) await watch.beforeFullPass();
    return engine.refresh(progressGate(progress), opts);
  },
  isEmpty: () => engine.isEmpty(),
  loadFacts: ([filter]) => engine.loadFacts(filter),
  loadProjects: () => engine.loadProjects(),
  loadLatestRateLimits: () => engine.loadLatestRateLimits(),
  loadRateLimitSamples: ([sinceMs]) => engine.loadRateLimitSamples(sinceMs),
  loadLimitResets: ([sinceMs]) => engine.loadLimitResets(sinceMs),
  loadCounters: () => engine.loadCounters(),
  sessionLogPath: ([source, session]) => engine.sessionLogPath(source, session),
  statusSummary: ([q]) => engine.statusSummary(q),
  configureStatus: ([s]) => engine.configureStatus(s),
  publishStatus: () => engine.publishStatus(),
  dashboardSnapshot: ([q]) => engine.dashboardSnapshot(q),
  dashboardSessions: ([q]) => engine.dashboardSessions(q),
  dashboardPrepare: ([q]) => engine.dashboardPrepare(q),
  dashboardWarm: () => engine.dashboardWarm(),
  exportText: ([q]) => engine.exportText(q),
  applyRetention: ([days, nowMs, timeZone]) => engine.applyRetention(days, nowMs, timeZone),
  writeReport: ([q]) => engine.writeReport(q),
  dispose: () => engine.dispose(),
  watchLogs: ([roots, usePolling]) => watch.watchLogs(roots, usePolling),
  unwatchLogs: () => watch.unwatchLogs(),
  teamCheck: ([t]) => team.teamCheck(t),
  teamPush: ([req], progress) => team.teamPush(req, progress),
  teamSnapshot: ([q]) => team.teamSnapshot(q),
  teamWriteReport: ([q]) => team.teamWriteReport(q),
};

const channel = new MessageHandler<WorkerSide, HostSide>({ transport: port, handlers });
port.on('message', (m: unknown) => channel.handle(m));
logger.debug(`index worker started (young generation ≤ ${resourceLimits.maxYoungGenerationSizeMb ?? 'default'} MB, old generation ≤ ${resourceLimits.maxOldGenerationSizeMb ?? 'default'} MB)`);

import * as vscode from 'vscode';
import { promises as fsp } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CommandContext } from './context';
import {
  exportGrainChoices, exportRangeChoices, customRange, defaultExportName, parseExportArgs, presetRange, validateDay, type ExportFormat, type ExportRequest,
} from '../../app/export';
import { errorText } from '../log';
import { displayTranslator } from '../i18n';

export interface ExportResult {
  path: string;
  rows: number;
}

/** Quick picks for grain and range (custom → two validated input boxes). Undefined when cancelled. */
async function askRequest(nowMs: number, tz: string, format: ExportFormat): Promise<ExportRequest | undefined> {
  const t = displayTranslator();
  const validDay = (v: string) => validateDay(v, t);
  const grain = await vscode.window.showQuickPick(
    exportGrainChoices(t),
    { title: vscode.l10n.t('AgentMeter: Export {0} (1/2) — rows', format.toUpperCase()), placeHolder: vscode.l10n.t('One row per…'), ignoreFocusOut: true },
  );
  if (!grain) return undefined;
  const range = await vscode.window.showQuickPick(
    exportRangeChoices(t),
    { title: vscode.l10n.t('AgentMeter: Export {0} (2/2) — range', format.toUpperCase()), placeHolder: vscode.l10n.t('Which dates?'), ignoreFocusOut: true },
  );
  if (!range) return undefined;
  if (range.preset !== 'custom') return { grain: grain.grain, ...presetRange(range.preset, nowMs, tz) };
  const since = await vscode.window.showInputBox({
    title: vscode.l10n.t('AgentMeter: first day (inclusive)'),
    prompt: vscode.l10n.t('YYYY-MM-DD, in {0}', tz),
    placeHolder: '2026-03-01',
    ignoreFocusOut: true,
    validateInput: validDay,
  });
  if (since === undefined) return undefined;
  const until = await vscode.window.showInputBox({
    title: vscode.l10n.t('AgentMeter: last day (inclusive)'),
    prompt: vscode.l10n.t('YYYY-MM-DD, in {0}', tz),
    placeHolder: since.trim(),
    value: since.trim(),
    ignoreFocusOut: true,
    validateInput: (v) => validDay(v) ?? (v.trim() < since.trim() ? vscode.l10n.t('The last day must not be before {0}', since.trim()) : undefined),
  });
  if (until === undefined) return undefined;
  return { grain: grain.grain, ...customRange(since, until, tz) };
}

function defaultFolder(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? homedir();
}

/**
 * Export CSV / JSON. With an argument object the picks are skipped; with `path` there are no dialogs at all and
 * the result `{ path, rows }` is returned (tests, the dashboard's export buttons). Errors in a non-interactive call
 * reject the command (after being logged); interactive ones are shown. Rows and text are built in the index worker.
 */
export async function runExport(format: ExportFormat, arg: unknown, ctx: CommandContext): Promise<ExportResult | undefined> {
  const settings = ctx.service.getSettings();
  const tz = settings.timeZone;
  const now = Date.now();
  const silent = !!arg && typeof arg === 'object' && typeof (arg as { path?: unknown }).path === 'string';
  try {
    const req = parseExportArgs(arg, now, tz) ?? (await askRequest(now, tz, format));
    if (!req) return undefined;
    await ctx.service.whenReady();
    if (!ctx.service.hasData()) throw new Error(vscode.l10n.t('the usage index is not ready yet'));
    ctx.prices.get(settings.priceOverrides); // reports rejected overrides once, on this window's log
    const { path: requested, ...request } = req;
    const built = ctx.service.index.exportText({ format, request, timeZone: tz, weekStart: settings.weekStart, priceOverrides: settings.priceOverrides, currencyRates: settings.currency.rates });
    built.catch(() => {}); // awaited below; a dialog cancelled meanwhile must not leave it unhandled
    let path = requested;
    if (!path) {
      const uri = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('AgentMeter: Export {0}', format.toUpperCase()),
        defaultUri: vscode.Uri.file(join(defaultFolder(), defaultExportName(req.grain, format, now, tz))),
        filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
        saveLabel: vscode.l10n.t('Export'),
      });
      if (!uri) return undefined;
      path = uri.fsPath;
    }
    const { text, rows } = await built;
    await fsp.mkdir(dirname(path), { recursive: true });
    await fsp.writeFile(path, text, 'utf8');
    ctx.log.info(`exported ${rows} ${req.grain} rows (${format}) to ${path}`);
    if (!silent) void announce(path, rows);
    return { path, rows };
  } catch (e) {
    ctx.log.error(`export failed: ${errorText(e)}`);
    if (silent) throw e;
    void vscode.window.showErrorMessage(vscode.l10n.t('AgentMeter: export failed: {0}', errorText(e)));
    return undefined;
  }
}

async function announce(path: string, rows: number): Promise<void> {
  const open = vscode.l10n.t('Open');
  const reveal = vscode.l10n.t('Reveal');
  const pick = await vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} rows to {1}', rows, path), open, reveal);
  const uri = vscode.Uri.file(path);
  if (pick === open) await vscode.commands.executeCommand('vscode.open', uri);
  else if (pick === reveal) await vscode.commands.executeCommand('revealFileInOS', uri).then(undefined, () => vscode.commands.executeCommand('revealInExplorer', uri));
}

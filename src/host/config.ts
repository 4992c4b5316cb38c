import * as vscode from 'vscode';
import type { AgentMeterSettings } from './usageSource';
import { parseSettings } from '../app/settingsParse';

/**
 * The typed `agentMeter.*` settings, read once and re-read only when
 * `affectsConfiguration('agentMeter')` says they changed.
 */
export class SettingsStore implements vscode.Disposable {
  private current: AgentMeterSettings;
  private readonly emitter = new vscode.EventEmitter<AgentMeterSettings>();
  private readonly sub: vscode.Disposable;
  /** Fires with the new settings after an `agentMeter.*` change. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly warn: (msg: string) => void = () => {}) {
    this.current = this.read();
    this.sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('agentMeter')) return;
      this.current = this.read();
      this.emitter.fire(this.current);
    });
  }

  get(): AgentMeterSettings {
    return this.current;
  }

  private read(): AgentMeterSettings {
    const cfg = vscode.workspace.getConfiguration('agentMeter');
    const { settings, warnings } = parseSettings((key) => cfg.get(key));
    for (const w of warnings) this.warn(w);
    return settings;
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}

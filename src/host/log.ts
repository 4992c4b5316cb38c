import * as vscode from 'vscode';
import type { Logger } from '../core/types';

/** The "AgentMeter" log channel (a LogOutputChannel: levels, timestamps, "Set Log Level…"). */
export function createLogChannel(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('AgentMeter', { log: true });
}

/** Adapts the channel to the core's Logger interface (the core never imports vscode). */
export function loggerFor(channel: vscode.LogOutputChannel): Logger {
  return {
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
    debug: (m) => channel.debug(m),
  };
}

export { errorText } from './errorText';

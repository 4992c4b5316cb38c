/**
 * The webview's end of the dashboard channel (src/shared/channel.ts, typed by the shared protocol's events) and the
 * VS Code webview state. UI state (filters, sort) only goes to get/setState.
 */
import { MessageHandler } from '../shared/channel';
import type { DashboardFilters, DashboardHostSide, DashboardWebviewSide } from '../shared/protocol';

export interface SortState {
  key: string;
  dir: 'asc' | 'desc';
}

export interface UiState {
  filters?: DashboardFilters;
  sort?: Record<string, SortState>;
}

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The webview's end of the channel: `emit` tells the host, `on` listens to the host's events. */
export type HostChannel = MessageHandler<DashboardWebviewSide, DashboardHostSide>;

export interface HostApi {
  channel: HostChannel;
  getState(): UiState;
  patchState(patch: Partial<UiState>): void;
}

export function connectHost(): HostApi {
  const api = acquireVsCodeApi();
  const channel: HostChannel = new MessageHandler<DashboardWebviewSide, DashboardHostSide>({ transport: { postMessage: (m) => api.postMessage(m) } });
  window.addEventListener('message', (e: MessageEvent) => channel.handle(e.data));
  return {
    channel,
    getState: () => {
      const s = api.getState();
      return s && typeof s === 'object' ? (s as UiState) : {};
    },
    patchState(patch) {
      const cur = this.getState();
      api.setState({ ...cur, ...patch });
    },
  };
}

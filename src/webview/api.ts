/** The VS Code webview API, typed with the shared protocol. UI state (filters, sort) only goes to get/setState. */
import type { DashboardFilters, FromWebview } from '../shared/protocol';

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

export interface HostApi {
  post(msg: FromWebview): void;
  getState(): UiState;
  patchState(patch: Partial<UiState>): void;
}

export function connectHost(): HostApi {
  const api = acquireVsCodeApi();
  return {
    post: (msg) => api.postMessage(msg),
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

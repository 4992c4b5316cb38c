import type { CurrencyRates, PriceOverrides } from '../core/pricing/priceTable';

/** The window's ingest state, for progress and empty states (plain data: computed on the host, read by the views). */
export interface UsageStatus {
  indexing: boolean;
  /** epoch ms of the last completed refresh or reload, null before the first */
  lastUpdatedMs: number | null;
  /** directories searched for logs per source id (for the empty state) */
  searched: Record<string, string[]>;
  /** notes from discovery (skipped entries etc.) */
  notes: string[];
  /** true when this window is the one that ingests */
  isWriter: boolean;
  error?: string;
}

/** Which log sources to read, and where (`agentMeter.sources.<id>.enabled` / `.directories`). */
export interface SourceSelection {
  /** ids of the enabled sources, in the registry's order */
  enabled: string[];
  /** explicit folders per source id ([] = the source's own discovery) */
  dirs: Record<string, string[]>;
}

/** Typed mirror of `contributes.configuration` (`agentMeter.*`). */
export interface AgentMeterSettings {
  sources: SourceSelection;
  /** IANA zone; '' = system zone (resolved here, never '') */
  timeZone: string;
  /** 0 = Sunday … 6 = Saturday */
  weekStart: number;
  /**
   * `rates`: USD per one unit of a currency that prices are published in (CNY for some vendors), when set; a price in a
   * currency without a rate is shown as "no rate", never converted by a guess and never $0.
   */
  currency: { code: string; rateToUsd: number; rates?: CurrencyRates };
  statusBar: { format: string; alignment: 'left' | 'right'; priority: number; showCodexQuota: boolean };
  watchUsePolling: boolean;
  /** model -> per-million prices, same structure as the CLI's --prices file (validated by the core) */
  priceOverrides: PriceOverrides;
  budgets: { dailyUsd: number | null; weeklyUsd: number | null; monthlyUsd: number | null; projectsMonthlyUsd: Record<string, number>; billingCycleStartDay: number; thresholds: number[] };
  claudePlan: { plan: 'auto' | 'pro' | 'max5' | 'max20' | 'custom'; customTokens: number | null; customCostUsd: number | null };
  team: TeamSettings;
  /** `agentMeter.alerts.anomalies`: notify once a day when today's spend is unusual (off when absent) */
  alerts?: { anomalies: boolean };
}

/** What is sent to the team database for a project (`agentMeter.team.projects`). */
export type TeamProjectMode = 'folder' | 'path' | 'hash';

/**
 * `agentMeter.team.*`: who and what this machine pushes as, once a team database is connected (the URL is never a
 * setting: it lives in the editor's secret storage).
 */
export interface TeamSettings {
  /** the member name as set; null = the default (git `user.email`, resolved by the host) */
  member: string | null;
  /** this machine's label as set; null = the host name */
  machine: string | null;
  projects: TeamProjectMode;
  /** the project hash's salt as set (the team's, as `agentmeter sync --project-salt`); null = none: `hash` refuses to push */
  projectSalt: string | null;
  /** a PEM file of the CA to check the server's certificate against; null = the system's */
  caFile: string | null;
  push: { enabled: boolean; intervalMs: number };
}

import { useQuery } from '@tanstack/react-query';
import { api, queryString } from '../../app/api-client';
import { type OverviewRange, rangeQuery } from './usage-range';

export type Granularity = '1m' | '15m' | '1h' | '1d';

/** Rates are fractions (0–1) and null without requests; percentiles are histogram bucket upper bounds. */
export interface Kpis {
  readonly totalRequests: number;
  readonly successRate: number | null;
  readonly errorRate: number | null;
  readonly clientErrorRate: number | null;
  readonly serverErrorRate: number | null;
  readonly avgResponseMs: number | null;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
}

/** Relative change for counts and times; difference in fraction points for rates; null without a baseline. */
export type KpiChange = { readonly [K in keyof Kpis]: number | null };

export interface UsagePoint {
  /** Start of the bucket. */
  readonly t: string;
  readonly c2xx: number;
  readonly c3xx: number;
  readonly c4xx: number;
  readonly c5xx: number;
}

export interface StatusCount {
  readonly status: number;
  readonly count: number;
}

export interface EndpointUsage {
  readonly method: string;
  readonly route: string;
  readonly count: number;
  readonly errorRate: number;
  readonly p95Ms: number | null;
}

/** GET /api/bps/:bpId/usage/overview */
export interface UsageOverview {
  readonly range: { readonly from: string; readonly to: string; readonly tz: string; readonly granularity: Granularity };
  readonly previousRange: { readonly from: string; readonly to: string };
  readonly kpis: Kpis;
  readonly previous: Kpis;
  readonly change: KpiChange;
  /** Every bucket of the range, empty ones included, oldest first. */
  readonly series: readonly UsagePoint[];
  readonly statusCodes: readonly StatusCount[];
  /** Busiest first. */
  readonly endpoints: readonly EndpointUsage[];
}

/** The page polls this often while auto-refresh is on. */
export const AUTO_REFRESH_MS = 30_000;

export const usageOverviewKey = (bpId: string, range: OverviewRange, tz: string) => ['bp', bpId, 'usage-overview', range, tz] as const;

export function useUsageOverview(bpId: string, range: OverviewRange, tz: string, autoRefresh: boolean) {
  return useQuery({
    queryKey: usageOverviewKey(bpId, range, tz),
    queryFn: () => api.get<UsageOverview>(`/api/bps/${bpId}/usage/overview${queryString({ ...rangeQuery(range), tz })}`),
    // Keep the last answer on screen while another range loads so the page does not flash —
    // but never another Business Partner's numbers after switching BP.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === bpId ? previous : undefined),
    refetchInterval: autoRefresh ? AUTO_REFRESH_MS : false,
  });
}

import { ApiUsagePanel } from './api-usage-panel';
import { EndpointsTable } from './endpoints-table';
import { KpiCards } from './kpi-cards';
import { LatencyPanel } from './latency-panel';
import { StatusCodesPanel } from './status-codes-panel';
import type { UsageOverview } from './usage-api';
import { UsageEmptyState } from './usage-empty-state';

interface UsageReportProps {
  readonly overview: UsageOverview;
  /** "previous 24 hours": what the changes compare with. */
  readonly comparedWith: string;
  /** "the last 24 hours": the range, for the empty state. */
  readonly period: string;
  /** Another range is loading; the numbers shown belong to the previous one. */
  readonly stale: boolean;
}

export function UsageReport({ overview, comparedWith, period, stale }: UsageReportProps) {
  const total = overview.kpis.totalRequests;
  // With no traffic in either period every KPI is a dash; the empty state says it better alone.
  const neverUsed = total === 0 && overview.previous.totalRequests === 0;
  return (
    <div className={stale ? 'usage-report stale' : 'usage-report'} aria-busy={stale}>
      {!neverUsed && <KpiCards overview={overview} comparedWith={comparedWith} />}
      {total === 0 ? (
        <UsageEmptyState period={period} />
      ) : (
        <>
          <ApiUsagePanel overview={overview} />
          <div className="overview-columns">
            <StatusCodesPanel statusCodes={overview.statusCodes} />
            <LatencyPanel kpis={overview.kpis} change={overview.change} comparedWith={comparedWith} />
          </div>
          <EndpointsTable endpoints={overview.endpoints} total={total} />
        </>
      )}
    </div>
  );
}

import { KpiCard } from './kpi-card';
import { KpiDetail } from './kpi-detail';
import type { UsageOverview } from './usage-api';
import { formatCount, formatMs, formatRate, NO_VALUE } from './usage-format';

/** The four numbers people check first: traffic, success, speed, errors — each against the previous period. */
export function KpiCards({ overview, comparedWith }: { readonly overview: UsageOverview; readonly comparedWith: string }) {
  const { kpis, previous, change } = overview;
  const succeeded = overview.statusCodes.reduce((sum, row) => (row.status < 400 ? sum + row.count : sum), 0);
  const noBaseline = [change.totalRequests, change.successRate, change.avgResponseMs, change.errorRate].every((c) => c === null);
  return (
    <>
      {noBaseline && (
        <p className="muted kpi-no-baseline" data-testid="kpi-no-baseline">
          No requests in the {comparedWith} to compare with.
        </p>
      )}
      <div className="kpi-grid">
        <KpiCard
          label="Total requests"
          testId="kpi-total-requests"
          value={formatCount(kpis.totalRequests)}
          change={change.totalRequests}
          changeKind="relative"
          polarity="neutral"
          comparedWith={comparedWith}
        >
          <KpiDetail label="Previous period">{formatCount(previous.totalRequests)}</KpiDetail>
        </KpiCard>
        <KpiCard
          label="Success rate"
          testId="kpi-success-rate"
          value={formatRate(kpis.successRate)}
          change={change.successRate}
          changeKind="points"
          polarity="up-good"
          comparedWith={comparedWith}
        >
          <KpiDetail label="Succeeded">{formatCount(succeeded)}</KpiDetail>
          <KpiDetail label="Failed">{formatCount(kpis.totalRequests - succeeded)}</KpiDetail>
        </KpiCard>
        <KpiCard
          label="Average response time"
          testId="kpi-avg-response"
          value={formatMs(kpis.avgResponseMs)}
          change={change.avgResponseMs}
          changeKind="relative"
          polarity="up-bad"
          comparedWith={comparedWith}
        >
          <KpiDetail label="p95">{kpis.p95Ms === null ? NO_VALUE : `≤ ${formatMs(kpis.p95Ms)}`}</KpiDetail>
        </KpiCard>
        <KpiCard
          label="Error rate"
          testId="kpi-error-rate"
          value={formatRate(kpis.errorRate)}
          change={change.errorRate}
          changeKind="points"
          polarity="up-bad"
          comparedWith={comparedWith}
        >
          <KpiDetail label="4xx" statusClass="4xx">
            {formatRate(kpis.clientErrorRate)}
          </KpiDetail>
          <KpiDetail label="5xx" statusClass="5xx">
            {formatRate(kpis.serverErrorRate)}
          </KpiDetail>
        </KpiCard>
      </div>
    </>
  );
}

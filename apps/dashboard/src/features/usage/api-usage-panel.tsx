import { Suspense } from 'react';
import { Skeleton } from '../../ui/skeleton';
import { API_USAGE_CHART_HEIGHT } from './chart-theme';
import { LazyApiUsageChart } from './lazy-charts';
import { STATUS_CLASS_LABELS, STATUS_CLASSES } from './status-class';
import type { Granularity, UsageOverview } from './usage-api';
import { formatCount } from './usage-format';
import { classTotals } from './usage-series';

const PER: Record<Granularity, string> = { '1m': 'minute', '15m': '15 minutes', '1h': 'hour', '1d': 'day' };

export function ApiUsagePanel({ overview }: { readonly overview: UsageOverview }) {
  const totals = classTotals(overview.series);
  return (
    <section className="panel" aria-labelledby="api-usage-title">
      <div className="panel-header panel-header-wrap">
        <div>
          <h2 id="api-usage-title">API usage</h2>
          <p className="panel-subtitle">Requests per {PER[overview.range.granularity]}, by status class</p>
        </div>
        <ul className="chart-legend" aria-label="Requests by status class" data-testid="api-usage-legend">
          {STATUS_CLASSES.map((statusClass) => (
            <li key={statusClass} title={STATUS_CLASS_LABELS[statusClass]}>
              <span className={`status-dot status-dot-${statusClass}`} aria-hidden="true" />
              <span className="chart-legend-class">{statusClass}</span>
              <span className="chart-legend-count">{formatCount(totals[statusClass])}</span>
            </li>
          ))}
        </ul>
      </div>
      <div className="chart-frame" style={{ height: API_USAGE_CHART_HEIGHT }}>
        <Suspense fallback={<Skeleton height={API_USAGE_CHART_HEIGHT} width="100%" />}>
          <LazyApiUsageChart series={overview.series} granularity={overview.range.granularity} tz={overview.range.tz} />
        </Suspense>
      </div>
    </section>
  );
}

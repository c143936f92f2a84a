import { Skeleton } from '../../ui/skeleton';
import { API_USAGE_CHART_HEIGHT } from './chart-theme';

/** The page's shape while the first answer loads, so nothing jumps when it arrives. */
export function OverviewSkeleton() {
  return (
    <div className="stack" aria-busy="true">
      <span className="visually-hidden">Loading usage…</span>
      <div className="kpi-grid">
        {['requests', 'success', 'latency', 'errors'].map((name) => (
          <div key={name} className="kpi-card">
            <Skeleton height={12} width="45%" />
            <Skeleton height={28} width="60%" />
            <Skeleton height={12} width="70%" />
          </div>
        ))}
      </div>
      <div className="panel">
        <Skeleton height={14} width={120} />
        <Skeleton height={API_USAGE_CHART_HEIGHT} width="100%" />
      </div>
    </div>
  );
}

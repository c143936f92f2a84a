import { DeltaIndicator } from './delta-indicator';
import type { KpiChange, Kpis } from './usage-api';
import { formatMs, NO_VALUE } from './usage-format';

const PERCENTILES: readonly { readonly key: 'p50Ms' | 'p95Ms' | 'p99Ms'; readonly label: string; readonly hint: string }[] = [
  { key: 'p50Ms', label: 'p50', hint: 'median' },
  { key: 'p95Ms', label: 'p95', hint: '1 in 20 slower' },
  { key: 'p99Ms', label: 'p99', hint: '1 in 100 slower' },
];

/** The reported percentile is a bucket's upper bound, so it reads as "at most". */
function bound(ms: number | null): string {
  return ms === null ? NO_VALUE : `≤ ${formatMs(ms)}`;
}

export function LatencyPanel({ kpis, change, comparedWith }: { readonly kpis: Kpis; readonly change: KpiChange; readonly comparedWith: string }) {
  const slowest = kpis.p99Ms ?? 0;
  return (
    <section className="panel" aria-labelledby="latency-title">
      <div className="panel-header">
        <h2 id="latency-title">Latency</h2>
        <span className="muted">vs {comparedWith}</span>
      </div>
      <dl className="latency-list">
        {PERCENTILES.map(({ key, label, hint }) => {
          const value = kpis[key];
          return (
            <div key={key} className="latency-row" data-testid={`latency-${label}`}>
              <dt>
                <span className="latency-label">{label}</span>
                <span className="latency-hint">{hint}</span>
              </dt>
              <dd className="latency-bar" aria-hidden="true">
                <span style={{ width: `${value === null || slowest === 0 ? 0 : Math.max(2, (value / slowest) * 100)}%` }} />
              </dd>
              <dd className="latency-value">{bound(value)}</dd>
              <dd className="latency-change">
                <DeltaIndicator change={change[key]} kind="relative" polarity="up-bad" />
              </dd>
            </div>
          );
        })}
      </dl>
      <p className="field-hint" data-testid="latency-footnote">
        Average {formatMs(kpis.avgResponseMs)}. Percentiles are upper bounds of histogram buckets about 19% wide
        {kpis.p95Ms === null ? '.' : `: p95 ≤ ${formatMs(kpis.p95Ms)} means at least 95% of these requests finished within ${formatMs(kpis.p95Ms)}.`}
      </p>
    </section>
  );
}

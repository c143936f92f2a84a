import { type ReactNode, useId } from 'react';
import { DeltaIndicator, type Polarity } from './delta-indicator';

interface KpiCardProps {
  readonly label: string;
  readonly value: string;
  /** The change against the previous period (see DeltaIndicator); null when that period had no requests. */
  readonly change: number | null;
  readonly changeKind: 'points' | 'relative';
  readonly polarity: Polarity;
  /** "previous 24 hours". */
  readonly comparedWith: string;
  readonly testId: string;
  /** A breakdown under the change, e.g. the 4xx / 5xx split of the error rate. */
  readonly children: ReactNode;
}

export function KpiCard({ label, value, change, changeKind, polarity, comparedWith, testId, children }: KpiCardProps) {
  const id = useId();
  return (
    <section className="kpi-card" aria-labelledby={id} data-testid={testId}>
      <h2 id={id} className="kpi-label">
        {label}
      </h2>
      <div className="kpi-headline">
        <p className="kpi-value" data-testid={`${testId}-value`}>
          {value}
        </p>
        {change !== null && <DeltaIndicator change={change} kind={changeKind} polarity={polarity} />}
      </div>
      {/* Without a baseline the cards say nothing; the grid says it once for all of them (KpiCards). */}
      {change !== null && <p className="kpi-compared">vs {comparedWith}</p>}
      <dl className="kpi-split">{children}</dl>
    </section>
  );
}

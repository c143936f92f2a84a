import { formatPointsChange, formatRelativeChange, NO_VALUE } from './usage-format';

/** Whether a rise is good news (success rate), bad news (errors, latency) or neither (traffic). */
export type Polarity = 'up-good' | 'up-bad' | 'neutral';

/** Changes smaller than the last digit shown read as "no change", not as a coloured arrow over "0.00". */
const FLAT_BELOW = { points: 0.00005, relative: 0.0005 };

interface DeltaIndicatorProps {
  /** Fraction points for rates (`points`), relative change otherwise; null without a baseline. */
  readonly change: number | null;
  readonly kind: 'points' | 'relative';
  readonly polarity: Polarity;
}

export function DeltaIndicator({ change, kind, polarity }: DeltaIndicatorProps) {
  if (change === null) {
    return (
      <span className="delta delta-none" title="No requests in the previous period to compare with">
        {NO_VALUE}
      </span>
    );
  }
  const direction = Math.abs(change) < FLAT_BELOW[kind] ? 'flat' : change > 0 ? 'up' : 'down';
  const tone = direction === 'flat' || polarity === 'neutral' ? 'neutral' : (direction === 'up') === (polarity === 'up-good') ? 'good' : 'bad';
  return (
    <span className={`delta delta-${tone}`}>
      <span className="delta-arrow" aria-hidden="true">
        {direction === 'up' ? '↑' : direction === 'down' ? '↓' : '→'}
      </span>
      {kind === 'points' ? formatPointsChange(change) : formatRelativeChange(change)}
    </span>
  );
}

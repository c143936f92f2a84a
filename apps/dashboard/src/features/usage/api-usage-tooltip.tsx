import { bucketTitle } from './bucket-time';
import { STATUS_CLASSES, STATUS_COLORS } from './status-class';
import type { Granularity } from './usage-api';
import { formatCount } from './usage-format';
import { type ChartPoint, classKey } from './usage-series';

interface ApiUsageTooltipProps {
  readonly point: ChartPoint;
  readonly granularity: Granularity;
  readonly tz: string;
}

/** Counts per class for one bucket, newest class (5xx) on top like the stack. */
export function ApiUsageTooltip({ point, granularity, tz }: ApiUsageTooltipProps) {
  const total = STATUS_CLASSES.reduce((sum, statusClass) => sum + point[classKey(statusClass)], 0);
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-title">{bucketTitle(point.t, granularity, tz)}</p>
      <ul>
        {[...STATUS_CLASSES].reverse().map((statusClass) => (
          <li key={statusClass}>
            <span className="chart-tooltip-key">
              <span className="status-dot" style={{ background: STATUS_COLORS[statusClass] }} aria-hidden="true" />
              {statusClass}
            </span>
            <span>{formatCount(point[classKey(statusClass)])}</span>
          </li>
        ))}
        <li className="chart-tooltip-total">
          <span>Total</span>
          <span>{formatCount(total)}</span>
        </li>
      </ul>
    </div>
  );
}

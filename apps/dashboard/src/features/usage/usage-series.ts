import { STATUS_CLASSES, type StatusClass } from './status-class';
import type { UsagePoint } from './usage-api';

/** A series point with its time as a number, which the chart axis and tick lookup compare by. */
export interface ChartPoint {
  readonly t: number;
  readonly c2xx: number;
  readonly c3xx: number;
  readonly c4xx: number;
  readonly c5xx: number;
}

export const classKey = (statusClass: StatusClass) => `c${statusClass}` as const;

export function chartPoints(series: readonly UsagePoint[]): ChartPoint[] {
  return series.map((point) => ({ ...point, t: Date.parse(point.t) }));
}

/** Requests per class over the whole series, for the chart's legend. */
export function classTotals(series: readonly UsagePoint[]): Record<StatusClass, number> {
  const totals: Record<StatusClass, number> = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  for (const point of series) for (const statusClass of STATUS_CLASSES) totals[statusClass] += point[classKey(statusClass)];
  return totals;
}

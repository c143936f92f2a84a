// Sizes live here, not with the charts, so the page can reserve the space before the lazily
// loaded chart code arrives.
export const API_USAGE_CHART_HEIGHT = 260;
export const STATUS_DONUT_SIZE = 150;

/** Axis and grid styling shared by the charts, matching the stylesheet's muted text and borders. */
export const AXIS_TICK = { fill: '#8792a2', fontSize: 11 };
export const AXIS_LINE = { stroke: '#e3e8ee' };
export const GRID_STROKE = '#eef1f5';
export const CURSOR_FILL = 'rgba(79, 70, 229, 0.06)';

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/** Y-axis counts: 1.2K rather than 1,200, to keep the axis narrow. */
export function formatAxisCount(value: number): string {
  return compact.format(value);
}

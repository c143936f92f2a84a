import { STATUS_COLORS, type StatusClass, statusClassOf } from './status-class';

/** Further shades per class, so several codes of one class stay apart in the donut. */
const SHADES: Record<StatusClass, readonly string[]> = {
  '2xx': [STATUS_COLORS['2xx'], '#62c195', '#0f6e43', '#a3dcbf'],
  '3xx': [STATUS_COLORS['3xx'], '#7fb0fa', '#1f5fc4', '#b8d4fc'],
  '4xx': [STATUS_COLORS['4xx'], '#f3c35f', '#b27708', '#f8dc9d'],
  '5xx': [STATUS_COLORS['5xx'], '#f08a8d', '#b3262b', '#f7b9bb'],
};

/** A colour for each code: its class's colour, then lighter and darker shades for the next codes of the class. */
export function statusCodeColors(codes: readonly number[]): Map<number, string> {
  const used: Record<StatusClass, number> = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  const colors = new Map<number, string>();
  for (const code of codes) {
    const statusClass = statusClassOf(code);
    const shades = SHADES[statusClass];
    colors.set(code, shades[used[statusClass] % shades.length] ?? STATUS_COLORS[statusClass]);
    used[statusClass] += 1;
  }
  return colors;
}

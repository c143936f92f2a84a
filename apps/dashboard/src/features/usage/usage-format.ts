const count = new Intl.NumberFormat(undefined);
const percent = new Intl.NumberFormat(undefined, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const relative = new Intl.NumberFormat(undefined, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const points = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });

/** Shown wherever a value is unknown (no requests, no baseline). */
export const NO_VALUE = '—';

export function formatCount(n: number): string {
  return count.format(n);
}

/** 0.98765 → "98.77%". */
export function formatRate(fraction: number | null): string {
  return fraction === null ? NO_VALUE : percent.format(fraction);
}

/** A difference of two rates, in percentage points: 0.0042 → "+0.42 pp". */
export function formatPointsChange(fraction: number | null): string {
  return fraction === null ? NO_VALUE : `${points.format(fraction * 100)} pp`;
}

/** A relative change: 0.123 → "+12.3%". */
export function formatRelativeChange(fraction: number | null): string {
  return fraction === null ? NO_VALUE : relative.format(fraction);
}

const ms = (digits: number) => new Intl.NumberFormat(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
const msFine = ms(2);
const msTenths = ms(1);
const msWhole = ms(0);

/** Durations keep about three significant digits: "0.42 ms", "12.3 ms", "245 ms", "1.24 s". */
export function formatMs(value: number | null): string {
  if (value === null) return NO_VALUE;
  if (value >= 1000) return `${msFine.format(value / 1000)} s`;
  if (value >= 100) return `${msWhole.format(value)} ms`;
  if (value >= 10) return `${msTenths.format(value)} ms`;
  return `${msFine.format(value)} ms`;
}

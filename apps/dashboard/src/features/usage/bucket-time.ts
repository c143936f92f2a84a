import type { Granularity } from './usage-api';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
const GRANULARITY_MINUTES: Record<Granularity, number> = { '1m': 1, '15m': 15, '1h': 60, '1d': DAY_MINUTES };
/** Tick spacings that land on round local times, smallest first. */
const TICK_STEPS_MINUTES = [1, 5, 10, 15, 30, 60, 120, 180, 360, 720, DAY_MINUTES, 2 * DAY_MINUTES, 7 * DAY_MINUTES, 14 * DAY_MINUTES, 28 * DAY_MINUTES];
const MAX_TICKS = 8;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${tz}|${JSON.stringify(options)}`;
  let cached = formatters.get(key);
  if (cached === undefined) {
    cached = new Intl.DateTimeFormat(undefined, { ...options, timeZone: tz });
    formatters.set(key, cached);
  }
  return cached;
}

const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
const DATE: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric' };
const DATE_TIME: Intl.DateTimeFormatOptions = { ...DATE, ...TIME };
const WEEKDAY_DATE: Intl.DateTimeFormatOptions = { weekday: 'short', ...DATE };

/** Minutes since the epoch on the wall clock of `tz`, so "every 3 hours" means 00:00, 03:00… there. */
function localMinutes(t: number, tz: string): number {
  const name = formatter(tz, { timeZoneName: 'longOffset' })
    .formatToParts(new Date(t))
    .find((part) => part.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  const offset = match === null ? 0 : (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
  return Math.round(t / MINUTE_MS) + offset;
}

export interface TimeAxis {
  /** The bucket starts that get a label. */
  readonly ticks: readonly number[];
  readonly label: (t: number) => string;
}

/**
 * A handful of ticks on round local times (every 10 minutes, 3 hours, midnight…), labelled
 * HH:mm within a day and with the date at midnight or for daily buckets.
 */
export function timeAxis(points: readonly number[], granularity: Granularity, tz: string): TimeAxis {
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined) return { ticks: [], label: () => '' };
  const bucketMinutes = GRANULARITY_MINUTES[granularity];
  const spanMinutes = (last - first) / MINUTE_MS + bucketMinutes;
  const step =
    TICK_STEPS_MINUTES.find((s) => s >= bucketMinutes && s % bucketMinutes === 0 && spanMinutes / s <= MAX_TICKS) ?? TICK_STEPS_MINUTES.at(-1) ?? DAY_MINUTES;
  let ticks = points.filter((t) => localMinutes(t, tz) % step === 0);
  // Buckets in odd places (a custom range, a zone with a 45-minute offset) may hit no round
  // time; then spread the ticks evenly instead.
  if (ticks.length < 2) {
    const every = Math.max(1, Math.ceil(points.length / MAX_TICKS));
    ticks = points.filter((_t, index) => index % every === 0);
  }
  const multiDay = spanMinutes > DAY_MINUTES;
  const label = (t: number) => {
    if (granularity === '1d' || (multiDay && localMinutes(t, tz) % DAY_MINUTES === 0)) return formatter(tz, DATE).format(t);
    return formatter(tz, TIME).format(t);
  };
  return { ticks, label };
}

/** The tooltip's heading: the whole bucket, e.g. "May 3, 14:00 – 15:00" or "Fri, May 3". */
export function bucketTitle(t: number, granularity: Granularity, tz: string): string {
  if (granularity === '1d') return formatter(tz, WEEKDAY_DATE).format(t);
  const start = formatter(tz, DATE_TIME).format(t);
  if (granularity === '1m') return start;
  return `${start} – ${formatter(tz, TIME).format(t + GRANULARITY_MINUTES[granularity] * MINUTE_MS)}`;
}

/** "hh:mm:ss" in the browser's time zone, for "Last updated". */
export function formatClockTime(ms: number): string {
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(ms);
}

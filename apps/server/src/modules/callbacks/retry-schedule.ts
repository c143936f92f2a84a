/**
 * When to retry a callback, as data: delay before attempt n+1 after attempt n failed. The default
 * spans about three days: 0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h (ten attempts).
 * PAYGATE_CALLBACK_RETRY_SCHEDULE overrides it (comma-separated durations: 0, 5s, 5m, 2h…).
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000,
];

/** Retry-After is honoured on 429/503 up to this, so a BP cannot park its callbacks for days. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

export function parseRetrySchedule(text: string): number[] {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const out = text.split(',').map((part) => {
    const match = /^\s*(\d+)\s*(ms|s|m|h|d)?\s*$/.exec(part);
    if (!match) throw new Error(`Invalid retry delay "${part}"; use e.g. 0, 5s, 5m, 2h`);
    return Number(match[1]) * (units[match[2] ?? 'ms'] ?? 1);
  });
  if (out.length === 0) throw new Error('The retry schedule needs at least one entry');
  return out;
}

/**
 * Delay before the next attempt, or null when the schedule is exhausted. ±10 % jitter spreads
 * retries of many callbacks that failed together (a BP's outage) so they do not return as a herd.
 */
export function nextDelayMs(schedule: readonly number[], attemptsMade: number, retryAfterMs: number | null, random: () => number = Math.random): number | null {
  const base = schedule[attemptsMade];
  if (base === undefined) return null;
  const jittered = Math.round(base * (0.9 + 0.2 * random()));
  return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/** Retry-After as seconds or an HTTP date, in ms from `now`; null if absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (value === undefined) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now.getTime());
}

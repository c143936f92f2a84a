import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE_MS, MAX_RETRY_AFTER_MS, nextDelayMs, parseRetryAfter, parseRetrySchedule } from './retry-schedule.js';

describe('retry schedule', () => {
  it('defaults to ten attempts over about three days', () => {
    expect(DEFAULT_RETRY_SCHEDULE_MS).toHaveLength(10);
    const total = DEFAULT_RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeCloseTo(75.6, 1);
    expect(parseRetrySchedule('0, 5s, 5m, 30m, 2h, 5h, 10h, 14h, 20h, 24h')).toEqual([...DEFAULT_RETRY_SCHEDULE_MS]);
    expect(() => parseRetrySchedule('5 minutes')).toThrow(/Invalid retry delay/);
  });

  it('jitters ±10 %, stops when exhausted, and lets Retry-After extend (never shorten) a delay, capped', () => {
    const schedule = [0, 10_000, 60_000];
    expect(nextDelayMs(schedule, 1, null, () => 0)).toBe(9_000);
    expect(nextDelayMs(schedule, 1, null, () => 1)).toBe(11_000);
    expect(nextDelayMs(schedule, 3, null)).toBeNull();
    expect(nextDelayMs(schedule, 1, 30_000, () => 0.5)).toBe(30_000);
    expect(nextDelayMs(schedule, 2, 1_000, () => 0.5)).toBe(60_000);
    expect(nextDelayMs(schedule, 1, 10 * MAX_RETRY_AFTER_MS, () => 0.5)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = new Date('2026-11-28T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 10:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});

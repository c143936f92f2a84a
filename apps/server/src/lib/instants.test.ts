import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fromNotAfterTo, fromNotAfterToIssue, instantInRange, isoInstant } from './instants.js';

describe('isoInstant', () => {
  it('accepts instants from 0001-01-01 to 9999-12-31 UTC, with Z or an offset', () => {
    for (const value of [
      '0001-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '9999-12-31T23:59:59.999Z',
      '2024-02-29T12:00:00+14:00',
      '0001-01-01T00:00:00-01:00',
    ]) {
      expect(isoInstant.safeParse(value).success, value).toBe(true);
    }
  });

  it('refuses what falls outside once the offset is applied, and what is no date-time', () => {
    for (const value of [
      '0000-01-01T00:00:00Z',
      '0000-12-31T23:59:59Z',
      '0001-01-01T00:00:00+00:01',
      '9999-12-31T23:59:59-00:01',
      '9999-12-31T23:59:59-23:59',
      '2023-02-29T00:00:00Z',
      '2024-01-01T00:00:00',
      '2024-01-01',
      '+275760-09-13T00:00:00Z',
      'yesterday',
    ]) {
      expect(isoInstant.safeParse(value).success, value).toBe(false);
    }
  });

  it('reports one issue per bad value: the format, or else the range', () => {
    expect(isoInstant.safeParse('2026-01-01T00:00:00 01:00').error?.issues).toHaveLength(1);
    expect(isoInstant.safeParse('0000-01-01T00:00:00Z').error?.issues.map((i) => i.message)).toEqual([
      'A date-time between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z',
    ]);
  });

  it('instantInRange rejects NaN and infinities', () => {
    expect(instantInRange(Number.NaN)).toBe(false);
    expect(instantInRange(Number.POSITIVE_INFINITY)).toBe(false);
    expect(instantInRange(0)).toBe(true);
  });

  it('fromNotAfterTo compares instants, not strings, and reports on `to`', () => {
    const schema = z.object({ from: isoInstant.optional(), to: isoInstant.optional() }).refine(fromNotAfterTo, fromNotAfterToIssue);
    expect(schema.safeParse({ from: '2024-01-01T01:00:00+01:00', to: '2024-01-01T00:00:00Z' }).success).toBe(true);
    expect(schema.safeParse({ from: '2024-01-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }).success).toBe(true);
    expect(schema.safeParse({ from: '2024-01-01T00:00:00Z' }).success).toBe(true);
    const refused = schema.safeParse({ from: '2024-01-01T00:00:01Z', to: '2024-01-01T00:00:00Z' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['to']);
  });
});

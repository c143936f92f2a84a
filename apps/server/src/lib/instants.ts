import { z } from 'zod';

/**
 * The instants every database Paygate runs on stores and compares alike. PostgreSQL takes far
 * more (4713 BC – 294276 AD), but years 0 and ≥ 10000 do not survive the trip through every
 * driver (PGlite's serialiser answers with an error, node-postgres with BC dates), and no
 * payment happened or will happen outside 0001–9999.
 */
export const MIN_INSTANT_MS = Date.parse('0001-01-01T00:00:00.000Z');
export const MAX_INSTANT_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** Whether `ms` is a real instant in the range every database accepts identically. */
export function instantInRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= MIN_INSTANT_MS && ms <= MAX_INSTANT_MS;
}

/**
 * An ISO 8601 date-time with an offset (`Z` or `±hh:mm`) whose UTC instant — after applying
 * the offset, so `0001-01-01T00:00:00+01:00` is refused — lies in 0001-01-01 … 9999-12-31.
 * Input schemas use this, never `z.iso.datetime()` alone.
 */
export const isoInstant = z.iso
  // abort: a value that is no date-time at all gets that one error, not the range error as well.
  .datetime({ offset: true, abort: true })
  .refine((value) => instantInRange(Date.parse(value)), { message: 'A date-time between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z' })
  .describe('ISO 8601 date-time with offset, e.g. 2024-05-01T12:00:00Z (years 0001–9999)');

/**
 * A filter's `from` must not be after its `to`. Attach with
 * `.refine(fromNotAfterTo, fromNotAfterToIssue)` to a query schema with optional `from`/`to`.
 */
export function fromNotAfterTo(range: { readonly from?: string | undefined; readonly to?: string | undefined }): boolean {
  return range.from === undefined || range.to === undefined || Date.parse(range.from) <= Date.parse(range.to);
}

export const fromNotAfterToIssue = { message: 'Must not be before from', path: ['to'] };

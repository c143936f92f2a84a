import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { instantInRange } from '../../lib/instants.js';
import { quantileMs } from './histogram.js';
import { offsetMinutes } from './time-zone.js';

export type RangePreset = '1h' | '24h' | '7d' | '30d';
export type Granularity = '1m' | '15m' | '1h' | '1d';

const PRESET_MS: Record<RangePreset, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };
const STEP_MS: Record<Granularity, number> = { '1m': 60_000, '15m': 900_000, '1h': 3_600_000, '1d': 86_400_000 };
const MAX_SPAN_MS = 400 * 86_400_000;
const MAX_BUCKETS = 1_500;

export interface Kpis {
  readonly totalRequests: number;
  readonly successRate: number | null;
  readonly errorRate: number | null;
  readonly clientErrorRate: number | null;
  readonly serverErrorRate: number | null;
  readonly avgResponseMs: number | null;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
}

export interface Overview {
  readonly range: { readonly from: Date; readonly to: Date; readonly tz: string; readonly granularity: Granularity };
  readonly previousRange: { readonly from: Date; readonly to: Date };
  readonly kpis: Kpis;
  readonly previous: Kpis;
  /** Relative change for counts and times ((now − before) / before); percentage points for rates. Null without a baseline. */
  readonly change: { readonly [K in keyof Kpis]: number | null };
  readonly series: { t: Date; c2xx: number; c3xx: number; c4xx: number; c5xx: number }[];
  readonly statusCodes: { status: number; count: number }[];
  readonly endpoints: { method: string; route: string; count: number; errorRate: number; p95Ms: number | null }[];
}

interface Aggregates {
  bySeries: Map<number, { c2xx: number; c3xx: number; c4xx: number; c5xx: number }>;
  byStatus: Map<number, { n: number; us: number }>;
  byEndpoint: Map<string, { method: string; route: string; n: number; errors: number; hist: Map<number, number> }>;
  histogram: Map<number, number>;
}

function floorTo(ms: number, step: number): number {
  return Math.floor(ms / step) * step;
}

/**
 * Bars a chart can show readably (roughly 24–180): 1 h → 60 minutes, 24 h → 96 quarter hours (24
 * hourly bars put a fresh integration's traffic into one), 7 d → 168 hours, 30 d → 30 days.
 */
function pickGranularity(spanMs: number): Granularity {
  if (spanMs <= 3 * 3_600_000) return '1m';
  if (spanMs <= 2 * 86_400_000) return '15m';
  if (spanMs <= 10 * 86_400_000) return '1h';
  return '1d';
}

/**
 * The Overview: KPIs, time series, status codes and endpoints for a range, in the viewer's time
 * zone. Reads the cheapest complete source for each part of the range — hourly rollups for whole
 * hours, minute rollups for the rest up to the minute watermark, and the raw log for the minutes
 * not rolled up yet — so results are exact to the minute and current to the last flush.
 */
export class UsageService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {}

  async overview(
    bpId: string,
    query: { range: RangePreset | 'custom'; from?: Date | undefined; to?: Date | undefined; tz: string; granularity?: Granularity | undefined },
  ): Promise<Overview> {
    const now = this.clock.now().getTime();
    let fromMs: number;
    let toMs: number;
    if (query.range === 'custom') {
      if (query.from === undefined || query.to === undefined) {
        throw new AppError('validation_failed', 'A custom range needs from and to.', {
          errors: [{ field: 'querystring.from', message: 'Required for range=custom' }],
        });
      }
      toMs = Math.min(query.to.getTime(), now);
      fromMs = floorTo(query.from.getTime(), 60_000);
    } else {
      toMs = now;
      fromMs = floorTo(now - PRESET_MS[query.range], 60_000);
    }
    if (fromMs >= toMs)
      throw new AppError('validation_failed', 'from must be before to (and before now).', {
        errors: [{ field: 'querystring.from', message: 'Must be before to' }],
      });
    if (toMs - fromMs > MAX_SPAN_MS)
      throw new AppError('validation_failed', 'The range may span at most 400 days.', { errors: [{ field: 'querystring.from', message: 'Range too long' }] });
    const span = toMs - fromMs;
    const granularity = query.granularity ?? pickGranularity(span);
    if (span / STEP_MS[granularity] > MAX_BUCKETS) {
      throw new AppError('validation_failed', `Granularity ${granularity} gives more than ${MAX_BUCKETS} points for this range; choose a coarser one.`, {
        errors: [{ field: 'querystring.granularity', message: 'Too fine for the range' }],
      });
    }
    const prevFrom = floorTo(fromMs - span, 60_000);
    const marks = await this.db.selectFrom('usage_watermarks').select(['level', 'upto']).execute();
    const mark = (level: string) => marks.find((m) => m.level === level)?.upto.getTime() ?? 0;
    const wholeHourZone = offsetMinutes(query.tz, new Date(fromMs)) % 60 === 0 && offsetMinutes(query.tz, new Date(toMs)) % 60 === 0;
    const useHours = (granularity === '1h' || granularity === '1d') && wholeHourZone;

    const [current, previous, buckets] = await Promise.all([
      this.#aggregate(bpId, fromMs, toMs, mark('minute'), useHours ? mark('hour') : null, granularity, query.tz, wholeHourZone),
      this.#aggregate(bpId, prevFrom, fromMs, mark('minute'), useHours ? mark('hour') : null, null, query.tz, wholeHourZone),
      this.#buckets(fromMs, toMs, granularity, query.tz, wholeHourZone),
    ]);
    const kpis = kpisOf(current);
    const before = kpisOf(previous);
    return {
      range: { from: new Date(fromMs), to: new Date(toMs), tz: query.tz, granularity },
      previousRange: { from: new Date(prevFrom), to: new Date(fromMs) },
      kpis,
      previous: before,
      change: changeOf(kpis, before),
      series: buckets.map((t) => ({ t: new Date(t), ...(current.bySeries.get(t) ?? { c2xx: 0, c3xx: 0, c4xx: 0, c5xx: 0 }) })),
      statusCodes: [...current.byStatus].map(([status, v]) => ({ status, count: v.n })).sort((a, b) => a.status - b.status),
      endpoints: [...current.byEndpoint.values()]
        .map((e) => ({ method: e.method, route: e.route, count: e.n, errorRate: e.errors / e.n, p95Ms: quantileMs(e.hist, 0.95) }))
        .sort((a, b) => b.count - a.count || a.route.localeCompare(b.route)),
    };
  }

  /** The SQL expression assigning a source row's time `t` to its series bucket. */
  #bucketExpr(granularity: Granularity, tz: string, wholeHourZone: boolean) {
    if (granularity === '1d' || (granularity === '1h' && !wholeHourZone)) {
      const unit = granularity === '1d' ? 'day' : 'hour';
      return sql`(date_trunc(${unit}, t at time zone ${tz}) at time zone ${tz})`;
    }
    // All zones are whole quarter hours from UTC, so UTC-aligned 1 min, 15 min (and, for
    // whole-hour zones, 1 h) bins are also aligned in local time — and stay distinct across DST.
    const step = granularity === '1m' ? '1 minute' : granularity === '15m' ? '15 minutes' : '1 hour';
    return sql`date_bin(${step}::interval, t, timestamptz '2000-01-01T00:00:00Z')`;
  }

  async #buckets(fromMs: number, toMs: number, granularity: Granularity, tz: string, wholeHourZone: boolean): Promise<number[]> {
    const from = new Date(fromMs);
    const last = new Date(toMs - 1);
    if (granularity === '1d' || (granularity === '1h' && !wholeHourZone)) {
      const unit = granularity === '1d' ? 'day' : 'hour';
      const rows = await sql<{ b: Date }>`
        select distinct (g at time zone ${tz}) as b
        from generate_series(date_trunc(${unit}, ${from}::timestamptz at time zone ${tz}), ${last}::timestamptz at time zone ${tz}, ${`1 ${unit}`}::interval) g
        order by 1`.execute(this.db);
      return rows.rows.map((r) => r.b.getTime());
    }
    const step = STEP_MS[granularity];
    const out: number[] = [];
    for (let t = floorTo(fromMs, step); t < toMs; t += step) out.push(t);
    return out;
  }

  async #aggregate(
    bpId: string,
    fromMs: number,
    toMs: number,
    minuteMark: number,
    hourMark: number | null,
    granularity: Granularity | null,
    tz: string,
    wholeHourZone: boolean,
  ): Promise<Aggregates> {
    const from = new Date(fromMs);
    const to = new Date(toMs);
    // Whole hours inside the range that the hourly rollup covers.
    const hStartMs = Math.ceil(fromMs / 3_600_000) * 3_600_000;
    const hEndMs = hourMark === null ? hStartMs : Math.max(hStartMs, Math.min(hourMark, floorTo(toMs, 3_600_000)));
    // Minutes the minute rollup covers; the raw log serves the rest.
    const mEndMs = Math.max(fromMs, Math.min(minuteMark, floorTo(toMs, 60_000)));
    const hStart = new Date(hStartMs);
    const hEnd = new Date(hEndMs);
    const mEnd = new Date(mEndMs);
    const bucket = granularity === null ? sql`null::timestamptz` : this.#bucketExpr(granularity, tz, wholeHourZone);
    // Each source covers its own part of [from, to): whole hours from the hourly rollup, other
    // rolled-up minutes from the minute rollup, and the not yet rolled-up tail from the raw log.
    const where = {
      hour: sql`bp_id = ${bpId} and bucket >= ${hStart} and bucket < ${hEnd}`,
      minute: sql`bp_id = ${bpId} and bucket >= ${from} and bucket < ${mEnd} and not (bucket >= ${hStart} and bucket < ${hEnd})`,
      raw: sql`bp_id = ${bpId} and occurred_at >= ${mEnd} and occurred_at < ${to}`,
    };
    const [counts, latency] = await Promise.all([
      sql<{ b: Date | null; status: number; method: string | null; route: string | null; n: string; us: string }>`
        with src as (
          select bucket as t, method, route, status, count::bigint as n, total_us as us from usage_hour where ${where.hour}
          union all
          select bucket, method, route, status, count::bigint, total_us from usage_minute where ${where.minute}
          union all
          select occurred_at, method, route, status, 1::bigint, duration_us::bigint from api_requests where ${where.raw}
        ),
        binned as (select ${bucket} as b, status, method, route, n, us from src)
        select b, status, method, route, sum(n) as n, sum(us) as us
        from binned
        group by grouping sets ((b, status), (method, route, status))`.execute(this.db),
      sql<{ method: string; route: string; lb: number; n: string }>`
        select method, route, lb, sum(n) as n from (
          select method, route, lb, count::bigint as n from usage_hour_latency where ${where.hour}
          union all
          select method, route, lb, count::bigint from usage_minute_latency where ${where.minute}
          union all
          select method, route, paygate_latency_bucket(duration_us)::smallint, 1::bigint from api_requests where ${where.raw}
        ) src
        group by method, route, lb`.execute(this.db),
    ]);

    const out: Aggregates = { bySeries: new Map(), byStatus: new Map(), byEndpoint: new Map(), histogram: new Map() };
    const endpoint = (method: string, route: string) => {
      const key = `${method} ${route}`;
      const existing = out.byEndpoint.get(key);
      if (existing !== undefined) return existing;
      const created = { method, route, n: 0, errors: 0, hist: new Map<number, number>() };
      out.byEndpoint.set(key, created);
      return created;
    };
    for (const row of counts.rows) {
      const n = Number(row.n);
      if (row.method !== null && row.route !== null) {
        const e = endpoint(row.method, row.route);
        e.n += n;
        if (row.status >= 400) e.errors += n;
        continue;
      }
      // (bucket, status) set: series and status distribution.
      const s = out.byStatus.get(row.status) ?? { n: 0, us: 0 };
      s.n += n;
      s.us += Number(row.us);
      out.byStatus.set(row.status, s);
      if (row.b !== null) {
        const t = row.b.getTime();
        const point = out.bySeries.get(t) ?? { c2xx: 0, c3xx: 0, c4xx: 0, c5xx: 0 };
        if (row.status < 300) point.c2xx += n;
        else if (row.status < 400) point.c3xx += n;
        else if (row.status < 500) point.c4xx += n;
        else point.c5xx += n;
        out.bySeries.set(t, point);
      }
    }
    for (const row of latency.rows) {
      const n = Number(row.n);
      const e = endpoint(row.method, row.route);
      e.hist.set(row.lb, (e.hist.get(row.lb) ?? 0) + n);
      out.histogram.set(row.lb, (out.histogram.get(row.lb) ?? 0) + n);
    }
    return out;
  }
}

function kpisOf(a: Aggregates): Kpis {
  let total = 0;
  let us = 0;
  let ok = 0;
  let c4 = 0;
  let c5 = 0;
  for (const [status, v] of a.byStatus) {
    total += v.n;
    us += v.us;
    if (status < 400) ok += v.n;
    else if (status < 500) c4 += v.n;
    else c5 += v.n;
  }
  const rate = (x: number) => (total === 0 ? null : x / total);
  return {
    totalRequests: total,
    successRate: rate(ok),
    errorRate: rate(c4 + c5),
    clientErrorRate: rate(c4),
    serverErrorRate: rate(c5),
    avgResponseMs: total === 0 ? null : us / total / 1000,
    p50Ms: quantileMs(a.histogram, 0.5),
    p95Ms: quantileMs(a.histogram, 0.95),
    p99Ms: quantileMs(a.histogram, 0.99),
  };
}

function changeOf(now: Kpis, before: Kpis): { [K in keyof Kpis]: number | null } {
  const relative = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : (a - b) / b);
  const points = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  return {
    totalRequests: relative(now.totalRequests, before.totalRequests),
    successRate: points(now.successRate, before.successRate),
    errorRate: points(now.errorRate, before.errorRate),
    clientErrorRate: points(now.clientErrorRate, before.clientErrorRate),
    serverErrorRate: points(now.serverErrorRate, before.serverErrorRate),
    avgResponseMs: relative(now.avgResponseMs, before.avgResponseMs),
    p50Ms: relative(now.p50Ms, before.p50Ms),
    p95Ms: relative(now.p95Ms, before.p95Ms),
    p99Ms: relative(now.p99Ms, before.p99Ms),
  };
}

export interface RequestLogRow {
  readonly requestId: string;
  readonly occurredAt: Date;
  readonly keyId: string | null;
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly durationMs: number;
  readonly clientIp: string | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
}

export interface RequestFilters {
  readonly status?: number | '2xx' | '3xx' | '4xx' | '5xx' | 'errors' | undefined;
  readonly route?: string | undefined;
  readonly keyId?: string | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
}

/** Cursor of the request log: the last row's time and request id, so pages never skip or repeat. */
export function encodeCursor(row: RequestLogRow): string {
  return Buffer.from(`${row.occurredAt.toISOString()}|${row.requestId}`).toString('base64url');
}

/** What a request id looks like (minted `req_…` or a caller's well-formed x-request-id). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

function decodeCursor(cursor: string): { at: Date; requestId: string } {
  const [at, requestId, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  // A forged cursor must not carry text or instants the database refuses (that would be a 500).
  if (requestId === undefined || rest.length > 0 || !REQUEST_ID.test(requestId) || !instantInRange(date.getTime())) {
    throw new AppError('validation_failed', 'The cursor is not one returned by this API.', {
      errors: [{ field: 'querystring.cursor', message: 'Invalid cursor' }],
    });
  }
  return { at: date, requestId };
}

function toRow(r: {
  request_id: string;
  occurred_at: Date;
  key_id: string | null;
  method: string;
  route: string;
  status: number;
  duration_us: number;
  client_ip: string | null;
  error_code: string | null;
  error_message: string | null;
}): RequestLogRow {
  return {
    requestId: r.request_id,
    occurredAt: r.occurred_at,
    keyId: r.key_id,
    method: r.method,
    route: r.route,
    status: r.status,
    durationMs: r.duration_us / 1000,
    clientIp: r.client_ip,
    errorCode: r.error_code,
    errorMessage: r.error_message,
  };
}

/** The request log explorer: newest first, filtered, keyset-paginated; and one request by id. */
export class RequestLogQueries {
  constructor(private readonly db: Kysely<DB>) {}

  async list(bpId: string, filters: RequestFilters, limit: number, cursor?: string): Promise<{ items: RequestLogRow[]; nextCursor: string | null }> {
    let q = this.db
      .selectFrom('api_requests')
      .select(['request_id', 'occurred_at', 'key_id', 'method', 'route', 'status', 'duration_us', 'client_ip', 'error_code', 'error_message'])
      .where('bp_id', '=', bpId);
    const status = filters.status;
    if (typeof status === 'number') q = q.where('status', '=', status);
    else if (status === 'errors') q = q.where('status', '>=', 400);
    else if (status !== undefined) {
      const base = Number(status[0]) * 100;
      q = q.where('status', '>=', base).where('status', '<', base + 100);
    }
    if (filters.route !== undefined) q = q.where('route', '=', filters.route);
    if (filters.keyId !== undefined) q = q.where('key_id', '=', filters.keyId);
    if (filters.from !== undefined) q = q.where('occurred_at', '>=', filters.from);
    if (filters.to !== undefined) q = q.where('occurred_at', '<', filters.to);
    if (cursor !== undefined) {
      const c = decodeCursor(cursor);
      q = q.where((eb) => eb.or([eb('occurred_at', '<', c.at), eb.and([eb('occurred_at', '=', c.at), eb('request_id', '<', c.requestId)])]));
    }
    const rows = await q
      .orderBy('occurred_at', 'desc')
      .orderBy('request_id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(toRow);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last) : null };
  }

  async get(bpId: string, requestId: string): Promise<RequestLogRow> {
    const row = await this.db
      .selectFrom('api_requests')
      .select(['request_id', 'occurred_at', 'key_id', 'method', 'route', 'status', 'duration_us', 'client_ip', 'error_code', 'error_message'])
      .where('bp_id', '=', bpId)
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    if (!row)
      throw new AppError(
        'not_found',
        `No request ${requestId} in this Business Partner's log (entries are kept for the raw-log retention period; the newest requests appear within a second).`,
      );
    return toRow(row);
  }

  /** Routes seen recently (hourly rollups for the week, minute rollups for the last hours), for the explorer's filter. */
  async routes(bpId: string, since: Date): Promise<string[]> {
    const [hours, minutes] = await Promise.all([
      this.db.selectFrom('usage_hour').select('route').distinct().where('bp_id', '=', bpId).where('bucket', '>=', since).execute(),
      this.db
        .selectFrom('usage_minute')
        .select('route')
        .distinct()
        .where('bp_id', '=', bpId)
        .where('bucket', '>=', new Date(Date.now() - 2 * 3_600_000))
        .execute(),
    ]);
    return [...new Set([...hours, ...minutes].map((r) => r.route))].sort();
  }
}

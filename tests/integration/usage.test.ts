import { readFileSync } from 'node:fs';
import { signRequest } from '@paygate/protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../apps/server/src/db/database.js';
import { createMetrics } from '../../apps/server/src/http/metrics.js';
import { createLogger } from '../../apps/server/src/lib/logger.js';
import { LATENCY_THRESHOLDS_US, latencyBucket } from '../../apps/server/src/modules/usage/histogram.js';
import { type RequestLogEntry, RequestLogWriter } from '../../apps/server/src/modules/usage/request-log.js';
import { describeEachDatabase } from '../support/databases.js';
import { issueKeyPair } from '../support/keypairs.js';
import { Agent, createTestServer, TestClock, type TestServer } from '../support/server.js';

let seq = 0;
const email = (n: string) => `${n}.${Date.now()}.${++seq}@example.com`;
const migration = readFileSync(new URL('../../apps/server/migrations/0003_usage.sql', import.meta.url), 'utf8');

describe('latency histogram', () => {
  it('the migration embeds exactly the thresholds the code uses', () => {
    const embedded = /'\{([0-9,]+)\}'::integer\[\]/.exec(migration)?.[1]?.split(',').map(Number);
    expect(embedded).toEqual([...LATENCY_THRESHOLDS_US]);
  });
});

/** Deterministic pseudo-random numbers, so a failure can be reproduced. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Independent reference: the instant local `unit` containing `t` starts in `tz`. */
function localStart(t: number, tz: string, unit: 'day' | 'hour'): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(t))
      .map((p) => [p.type, p.value]),
  );
  const localAsUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), unit === 'hour' ? Number(parts.hour) : 0);
  // Find the instant whose local wall time is localAsUtc: offset at a guess, then correct once.
  const offset = (at: number) => {
    const p = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
        .formatToParts(new Date(at))
        .map((x) => [x.type, x.value]),
    );
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - at;
  };
  let guess = localAsUtc - offset(localAsUtc);
  guess = localAsUtc - offset(guess);
  // In a repeated (fall-back) hour, the bucket containing t is the one at or before t.
  return guess > t ? guess - 3_600_000 : guess;
}

const EPOCH_2000 = Date.UTC(2000, 0, 1);
const STEP = { '1m': 60_000, '15m': 900_000, '1h': 3_600_000, '1d': 86_400_000 } as const;

interface Row {
  at: number;
  method: string;
  route: string;
  status: number;
  us: number;
}

function reference(rows: Row[], from: number, to: number, tz: string, granularity: keyof typeof STEP, wholeHour: boolean) {
  const inRange = rows.filter((r) => r.at >= from && r.at < to);
  const bucketOf = (t: number) => {
    if (granularity === '1d') return localStart(t, tz, 'day');
    if (granularity === '1h' && !wholeHour) return localStart(t, tz, 'hour');
    return Math.floor((t - EPOCH_2000) / STEP[granularity]) * STEP[granularity] + EPOCH_2000;
  };
  const series = new Map<number, number[]>();
  if (granularity === '1d' || (granularity === '1h' && !wholeHour)) {
    for (let t = bucketOf(from); t < to; ) {
      series.set(t, [0, 0, 0, 0]);
      let next = t + STEP[granularity];
      // Local units can be 23, 24 or 25 hours long: step to the next local start.
      while (bucketOf(next) === t) next += 3_600_000;
      t = bucketOf(next);
    }
  } else {
    for (let t = bucketOf(from); t < to; t += STEP[granularity]) series.set(t, [0, 0, 0, 0]);
  }
  const statuses = new Map<number, number>();
  const endpoints = new Map<string, Row[]>();
  for (const r of inRange) {
    const point = series.get(bucketOf(r.at));
    if (point === undefined) throw new Error(`no bucket for ${new Date(r.at).toISOString()}`);
    const cls = Math.min(3, Math.max(0, Math.floor(r.status / 100) - 2));
    point[cls] = (point[cls] ?? 0) + 1;
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    const key = `${r.method} ${r.route}`;
    endpoints.set(key, [...(endpoints.get(key) ?? []), r]);
  }
  const quantile = (list: Row[], p: number) => {
    if (list.length === 0) return null;
    const sorted = list.map((r) => r.us).sort((a, b) => a - b);
    const value = sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1] ?? 0;
    const b = latencyBucket(value);
    return (LATENCY_THRESHOLDS_US[b] ?? LATENCY_THRESHOLDS_US.at(-1) ?? 0) / 1000;
  };
  const total = inRange.length;
  const count = (f: (r: Row) => boolean) => inRange.filter(f).length;
  return {
    kpis: {
      totalRequests: total,
      successRate: total === 0 ? null : count((r) => r.status < 400) / total,
      errorRate: total === 0 ? null : count((r) => r.status >= 400) / total,
      clientErrorRate: total === 0 ? null : count((r) => r.status >= 400 && r.status < 500) / total,
      serverErrorRate: total === 0 ? null : count((r) => r.status >= 500) / total,
      avgResponseMs: total === 0 ? null : inRange.reduce((a, r) => a + r.us, 0) / total / 1000,
      p50Ms: quantile(inRange, 0.5),
      p95Ms: quantile(inRange, 0.95),
      p99Ms: quantile(inRange, 0.99),
    },
    series: [...series].sort((a, b) => a[0] - b[0]).map(([t, c]) => ({ t: new Date(t).toISOString(), c2xx: c[0], c3xx: c[1], c4xx: c[2], c5xx: c[3] })),
    statusCodes: [...statuses].sort((a, b) => a[0] - b[0]).map(([status, n]) => ({ status, count: n })),
    endpoints: [...endpoints]
      .map(([key, list]) => ({
        method: key.split(' ')[0],
        route: key.split(' ')[1],
        count: list.length,
        errorRate: list.filter((r) => r.status >= 400).length / list.length,
        p95Ms: quantile(list, 0.95),
      }))
      .sort((a, b) => b.count - a.count || String(a.route).localeCompare(String(b.route))),
  };
}

describeEachDatabase('usage analytics', (kind) => {
  // Sunday 25 October 2026, 01:00 UTC: Europe/Berlin falls back from CEST to CET.
  const clock = new TestClock(new Date('2026-10-26T05:17:23.456Z'));
  let server: TestServer;
  let owner: Agent;
  let bpA: string;
  let bpB: string;
  const rowsA: Row[] = [];

  beforeAll(async () => {
    server = await createTestServer(kind, { clock });
    owner = new Agent(server.app);
    bpA = (await owner.signUp(email('usage-a'), 'Usage A')).activeBpId ?? '';
    const other = new Agent(server.app);
    bpB = (await other.signUp(email('usage-b'), 'Usage B')).activeBpId ?? '';

    const random = rng(42);
    const routes = [
      ['GET', '/v1/me'],
      ['GET', '/v1/transactions'],
      ['POST', '/v1/payouts'],
      ['GET', '/v1/transactions/{id}'],
    ] as const;
    const statuses = [200, 200, 200, 200, 201, 204, 304, 400, 401, 404, 409, 429, 500, 503];
    const start = Date.parse('2026-10-18T00:00:00Z');
    const end = clock.now().getTime();
    const entries: RequestLogEntry[] = [];
    for (let i = 0; i < 6000; i++) {
      let at = start + Math.floor(random() * (end - start));
      // A gap with no traffic at all, to check empty buckets.
      if (at >= Date.parse('2026-10-25T03:00:00Z') && at < Date.parse('2026-10-25T07:00:00Z')) continue;
      // Bucket edges: some rows exactly on minute and hour boundaries.
      if (i % 17 === 0) at = Math.floor(at / 3_600_000) * 3_600_000;
      else if (i % 13 === 0) at = Math.floor(at / 60_000) * 60_000;
      const [method, route] = routes[Math.floor(random() * routes.length)] ?? routes[0];
      const status = statuses[Math.floor(random() * statuses.length)] ?? 200;
      const us = Math.floor(50 + random() ** 3 * 2_000_000);
      const bp = i % 5 === 0 ? bpB : bpA;
      if (bp === bpA) rowsA.push({ at, method, route, status, us });
      entries.push({
        occurredAt: new Date(at),
        bpId: bp,
        keyId: null,
        method,
        route,
        status,
        durationUs: us,
        clientIp: '127.0.0.1',
        errorCode: status >= 400 ? 'x' : null,
        requestId: `req_t${i}`,
      });
    }
    // Rollups cover everything up to 25 Oct 18:00 UTC; what follows is read from the raw log.
    const db = server.services.database.db;
    await db
      .updateTable('usage_watermarks')
      .set({ upto: new Date(start) })
      .execute();
    const writer = new RequestLogWriter(db, createLogger('silent'), createMetrics().registry, { maxBuffered: 10_000, flushIntervalMs: 1000, batchSize: 1000 });
    for (const e of entries) writer.record(e);
    await writer.flush();
    await server.services.rollup.run(new Date('2026-10-25T18:00:00Z'));
    const marks = await db.selectFrom('usage_watermarks').selectAll().orderBy('level').execute();
    expect(marks.map((m) => [m.level, m.upto.toISOString()])).toEqual([
      ['day', '2026-10-25T00:00:00.000Z'],
      ['hour', '2026-10-25T17:00:00.000Z'],
      ['minute', '2026-10-25T17:59:00.000Z'],
    ]);
  }, 120_000);
  afterAll(async () => server.close());

  async function overview(query: string) {
    const response = await owner.get(`/api/bps/${bpA}/usage/overview?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  const cases: [string, string, keyof typeof STEP, boolean][] = [
    ['last 24 h in UTC (quarter hours: 96 bars)', 'range=24h&tz=UTC', '15m', true],
    ['last 24 h in Berlin, across the DST change', 'range=24h&tz=Europe/Berlin', '15m', true],
    ['15-minute buckets over 24 h in Berlin', 'range=24h&tz=Europe/Berlin&granularity=15m', '15m', true],
    ['hourly in Berlin across the repeated hour', 'range=custom&from=2026-10-24T20:00:00Z&to=2026-10-25T20:00:00Z&tz=Europe/Berlin&granularity=1h', '1h', true],
    ['daily in Berlin with the 25-hour day', 'range=custom&from=2026-10-20T08:30:00Z&to=2026-10-26T05:00:00Z&tz=Europe/Berlin&granularity=1d', '1d', true],
    ['last 7 days in New York (hourly)', 'range=7d&tz=America/New_York', '1h', true],
    ['minutes of the last hour in Kolkata', 'range=1h&tz=Asia/Kolkata', '1m', false],
    ['hourly in Kolkata (half-hour offset)', 'range=custom&from=2026-10-25T10:07:00Z&to=2026-10-26T04:00:00Z&tz=Asia/Kolkata&granularity=1h', '1h', false],
    ['daily in Kolkata', 'range=30d&tz=Asia/Kolkata&granularity=1d', '1d', false],
  ];
  for (const [name, query, granularity, wholeHour] of cases) {
    it(`matches a brute-force computation: ${name}`, async () => {
      const body = await overview(query);
      expect(body.range.granularity).toBe(granularity);
      const from = Date.parse(body.range.from);
      const to = Date.parse(body.range.to);
      const tz = body.range.tz as string;
      const expected = reference(rowsA, from, to, tz, granularity, wholeHour);
      expect(body.kpis).toEqual({
        ...expected.kpis,
        avgResponseMs: expected.kpis.avgResponseMs === null ? null : expect.closeTo(expected.kpis.avgResponseMs, 9),
      });
      expect(body.series).toEqual(expected.series);
      expect(body.statusCodes).toEqual(expected.statusCodes);
      expect(body.endpoints).toEqual(expected.endpoints);
      const previous = reference(rowsA, Date.parse(body.previousRange.from), Date.parse(body.previousRange.to), tz, granularity, wholeHour);
      expect(body.previous.totalRequests).toBe(previous.kpis.totalRequests);
      expect(body.previous.p95Ms).toBe(previous.kpis.p95Ms);
      if (previous.kpis.totalRequests > 0)
        expect(body.change.totalRequests).toBeCloseTo((expected.kpis.totalRequests - previous.kpis.totalRequests) / previous.kpis.totalRequests, 9);
    });
  }

  it('shows empty buckets as zeros and a 25-hour Berlin day', async () => {
    const body = await overview('range=custom&from=2026-10-25T02:00:00Z&to=2026-10-25T08:00:00Z&tz=UTC&granularity=1h');
    expect(body.series.slice(1, 5).map((p: { c2xx: number; c4xx: number }) => p.c2xx + p.c4xx)).toEqual([0, 0, 0, 0]);
    const days = await overview('range=custom&from=2026-10-24T00:00:00Z&to=2026-10-26T00:00:00Z&tz=Europe/Berlin&granularity=1d');
    const starts = days.series.map((p: { t: string }) => Date.parse(p.t));
    expect(starts[2] - starts[1]).toBe(25 * 3_600_000);
  });

  it('an empty BP gets zeros and nulls, not errors', async () => {
    const fresh = new Agent(server.app);
    const bp = (await fresh.signUp(email('empty'))).activeBpId ?? '';
    const body = (await fresh.get(`/api/bps/${bp}/usage/overview?range=24h`)).json();
    expect(body.kpis).toEqual({
      totalRequests: 0,
      successRate: null,
      errorRate: null,
      clientErrorRate: null,
      serverErrorRate: null,
      avgResponseMs: null,
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
    });
    // The default 24 h range in quarter hours: 96 whole ones and the one in progress.
    expect(body.series.length).toBe(97);
    expect(body.series.every((p: { c2xx: number }) => p.c2xx === 0)).toBe(true);
    expect(body.endpoints).toEqual([]);
  });

  it('rollups are idempotent: running again, or concurrently, changes nothing', async () => {
    const db = server.services.database.db;
    const snapshot = async () =>
      sql<{ n: string; s: string }>`select count(*)::text as n, coalesce(sum(count), 0)::text as s from usage_minute`.execute(db).then((r) => r.rows[0]);
    const before = await snapshot();
    await Promise.all([server.services.rollup.run(new Date('2026-10-25T18:00:00Z')), server.services.rollup.run(new Date('2026-10-25T18:00:00Z'))]);
    expect(await snapshot()).toEqual(before);
    const totalMinute = await sql<{ s: string }>`select sum(count)::text as s from usage_minute where bp_id = ${bpA}`.execute(db);
    const totalHour = await sql<{ s: string }>`select sum(count)::text as s from usage_hour where bp_id = ${bpA} and bucket < '2026-10-25T17:00:00Z'`.execute(
      db,
    );
    const rawUpToHour = rowsA.filter((r) => r.at < Date.parse('2026-10-25T17:00:00Z')).length;
    expect(Number(totalHour.rows[0]?.s)).toBe(rawUpToHour);
    expect(Number(totalMinute.rows[0]?.s)).toBe(rowsA.filter((r) => r.at < Date.parse('2026-10-25T17:59:00Z')).length);
  });

  it('late rows for a rolled-up minute are picked up (dirty minutes), never lost or doubled', async () => {
    const db = server.services.database.db;
    const late: RequestLogEntry = {
      occurredAt: new Date('2026-10-24T12:34:56Z'),
      bpId: bpB,
      keyId: null,
      method: 'GET',
      route: '/v1/late',
      status: 200,
      durationUs: 1234,
      clientIp: null,
      errorCode: null,
      requestId: 'req_late',
    };
    const writer = new RequestLogWriter(db, createLogger('silent'), createMetrics().registry);
    writer.record(late);
    await writer.flush();
    expect((await db.selectFrom('usage_dirty_minutes').selectAll().execute()).map((d) => d.bucket.toISOString())).toEqual(['2026-10-24T12:34:00.000Z']);
    await server.services.rollup.run(new Date('2026-10-25T18:00:00Z'));
    for (const table of ['usage_minute', 'usage_hour', 'usage_day', 'usage_minute_latency', 'usage_hour_latency', 'usage_day_latency'] as const) {
      const rows = await db.selectFrom(table).select('count').where('route', '=', '/v1/late').execute();
      expect(
        rows.map((r) => r.count),
        table,
      ).toEqual([1]);
    }
    expect(await db.selectFrom('usage_dirty_minutes').selectAll().execute()).toEqual([]);
  });

  it('isolation: a BP sees only its own usage, through the dashboard and the signed API', async () => {
    const outsider = new Agent(server.app);
    await outsider.signUp(email('outsider'));
    expect((await outsider.get(`/api/bps/${bpA}/usage/overview?range=24h`)).statusCode).toBe(404);
    expect((await outsider.get(`/api/bps/${bpA}/usage/requests`)).statusCode).toBe(404);
    expect((await outsider.get(`/api/bps/${bpA}/usage/requests/req_t1000`)).statusCode).toBe(404);
    const key = await issueKeyPair(owner, bpA);
    await server.listen();
    const headers = signRequest(
      { method: 'GET', url: '/v1/usage/overview?range=custom&from=2026-10-18T00:00:00Z&to=2026-10-26T05:00:00Z&granularity=1d' },
      { keyId: key.keyId, privateKey: key.privateKey, created: Math.floor(clock.now().getTime() / 1000) },
    );
    const viaApi = await fetch(`${server.url}/v1/usage/overview?range=custom&from=2026-10-18T00:00:00Z&to=2026-10-26T05:00:00Z&granularity=1d`, { headers });
    expect(viaApi.status).toBe(200);
    const body = (await viaApi.json()) as { kpis: { totalRequests: number } };
    expect(body.kpis.totalRequests).toBe(rowsA.filter((r) => r.at >= Date.parse('2026-10-18T00:00:00Z') && r.at < Date.parse('2026-10-26T05:00:00Z')).length);
  });

  it('rejects bad overview input with field errors', async () => {
    for (const [query, field] of [
      ['range=2d', 'querystring.range'],
      ['range=24h&tz=Mars/Olympus', 'querystring.tz'],
      ['range=custom', 'querystring.from'],
      ['range=custom&from=2026-10-25T00:00:00Z&to=2026-10-24T00:00:00Z', 'querystring.from'],
      ['range=30d&granularity=1m', 'querystring.granularity'],
      ['range=24h&from=yesterday', 'querystring.from'],
    ] as const) {
      const r = await owner.get(`/api/bps/${bpA}/usage/overview?${query}`);
      expect(r.statusCode, query).toBe(400);
      expect(r.json().code).toBe('validation_failed');
      expect(r.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('request log explorer: filters, keyset pages, and detail by request id', async () => {
    const errors = (await owner.get(`/api/bps/${bpA}/usage/requests?status=5xx&limit=7&from=2026-10-18T00:00:00Z`)).json();
    expect(errors.items).toHaveLength(7);
    expect(errors.items.every((r: { status: number }) => r.status >= 500)).toBe(true);
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = (await owner.get(`/api/bps/${bpA}/usage/requests?route=/v1/payouts&limit=200${q}`)).json() as {
        items: { requestId: string; occurredAt: string }[];
        nextCursor: string | null;
      };
      for (const item of page.items) seen.add(item.requestId);
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 50);
    expect(seen.size).toBe(rowsA.filter((r) => r.route === '/v1/payouts').length);
    const one = [...seen][0] ?? '';
    const detail = await owner.get(`/api/bps/${bpA}/usage/requests/${one}`);
    expect(detail.json()).toMatchObject({ requestId: one, route: '/v1/payouts' });
    expect((await owner.get(`/api/bps/${bpA}/usage/requests?cursor=garbage`)).json().code).toBe('validation_failed');
  });

  it('retention: daily partitions are created ahead and dropped after the raw retention', async () => {
    const rollup = server.services.rollup;
    const first = await rollup.maintainStorage(new Date('2026-10-01T12:00:00Z'));
    expect(first.created).toContain('api_requests_20261001');
    // Days whose rows already sit in the default partition keep them there (no partition is forced).
    const later = await rollup.maintainStorage(new Date('2026-11-20T12:00:00Z'));
    expect(later.dropped).toEqual(expect.arrayContaining(['api_requests_20260930', 'api_requests_20261001', 'api_requests_20261004']));
    expect(later.created).toEqual([
      'api_requests_20261119',
      'api_requests_20261120',
      'api_requests_20261121',
      'api_requests_20261122',
      'api_requests_20261123',
    ]);
    const again = await rollup.maintainStorage(new Date('2026-11-20T12:00:00Z'));
    expect(again).toEqual({ created: [], dropped: [] });
    const left = await server.services.database.db
      .selectFrom('api_requests')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('occurred_at', '<', new Date('2026-11-06T00:00:00Z'))
      .executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);
  });
});

describeEachDatabase('the request log of signed requests', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(kind);
    await server.listen();
  });
  afterAll(async () => server.close());

  it('records accepted and refused requests of a known key with route template, status, duration, error code and request id', async () => {
    const owner = new Agent(server.app);
    const bpId = (await owner.signUp(email('logged'))).activeBpId ?? '';
    const key = await issueKeyPair(owner, bpId);
    const ok = await fetch(`${server.url}/v1/me`, { headers: signRequest({ method: 'GET', url: '/v1/me' }, { keyId: key.keyId, privateKey: key.privateKey }) });
    const okId = ok.headers.get('x-request-id');
    const expired = await fetch(`${server.url}/v1/me`, {
      headers: signRequest({ method: 'GET', url: '/v1/me' }, { keyId: key.keyId, privateKey: key.privateKey, created: Math.floor(Date.now() / 1000) - 3600 }),
    });
    expect(expired.status).toBe(401);
    await fetch(`${server.url}/v1/me`, {
      headers: signRequest({ method: 'GET', url: '/v1/me' }, { keyId: 'kp_00000000000000000000000000', privateKey: key.privateKey }),
    });
    await fetch(`${server.url}/v1/me`);
    await server.services.requestLog?.flush();
    const rows = await server.services.database.db.selectFrom('api_requests').selectAll().where('bp_id', '=', bpId).orderBy('occurred_at').execute();
    expect(rows.map((r) => [r.route, r.status, r.error_code, r.key_id])).toEqual([
      ['/v1/me', 200, null, key.keyId],
      ['/v1/me', 401, 'signature_expired', key.keyId],
    ]);
    expect(rows[0]?.request_id).toBe(okId);
    expect(rows[0]?.duration_us).toBeGreaterThan(0);
    expect(rows[0]?.client_ip).toBe('127.0.0.1');
    const total = await server.services.database.db
      .selectFrom('api_requests')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(total.n)).toBe(2);
  });

  it('the buffer is bounded: overflow is dropped and counted, a failed flush keeps its entries', async () => {
    const metrics = createMetrics();
    const writer = new RequestLogWriter(server.services.database.db, createLogger('silent'), metrics.registry, {
      maxBuffered: 3,
      flushIntervalMs: 10_000,
      batchSize: 100,
    });
    const entry = (i: number): RequestLogEntry => ({
      occurredAt: new Date(),
      bpId: 'bp_none',
      keyId: null,
      method: 'GET',
      route: '/v1/x',
      status: 200,
      durationUs: 1,
      clientIp: null,
      errorCode: null,
      requestId: `req_b${i}`,
    });
    for (let i = 0; i < 5; i++) writer.record(entry(i));
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/paygate_request_log_dropped_total 2/);
    await writer.flush();
    expect(await metrics.registry.metrics()).toMatch(/paygate_request_log_written_total 3/);
    const dead = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    await dead.close();
    const brokenMetrics = createMetrics();
    const broken = new RequestLogWriter(dead.db, createLogger('silent'), brokenMetrics.registry, { maxBuffered: 10, flushIntervalMs: 10_000, batchSize: 100 });
    for (let i = 0; i < 3; i++) broken.record(entry(i));
    await broken.flush();
    const after = await brokenMetrics.registry.metrics();
    expect(after).toMatch(/paygate_request_log_buffered 3/);
    expect(after).toMatch(/paygate_request_log_written_total 0/);
  });
});

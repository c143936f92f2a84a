/**
 * Usage analytics, from one run:
 *   1. signed-request throughput with the request log on vs off, and the ratio (goal ≥ 0.90);
 *   2. Overview latency (p50/p95, 24 h range, as the dashboard asks) with 1 M and with 50 M raw rows
 *      loaded, and the ratio of the p95s (goal: p95 < 30 ms at 50 M, ratio ≤ 1.5);
 *   3. the sustained ingestion rate of the request log writer.
 * The measured BP has the same traffic in both Overview datasets (≈ 400 k requests over 7 days);
 * the other rows belong to 999 other BPs, as on a shared gateway. Needs PostgreSQL.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/usage.ts
 *   (BENCH_USAGE_ROWS=1000000,50000000 to change the dataset sizes)
 */
import { performance } from 'node:perf_hooks';
import { signRequest } from '@paygate/protocol';
import { sql } from 'kysely';
import { openDatabase } from '../apps/server/src/db/database.js';
import { migrate } from '../apps/server/src/db/migrate.js';
import { createMetrics } from '../apps/server/src/http/metrics.js';
import { createLogger } from '../apps/server/src/lib/logger.js';
import { type RequestLogEntry, RequestLogWriter } from '../apps/server/src/modules/usage/request-log.js';
import { UsageRollup } from '../apps/server/src/modules/usage/rollup.js';
import { UsageService } from '../apps/server/src/modules/usage/service.js';
import { createPostgresDatabase } from '../tests/support/databases.js';
import { HttpAgent } from '../tests/support/http-agent.js';
import { freePort, PaygateProcess } from '../tests/support/process.js';
import { fmt, load, percentile } from './support.js';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SIZES = (process.env.BENCH_USAGE_ROWS ?? '1000000,50000000')
  .split(',')
  .filter((s) => s !== '')
  .map(Number);
const MASTER_KEY = Buffer.alloc(32, 5).toString('base64');
const out: string[] = [];
const say = (line: string) => {
  out.push(line);
  process.stderr.write(`${line}\n`);
};

async function throughput(): Promise<void> {
  const rates: Record<'on' | 'off', number[]> = { on: [], off: [] };
  for (const mode of ['off', 'on', 'off', 'on'] as const) {
    const database = await createPostgresDatabase(ADMIN_URL);
    const server = new PaygateProcess(await freePort(), {
      DATABASE_URL: database.url,
      PAYGATE_MASTER_KEY: MASTER_KEY,
      PAYGATE_ROLE: 'api',
      LOG_LEVEL: 'warn',
      PAYGATE_REQUEST_LOG: mode === 'on' ? 'true' : 'false',
    });
    try {
      await server.ready();
      const agent = new HttpAgent(server.url);
      const session = await agent.call('POST', '/api/auth/signup', {
        email: 'bench@example.com',
        password: 'correct horse battery',
        name: 'Bench',
        businessName: 'Bench Ltd',
      });
      const issued = await agent.call('POST', `/api/bps/${String(session.activeBpId)}/keypairs`, { mode: 'generate' });
      const keyId = (issued.keypair as { id: string }).id;
      const privateKey = String(issued.privateKey);
      const signed = Array.from({ length: 4000 * (SECONDS + 1) }, () => signRequest({ method: 'GET', url: '/v1/me' }, { keyId, privateKey }));
      let i = 0;
      await load(server.url, 1, 32, () => ({ path: '/v1/me', headers: signed[i++] ?? {} }));
      const r = await load(server.url, SECONDS, 32, () => ({ path: '/v1/me', headers: signed[i++] ?? {} }));
      if (i >= signed.length) throw new Error('ran out of pre-signed requests');
      rates[mode].push(r.rate);
    } finally {
      await server.stop();
      await database.drop();
    }
  }
  const on = Math.max(...rates.on);
  const off = Math.max(...rates.off);
  say(`  signed requests, request log OFF     ${fmt(off)} req/s`);
  say(`  signed requests, request log ON      ${fmt(on)} req/s`);
  say(`  ratio on / off                       ${fmt(on / off, 2)}   (goal >= 0.90)`);
}

async function ingestion(): Promise<void> {
  const created = await createPostgresDatabase(ADMIN_URL);
  const database = await openDatabase({ kind: 'postgres', url: created.url, poolSize: 4 });
  try {
    await migrate(database.db);
    await new UsageRollup(database.db).maintainStorage(new Date());
    const writer = new RequestLogWriter(database.relaxedDb, createLogger('silent'), createMetrics().registry, {
      maxBuffered: 1_000_000,
      flushIntervalMs: 200,
      batchSize: 5_000,
    });
    const n = 300_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const entry: RequestLogEntry = {
        occurredAt: new Date(),
        bpId: `bp_${i % 100}`,
        keyId: null,
        method: 'GET',
        route: '/v1/me',
        status: 200,
        durationUs: 800 + (i % 900),
        clientIp: '127.0.0.1',
        errorCode: null,
        requestId: `req_${i}`,
      };
      writer.record(entry);
      if (i % 5_000 === 0) await new Promise((r) => setImmediate(r));
    }
    await writer.stop();
    const seconds = (performance.now() - t0) / 1000;
    const stored = await sql<{ n: string }>`select count(*) as n from api_requests`.execute(database.db);
    say(
      `  request log writer ingestion         ${fmt(Number(stored.rows[0]?.n) / seconds)} rows/s   (${fmt(Number(stored.rows[0]?.n))} rows in ${fmt(seconds, 1)} s)`,
    );
  } finally {
    await database.close();
    await created.drop();
  }
}

/**
 * Load `rows` raw rows (the measured BP's fixed share plus other BPs), roll them up, then time the
 * Overview. With `reuseUrl`, time a database an earlier run already loaded (its rows are kept and
 * only the rollups are brought up to date) — loading 50 M rows takes long on a small machine.
 */
async function overviewLatency(rows: number, reuseUrl?: string): Promise<number> {
  const created = reuseUrl === undefined ? await createPostgresDatabase(ADMIN_URL) : { url: reuseUrl, drop: async () => undefined };
  const database = await openDatabase({ kind: 'postgres', url: created.url, poolSize: 4 });
  try {
    if (reuseUrl !== undefined) {
      const t1 = performance.now();
      const loaded = await sql<{ n: string; last: Date }>`select count(*)::text as n, max(occurred_at) as last from api_requests`.execute(database.db);
      const now = loaded.rows[0]?.last ?? new Date();
      await new UsageRollup(database.db).run(new Date(now.getTime() + 60_000));
      await sql`analyze`.execute(database.db);
      return await timeOverview(database, Number(loaded.rows[0]?.n ?? 0), 0, (performance.now() - t1) / 1000, new Date(now.getTime() + 60_000));
    }
    await migrate(database.db);
    const now = new Date();
    const days = 14;
    const start = new Date(now.getTime() - days * 86_400_000);
    const rollup = new UsageRollup(database.db);
    for (let d = -days - 1; d <= 1; d++) await rollup.maintainStorage(new Date(now.getTime() + d * 86_400_000));
    await database.db
      .updateTable('usage_watermarks')
      .set({ upto: new Date(Math.floor(start.getTime() / 86_400_000) * 86_400_000) })
      .execute();
    const focus = 400_000;
    const t0 = performance.now();
    // Generated inside PostgreSQL: the measured BP (bp_focus) gets `focus` requests over the last
    // 7 days; the rest spread over 999 BPs and 14 days. Statuses ~7% errors, log-normal-ish latencies.
    const chunk = 2_000_000;
    for (let offset = 0; offset < rows; offset += chunk) {
      const count = Math.min(chunk, rows - offset);
      await sql`
        insert into api_requests (occurred_at, bp_id, key_id, method, route, status, duration_us, client_ip, error_code, request_id)
        select
          case when g < ${focus} then ${now}::timestamptz - (random() * interval '7 days') else ${now}::timestamptz - (random() * interval '14 days') end,
          case when g < ${focus} then 'bp_focus' else 'bp_' || (g % 999) end,
          'kp_bench', (array['GET','GET','POST','GET'])[1 + g % 4], (array['/v1/me','/v1/transactions','/v1/payouts','/v1/transactions/{id}'])[1 + g % 4],
          (array[200,200,200,200,200,200,200,200,201,201,204,400,404,429,500])[1 + (random() * 14)::int],
          (200 + exp(random() * 9))::int, '10.0.0.1', null, 'req_' || g
        from generate_series(${offset}::bigint, ${offset + count - 1}::bigint) g`.execute(database.db);
    }
    const loaded = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    await rollup.run(now);
    const rolled = (performance.now() - t1) / 1000;
    await sql`analyze`.execute(database.db);
    return await timeOverview(database, rows, loaded, rolled, now);
  } finally {
    await database.close();
    await created.drop();
  }
}

async function timeOverview(database: Awaited<ReturnType<typeof openDatabase>>, rows: number, loaded: number, rolled: number, at: Date): Promise<number> {
  const usage = new UsageService(database.db, { now: () => at });
  for (let i = 0; i < 5; i++) await usage.overview('bp_focus', { range: '24h', tz: 'Europe/Berlin' });
  const timings = async (range: '24h' | '7d') => {
    const latencies: number[] = [];
    for (let i = 0; i < 40; i++) {
      const q0 = performance.now();
      const result = await usage.overview('bp_focus', { range, tz: 'Europe/Berlin' });
      if (result.kpis.totalRequests === 0) throw new Error('the Overview saw no requests');
      latencies.push(performance.now() - q0);
    }
    return { p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
  };
  const day = await timings('24h');
  const week = await timings('7d');
  say(
    `  Overview 24 h, ${fmt(rows)} raw rows`.padEnd(39) +
      `p50 ${fmt(day.p50, 1)} ms  p95 ${fmt(day.p95, 1)} ms   (loaded in ${fmt(loaded)} s, rolled up in ${fmt(rolled)} s)`,
  );
  say(`${`  Overview 7 d,  ${fmt(rows)} raw rows`.padEnd(39)}p50 ${fmt(week.p50, 1)} ms  p95 ${fmt(week.p95, 1)} ms`);
  return day.p95;
}

async function main(): Promise<void> {
  say('bench/usage  (PostgreSQL; one paygate api process for throughput)');
  if (process.env.BENCH_USAGE_SKIP_THROUGHPUT !== 'true') {
    await throughput();
    await ingestion();
  }
  const p95s: number[] = [];
  const reuse = process.env.BENCH_USAGE_REUSE_URL;
  for (const size of SIZES) p95s.push(await overviewLatency(size));
  if (reuse !== undefined) p95s.push(await overviewLatency(0, reuse));
  const first = p95s[0];
  const last = p95s.at(-1);
  if (first !== undefined && last !== undefined && p95s.length > 1) {
    say(
      `  Overview p95 ratio ${fmt(SIZES.at(-1) ?? 0)} / ${fmt(SIZES[0] ?? 0)}`.padEnd(39) +
        `${fmt(last / first, 2)}   (goal <= 1.5; goal p95 < 30 ms at the largest)`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();

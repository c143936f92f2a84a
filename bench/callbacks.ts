/**
 * Callback delivery, from one run:
 *   1. raw rate of undici + signing (HMAC) to a local receiver — the ceiling for one process;
 *   2. end-to-end deliveries/s of one `paygate --role worker` process on PostgreSQL, draining a
 *      backlog of due deliveries (claim, sign, send, log each attempt), and its ratio to (1);
 *   3. commit → receipt latency (p50/p99) at 500 callbacks/s offered, each committed in its own
 *      transaction with its NOTIFY, as the payments core does.
 * Goals: ≥ 8,000/s end to end, ratio ≥ 0.25, p99 < 50 ms.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/callbacks.ts
 *
 * Also read: BENCH_CALLBACKS (backlog size, 20,000), PAYGATE_CALLBACK_BATCH_SIZE and
 * PAYGATE_CALLBACK_MAX_IN_FLIGHT (passed to the worker, to compare settings), and
 * BENCH_WORKER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the worker).
 */
import { performance } from 'node:perf_hooks';
import { signCallback } from '@paygate/protocol';
import { sql } from 'kysely';
import { Agent, request } from 'undici';
import { openDatabase } from '../apps/server/src/db/database.js';
import { migrate } from '../apps/server/src/db/migrate.js';
import { createServices } from '../apps/server/src/runtime.js';
import { createPostgresDatabase } from '../tests/support/databases.js';
import { seedDeliveryBacklog } from '../tests/support/outbox.js';
import { freePort, PaygateProcess } from '../tests/support/process.js';
import { CallbackReceiver } from '../tests/support/receiver.js';
import { fmt, percentile } from './support.js';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BACKLOG = Number(process.env.BENCH_CALLBACKS ?? 20_000);
const MASTER_KEY = Buffer.alloc(32, 13);
const SECRET = 'whsec_c2VjcmV0LWtleS1vbmUtMzItYnl0ZXMtbG9uZy4uLi4=';

async function rawRate(url: string, seconds: number): Promise<number> {
  const agent = new Agent({ connections: 16, pipelining: 1 });
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (performance.now() < end) {
        const { body, headers } = signCallback({
          payload: { amount: '1', n },
          webhookId: `msg_raw${n}`,
          timestamp: Math.floor(Date.now() / 1000),
          secrets: [SECRET],
          kind: 'deposit',
        });
        const response = await request(url, { method: 'POST', body, headers, dispatcher: agent });
        await response.body.dump();
        if (response.statusCode < 300) n++;
      }
    }),
  );
  await agent.close();
  return n / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  const receiver = new CallbackReceiver();
  const base = await receiver.start();
  const raw = await rawRate(`${base}/raw`, 5);
  receiver.received.length = 0;

  const created = await createPostgresDatabase(ADMIN_URL);
  const database = await openDatabase({ kind: 'postgres', url: created.url, poolSize: 4 });
  let worker: PaygateProcess | undefined;
  try {
    await migrate(database.db);
    const services = await createServices(database, { sessionTtlSeconds: 3600, reauthWindowSeconds: 300 }, MASTER_KEY);
    const { bpId } = await services.accounts.signUp(
      { email: 'bench@example.com', password: 'correct horse battery', name: 'Bench', businessName: 'Bench Ltd' },
      { ip: '127.0.0.1', userAgent: null, requestId: 'bench' },
    );
    await services.detach();
    await seedDeliveryBacklog(database.db, { bpId, url: `${base}/backlog`, count: BACKLOG, tag: 'b' });

    worker = new PaygateProcess(
      await freePort(),
      {
        DATABASE_URL: created.url,
        PAYGATE_MASTER_KEY: MASTER_KEY.toString('base64'),
        PAYGATE_ROLE: 'worker',
        PAYGATE_CALLBACK_ALLOWED_RANGES: '127.0.0.0/8',
        PAYGATE_CALLBACK_REQUESTS_PER_URL: '16',
        ...(process.env.PAYGATE_CALLBACK_BATCH_SIZE ? { PAYGATE_CALLBACK_BATCH_SIZE: process.env.PAYGATE_CALLBACK_BATCH_SIZE } : {}),
        ...(process.env.PAYGATE_CALLBACK_MAX_IN_FLIGHT ? { PAYGATE_CALLBACK_MAX_IN_FLIGHT: process.env.PAYGATE_CALLBACK_MAX_IN_FLIGHT } : {}),
        PAYGATE_SANDBOX_AUTO_CONFIRM_SECONDS: '0',
        LOG_LEVEL: 'warn',
      },
      ['start'],
      process.env.BENCH_WORKER_NODE_ARGS?.split(' ') ?? [],
    );
    await receiver.waitFor(1, 60_000);
    const first = performance.now();
    await receiver.waitFor(BACKLOG, 600_000);
    const e2e = (BACKLOG - 1) / ((performance.now() - first) / 1000);

    // Latency at 500/s offered: one transaction per callback, with its NOTIFY, like a deposit confirming.
    receiver.received.length = 0;
    const offered = 500;
    const seconds = 8;
    const sendAt = new Map<string, number>();
    const startOffer = performance.now();
    for (let i = 0; i < offered * seconds; i++) {
      const due = startOffer + (i * 1000) / offered;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const id = `msg_l${String(i).padStart(25, '0')}`;
      void database.db
        .transaction()
        .execute(async (trx) => {
          await sql`insert into callback_messages (id, bp_id, kind, transaction_id, sequence, payload) values (${id}, ${bpId}, 'deposit', null, 1, ${JSON.stringify({ n: i })}::jsonb)`.execute(
            trx,
          );
          await sql`insert into callback_deliveries (id, message_id, bp_id, kind, url, transaction_id, sequence, status) values (${`dlv_l${String(i).padStart(25, '0')}`}, ${id}, ${bpId}, 'deposit', ${`${base}/latency`}, null, 1, 'pending')`.execute(
            trx,
          );
          await sql`select pg_notify('paygate_callbacks', '')`.execute(trx);
        })
        .then(() => sendAt.set(id, Date.now()));
    }
    await receiver.waitFor(offered * seconds, 120_000);
    const latencies = receiver.received.map((r) => r.at - (sendAt.get(String(r.headers['webhook-id'])) ?? r.at));
    process.stdout.write(
      [
        `bench/callbacks  (PostgreSQL; one paygate worker process; receiver on loopback; ${fmt(BACKLOG)} backlog)`,
        `  raw undici + HMAC signing          ${fmt(raw)} /s`,
        `  end-to-end deliveries (1 worker)   ${fmt(e2e)} /s   (goal >= 8,000)`,
        `  ratio end-to-end / raw             ${fmt(e2e / raw, 2)}   (goal >= 0.25)`,
        `  commit -> receipt at ${offered}/s offered   p50 ${fmt(percentile(latencies, 50), 1)} ms  p99 ${fmt(percentile(latencies, 99), 1)} ms   (goal p99 < 50 ms)`,
        '',
      ].join('\n'),
    );
  } finally {
    await worker?.stop();
    await receiver.stop();
    await database.close();
    await created.drop();
  }
}

await main();

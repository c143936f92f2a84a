import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../apps/server/src/db/database.js';
import { migrate } from '../../apps/server/src/db/migrate.js';
import { createServices } from '../../apps/server/src/runtime.js';
import { createPostgresDatabase } from '../support/databases.js';
import { TEST_DATABASE_URL } from '../support/environment.js';
import { seedDeliveryBacklog } from '../support/outbox.js';
import { freePort, PaygateProcess } from '../support/process.js';
import { CallbackReceiver } from '../support/receiver.js';

const MASTER_KEY = Buffer.alloc(32, 11);
const COUNT = 20_000;

describe.skipIf(TEST_DATABASE_URL === undefined)('callback delivery across a worker crash', () => {
  it(`kill -9 the worker while ${COUNT.toLocaleString('en-US')} callbacks flow: after a restart every one is delivered, duplicates only of in-flight ones`, async () => {
    const created = await createPostgresDatabase();
    const database = await openDatabase({ kind: 'postgres', url: created.url, poolSize: 4 });
    const receiver = new CallbackReceiver();
    const workers: PaygateProcess[] = [];
    try {
      await migrate(database.db);
      const services = await createServices(database, { sessionTtlSeconds: 3600, reauthWindowSeconds: 300 }, MASTER_KEY);
      const { bpId } = await services.accounts.signUp(
        { email: 'crash@example.com', password: 'correct horse battery', name: 'Crash', businessName: 'Crash Ltd' },
        { ip: '127.0.0.1', userAgent: null, requestId: 'test' },
      );
      await services.detach();
      const base = await receiver.start();
      // The shortest timeout keeps the shortest lease (2 × timeout + 10 s): the restarted worker takes over sooner.
      await sql`insert into callback_settings (bp_id, timeout_ms) values (${bpId}, 1000)`.execute(database.db);
      await seedDeliveryBacklog(database.db, { bpId, url: `${base}/hook`, count: COUNT, tag: 'crash' });

      const env = {
        DATABASE_URL: created.url,
        PAYGATE_MASTER_KEY: MASTER_KEY.toString('base64'),
        PAYGATE_ROLE: 'worker',
        PAYGATE_CALLBACK_ALLOWED_RANGES: '127.0.0.0/8',
        PAYGATE_CALLBACK_LEASE_SECONDS: '2',
        PAYGATE_CALLBACK_REQUESTS_PER_URL: '16',
        PAYGATE_SANDBOX_AUTO_CONFIRM_SECONDS: '0',
        LOG_LEVEL: 'warn',
      };
      const first = new PaygateProcess(await freePort(), env);
      workers.push(first);
      await receiver.waitFor(COUNT / 4, 120_000);
      first.child.kill('SIGKILL');
      await first.exited;
      const inFlight = await database.db
        .selectFrom('callback_deliveries')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '=', 'delivering')
        .executeTakeFirstOrThrow();
      const receivedAtCrash = receiver.received.length;
      expect(receivedAtCrash).toBeLessThan(COUNT);

      const second = new PaygateProcess(await freePort(), env);
      workers.push(second);
      const deadline = Date.now() + 180_000;
      const distinct = () => new Set(receiver.received.map((r) => String(r.headers['webhook-id']))).size;
      while (distinct() < COUNT && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(distinct()).toBe(COUNT);
      // The receiver answers before the worker records success: let the log catch up.
      const unfinished = async () =>
        Number(
          (
            await database.db
              .selectFrom('callback_deliveries')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .where('status', '!=', 'succeeded')
              .executeTakeFirstOrThrow()
          ).n,
        );
      while ((await unfinished()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(await unfinished()).toBe(0);
      const duplicates = receiver.received.length - COUNT;
      // Only deliveries claimed (in flight) at the crash may arrive twice — and always with their own webhook-id.
      expect(duplicates).toBeLessThanOrEqual(Number(inFlight.n));
      const perId = new Map<string, string[]>();
      for (const r of receiver.received) perId.set(String(r.headers['webhook-id']), [...(perId.get(String(r.headers['webhook-id'])) ?? []), r.body]);
      for (const [, bodies] of perId) expect(new Set(bodies).size).toBe(1);

      // A worker serves health and metrics (nothing else), so its delivery counters can be scraped.
      expect(await (await fetch(`${second.url}/healthz`)).json()).toMatchObject({ status: 'ok', role: 'worker' });
      expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
      const metrics = await (await fetch(`${second.url}/metrics`)).text();
      const successes = Number(/^paygate_callback_attempts_total\{result="success"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
      expect(successes).toBeGreaterThan(0);
      expect(successes).toBeLessThanOrEqual(COUNT);
      expect(metrics).toContain('paygate_callback_deliveries{state="due"} 0');
      expect((await fetch(`${second.url}/api/auth/me`)).status).toBe(404);
    } finally {
      for (const w of workers) await w.stop('SIGKILL');
      await receiver.stop();
      await database.close();
      await created.drop();
    }
  }, 300_000);
});

import { describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../apps/server/src/db/database.js';
import { migrate } from '../../apps/server/src/db/migrate.js';
import { createServices } from '../../apps/server/src/runtime.js';
import { TEST_DATABASE_URL } from '../support/environment.js';
import { seedDeliveryBacklog } from '../support/outbox.js';
import { POSTGRES_BIN_DIR, PrivatePostgres } from '../support/private-postgres.js';
import { freePort, PaygateProcess } from '../support/process.js';
import { CallbackReceiver } from '../support/receiver.js';

const MASTER_KEY = Buffer.alloc(32, 23);
const COUNT = 6_000;
const EMAIL = 'pg-restart@example.com';
const PASSWORD = 'correct horse battery';
/** How long the API is probed while PostgreSQL is down. */
const OUTAGE_PROBE_MS = 2_000;
/** Any single request slower than this counts as a hang. */
const REQUEST_TIMEOUT_MS = 7_000;

const SKIP_REASON =
  TEST_DATABASE_URL === undefined
    ? ' (skipped: set TEST_DATABASE_URL to run PostgreSQL tests)'
    : POSTGRES_BIN_DIR === undefined
      ? ' (skipped: no PostgreSQL server binaries — initdb not found via pg_config --bindir or /usr/lib/postgresql/*/bin)'
      : '';

interface Answer {
  readonly what: string;
  readonly status: number;
  readonly contentType: string;
  readonly retryAfter: string | null;
  readonly body: unknown;
}

async function call(what: string, url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch (_error: unknown) {
    // not JSON: keep the text so a failing assertion shows what came back
  }
  return { what, status: response.status, contentType: response.headers.get('content-type') ?? '', retryAfter: response.headers.get('retry-after'), body };
}

function logIn(base: string): Promise<Answer> {
  return call('POST /api/auth/login', `${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
}

function readyz(base: string): Promise<Answer> {
  return call('GET /readyz', `${base}/readyz`);
}

async function countUnfinished(database: Database): Promise<number> {
  const row = await database.db
    .selectFrom('callback_deliveries')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '!=', 'succeeded')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Probe the API (readiness and a log-in) back to back for as long as `action` runs — the window
 * in which PostgreSQL is shutting down or starting up, when answers may be either.
 */
async function probeDuring(proc: PaygateProcess, action: () => Promise<void>): Promise<Answer[]> {
  const answers: Answer[] = [];
  let done = false;
  const probing = (async () => {
    while (!done) {
      answers.push(...(await Promise.all([readyz(proc.url), logIn(proc.url)])));
      await sleep(25);
    }
  })();
  try {
    await action();
  } finally {
    done = true;
    await probing.catch((error: unknown) => {
      // A refused connection or a timeout: say whether the process is gone, and what it printed.
      throw new Error(
        `the API did not answer while PostgreSQL was stopping or starting (paygate exit code ${proc.child.exitCode}):\n${proc.output.slice(-8_000)}`,
        { cause: error },
      );
    });
  }
  return answers;
}

/** Served from the database or refused as unavailable — never an internal error. */
function expectServedOr503(answers: readonly Answer[], when: string): void {
  for (const answer of answers) {
    const summary = { what: answer.what, status: answer.status, body: answer.body };
    expect([200, 503], `${answer.what} while PostgreSQL was ${when}: ${JSON.stringify(summary)}`).toContain(answer.status);
    if (answer.status === 503) expect(answer.body, `${answer.what} while PostgreSQL was ${when}`).toMatchObject({ code: 'database_unavailable' });
  }
}

describe.skipIf(SKIP_REASON !== '')(`callback delivery across a PostgreSQL restart${SKIP_REASON}`, () => {
  it(`PostgreSQL stopped (fast) and started again while ${COUNT.toLocaleString('en-US')} callbacks flow: every one is delivered, the API answers 503 database_unavailable meanwhile, never 500`, async () => {
    const postgres = await PrivatePostgres.create();
    const receiver = new CallbackReceiver();
    let database: Database | undefined;
    let proc: PaygateProcess | undefined;
    try {
      await postgres.start();
      database = await openDatabase({ kind: 'postgres', url: postgres.url, poolSize: 2 });
      await migrate(database.db);
      const services = await createServices(database, { sessionTtlSeconds: 3600, reauthWindowSeconds: 300 }, MASTER_KEY);
      const { bpId } = await services.accounts.signUp(
        { email: EMAIL, password: PASSWORD, name: 'Restart', businessName: 'Restart Ltd' },
        { ip: '127.0.0.1', userAgent: null, requestId: 'test' },
      );
      await services.detach();
      const base = await receiver.start();
      await seedDeliveryBacklog(database.db, { bpId, url: `${base}/hook`, count: COUNT, tag: 'pgrst' });
      // Our own connections would only see the restart as errors; reopen afterwards.
      await database.close();
      database = undefined;

      proc = new PaygateProcess(await freePort(), {
        DATABASE_URL: postgres.url,
        PAYGATE_MASTER_KEY: MASTER_KEY.toString('base64'),
        PAYGATE_ROLE: 'all',
        PAYGATE_CALLBACK_ALLOWED_RANGES: '127.0.0.0/8',
        // Short leases: callbacks sent but not recorded during the outage are re-claimed soon after.
        PAYGATE_CALLBACK_LEASE_SECONDS: '5',
        PAYGATE_CALLBACK_REQUESTS_PER_URL: '8',
        PAYGATE_SANDBOX_AUTO_CONFIRM_SECONDS: '0',
        LOG_LEVEL: 'warn',
      });
      await proc.ready();
      const api = proc.url;
      expect((await readyz(api)).status).toBe(200);

      await receiver.waitFor(COUNT / 5, 120_000);
      const whileStopping = await probeDuring(proc, () => postgres.stop('fast'));
      expectServedOr503(whileStopping, 'shutting down');
      const receivedAtStop = receiver.received.length;
      // Mid-stream: the restart must land while callbacks are still owed.
      expect(receivedAtStop).toBeLessThan(COUNT);

      // While the database is down every request that needs it is a 503, never a 500 or a hang.
      const answers: Answer[] = [];
      const probeUntil = Date.now() + OUTAGE_PROBE_MS;
      while (Date.now() < probeUntil) {
        try {
          answers.push(...(await Promise.all([readyz(api), logIn(api)])));
        } catch (error: unknown) {
          // A refused connection or a timeout: say whether the process is gone, and what it printed.
          throw new Error(`the API did not answer while PostgreSQL was down (paygate exit code ${proc.child.exitCode}):\n${proc.output.slice(-8_000)}`, {
            cause: error,
          });
        }
        await sleep(200);
      }
      expect(proc.child.exitCode, proc.output).toBeNull();
      expect(answers.length).toBeGreaterThanOrEqual(6);
      for (const answer of answers) {
        expect(
          { what: answer.what, status: answer.status, contentType: answer.contentType, retryAfter: answer.retryAfter, body: answer.body },
          `${answer.what} while PostgreSQL is down`,
        ).toMatchObject({
          status: 503,
          contentType: expect.stringContaining('application/problem+json'),
          retryAfter: '5',
          body: { status: 503, code: 'database_unavailable', type: 'urn:paygate:error:database_unavailable' },
        });
      }

      const whileStarting = await probeDuring(proc, () => postgres.start());
      expectServedOr503(whileStarting, 'starting up');
      const distinctAtStart = new Set(receiver.received.map((r) => String(r.headers['webhook-id']))).size;
      // The worker must have had to claim again after the restart (not just finish what it held).
      expect(distinctAtStart).toBeLessThan(COUNT);

      const deadline = Date.now() + 120_000;
      const distinct = () => new Set(receiver.received.map((r) => String(r.headers['webhook-id']))).size;
      while (distinct() < COUNT && Date.now() < deadline && proc.child.exitCode === null) await sleep(200);
      expect(proc.child.exitCode, proc.output).toBeNull();
      expect(distinct(), `callbacks received (output:\n${proc.output.slice(-4_000)})`).toBe(COUNT);

      // The receiver answers before the worker records success: let the log catch up.
      const check = await openDatabase({ kind: 'postgres', url: postgres.url, poolSize: 2 });
      database = check;
      while ((await countUnfinished(check)) > 0 && Date.now() < deadline) await sleep(200);
      expect(await countUnfinished(check)).toBe(0);

      // Duplicates are resends of one message (same webhook-id, same body), never different content.
      const perId = new Map<string, Set<string>>();
      for (const r of receiver.received) {
        const id = String(r.headers['webhook-id']);
        perId.set(id, (perId.get(id) ?? new Set()).add(r.body));
      }
      expect(perId.size).toBe(COUNT);
      for (const [id, bodies] of perId) expect(bodies.size, `bodies sent for ${id}`).toBe(1);

      // Back to normal once PostgreSQL is: readiness first (the pool reconnects), then a real log-in.
      let ready = await readyz(api);
      const readyDeadline = Date.now() + 15_000;
      while (ready.status !== 200 && Date.now() < readyDeadline) {
        await sleep(250);
        ready = await readyz(api);
      }
      expect(ready.status, JSON.stringify(ready.body)).toBe(200);
      const login = await logIn(api);
      expect(login.status, JSON.stringify(login.body)).toBe(200);

      // Survived the outage without an unhandled error taking it down.
      expect(proc.child.exitCode, proc.output).toBeNull();
      expect(proc.output).not.toMatch(/unhandled|uncaught/i);
      expect(await proc.stop('SIGTERM')).toBe(0);
    } finally {
      await proc?.stop('SIGKILL');
      await receiver.stop();
      await database?.close();
      await postgres.destroy();
    }
  }, 240_000);
});

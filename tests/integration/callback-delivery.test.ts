import { verifyCallback } from '@paygate/protocol';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../apps/server/src/lib/logger.js';
import { CallbackDeliveryWorker, type DeliveryOptions } from '../../apps/server/src/modules/callbacks/delivery.js';
import { describeEachDatabase } from '../support/databases.js';
import { CallbackReceiver } from '../support/receiver.js';
import { Agent, createTestServer, type TestServer } from '../support/server.js';

let seq = 0;
const email = (n: string) => `${n}.${Date.now()}.${++seq}@example.com`;
const OPTIONS: DeliveryOptions = { retryScheduleMs: [0, 30, 30], batchSize: 50, perOriginConnections: 4, pollIntervalMs: 20, allowedRanges: ['127.0.0.0/8'] };

describeEachDatabase('durable callback delivery', (kind) => {
  let server: TestServer;
  let receiver: CallbackReceiver;
  const workers: CallbackDeliveryWorker[] = [];

  beforeAll(async () => {
    server = await createTestServer(kind, { allowHttpCallbacks: true });
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    await receiver?.stop();
  });
  afterAll(async () => server.close());

  function worker(options: Partial<DeliveryOptions> = {}): CallbackDeliveryWorker {
    const s = server.services;
    const w = new CallbackDeliveryWorker(s.database, s.apiSecrets, s.audit, s.clock, createLogger('silent'), { ...OPTIONS, ...options });
    workers.push(w);
    return w;
  }

  /** A BP whose six callback URLs point at a fresh receiver. */
  async function bpWithReceiver(kinds = ['deposit', 'pendingDeposit', 'failedDeposit', 'payout', 'pendingPayout', 'failedPayout']) {
    receiver = new CallbackReceiver();
    const base = await receiver.start();
    const owner = new Agent(server.app);
    const bpId = (await owner.signUp(email('receiver'))).activeBpId ?? '';
    const urls = Object.fromEntries(kinds.map((k) => [k, { url: `${base}/hooks/${k}` }]));
    const saved = await owner.request('PUT', `/api/bps/${bpId}/callbacks/settings`, { urls });
    expect(saved.statusCode, saved.body).toBe(200);
    const secret = (await owner.post(`/api/bps/${bpId}/api-secret/reveal`)).json().items[0].secret as string;
    const bp = { bpId, environment: 'sandbox' as const };
    return { owner, bpId, bp, secret };
  }

  it('delivers a transaction’s callbacks in order, signed, with the message id as webhook-id, and logs each attempt', async () => {
    const { bp, secret } = await bpWithReceiver();
    await server.services.sandbox.simulateDeposit(bp, { network: 'TRX-SHASTA', token: 'USDT', identifier: 'u1', amount: '50', outcome: 'confirm' });
    await worker().start();
    await receiver.waitFor(2);
    expect(receiver.received.map((r) => r.headers['paygate-callback-type'])).toEqual(['pendingDeposit', 'deposit']);
    expect(receiver.received.map((r) => r.path)).toEqual(['/hooks/pendingDeposit', '/hooks/deposit']);
    for (const r of receiver.received) {
      const verified = verifyCallback<{ amount: string; status: string }>({ rawBody: r.body, headers: r.headers, secret });
      expect(verified.schemes).toEqual(['standard-webhooks', 'signature']);
      expect(verified.payload.amount).toBe('50');
      expect(verified.webhookId).toMatch(/^msg_/);
    }
    const deliveries = await server.services.database.db
      .selectFrom('callback_deliveries')
      .selectAll()
      .where('bp_id', '=', bp.bpId)
      .orderBy('sequence')
      .execute();
    expect(deliveries.map((d) => [d.kind, d.status, d.attempts, d.last_status_code])).toEqual([
      ['pendingDeposit', 'succeeded', 1, 200],
      ['deposit', 'succeeded', 1, 200],
    ]);
    expect(deliveries.map((d) => d.message_id)).toEqual(receiver.received.map((r) => r.headers['webhook-id']));
    const attempts = await server.services.database.db
      .selectFrom('callback_attempts')
      .selectAll()
      .where('delivery_id', '=', deliveries[0]?.id ?? '')
      .execute();
    expect(attempts).toEqual([expect.objectContaining({ attempt: 1, status_code: 200, error_class: null, response_excerpt: '{"ok":true}' })]);
  });

  it('keeps order when the first callback needs retries: the later one waits; the same webhook-id on every retry', async () => {
    const { bp } = await bpWithReceiver();
    receiver.respond = (_r, i) => ({ status: i < 2 ? 500 : 200 });
    await server.services.sandbox.simulateDeposit(bp, { network: 'SEP', identifier: 'u2', amount: '1', outcome: 'confirm' });
    const w = worker();
    for (let round = 0; round < 40 && receiver.received.length < 4; round++) {
      await w.runOnce();
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(receiver.received.map((r) => `${r.headers['paygate-callback-type']}:${receiver.received.indexOf(r) < 2 ? 500 : 200}`)).toEqual([
      'pendingDeposit:500',
      'pendingDeposit:500',
      'pendingDeposit:200',
      'deposit:200',
    ]);
    expect(new Set(receiver.received.slice(0, 3).map((r) => r.headers['webhook-id'])).size).toBe(1);
    const first = await server.services.database.db
      .selectFrom('callback_deliveries')
      .select(['id', 'attempts'])
      .where('bp_id', '=', bp.bpId)
      .where('kind', '=', 'pendingDeposit')
      .executeTakeFirstOrThrow();
    expect(first.attempts).toBe(3);
    const attempts = await server.services.database.db
      .selectFrom('callback_attempts')
      .select(['attempt', 'status_code', 'error_class'])
      .where('delivery_id', '=', first.id)
      .orderBy('attempt')
      .execute();
    expect(attempts).toEqual([
      { attempt: 1, status_code: 500, error_class: 'non_2xx' },
      { attempt: 2, status_code: 500, error_class: 'non_2xx' },
      { attempt: 3, status_code: 200, error_class: null },
    ]);
  });

  it('marks a delivery failed when the schedule is exhausted and tells the team; later callbacks of the transaction then go out', async () => {
    const { bp, owner, bpId } = await bpWithReceiver();
    receiver.respond = (r) => ({ status: r.path.endsWith('pendingDeposit') ? 500 : 200 });
    await server.services.sandbox.simulateDeposit(bp, { network: 'SEP', identifier: 'u3', amount: '1', outcome: 'confirm' });
    const w = worker();
    for (let round = 0; round < 40 && receiver.received.length < 4; round++) {
      await w.runOnce();
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(receiver.received.map((r) => r.headers['paygate-callback-type'])).toEqual(['pendingDeposit', 'pendingDeposit', 'pendingDeposit', 'deposit']);
    const failed = await server.services.database.db
      .selectFrom('callback_deliveries')
      .select(['status', 'attempts', 'last_error'])
      .where('bp_id', '=', bpId)
      .where('kind', '=', 'pendingDeposit')
      .executeTakeFirstOrThrow();
    expect(failed).toEqual({ status: 'failed', attempts: 3, last_error: 'HTTP 500' });
    const notes = (await owner.get(`/api/bps/${bpId}/notifications`)).json();
    expect(notes.items[0]).toMatchObject({ title: 'Callback delivery failed', severity: 'critical' });
  });

  it('honours Retry-After on 429/503 (capped), records refused connections, and sends nothing for kinds without a URL', async () => {
    const { bp, bpId } = await bpWithReceiver(['pendingDeposit']);
    receiver.respond = () => ({ status: 503, headers: { 'retry-after': '2' } });
    await server.services.sandbox.simulateDeposit(bp, { network: 'SEP', identifier: 'u4', amount: '1', outcome: 'confirm' });
    const w = worker();
    await w.runOnce();
    const row = await server.services.database.db.selectFrom('callback_deliveries').selectAll().where('bp_id', '=', bpId).execute();
    expect(row.map((r) => r.kind)).toEqual(['pendingDeposit']);
    const wait = (row[0]?.next_attempt_at.getTime() ?? 0) - Date.now();
    expect(wait).toBeGreaterThan(1500);
    expect(wait).toBeLessThanOrEqual(2000);
    await receiver.stop();
    await server.services.database.db.updateTable('callback_deliveries').set({ next_attempt_at: new Date() }).where('bp_id', '=', bpId).execute();
    await w.runOnce();
    const attempts = await server.services.database.db
      .selectFrom('callback_attempts')
      .select(['error_class'])
      .where('delivery_id', '=', row[0]?.id ?? '')
      .orderBy('attempt')
      .execute();
    expect(attempts.map((a) => a.error_class)).toEqual(['non_2xx', 'refused']);
    receiver = new CallbackReceiver();
    await receiver.start();
  });

  it('SSRF guard: callback URLs resolving to each blocked range are refused and logged as blocked', async () => {
    const { bp, bpId } = await bpWithReceiver(['deposit']);
    const targets = [
      'http://127.0.0.1:9/x',
      'http://localhost:9/x',
      'http://10.1.2.3/x',
      'http://172.16.0.1/x',
      'http://192.168.1.1/x',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/x',
      'http://224.0.0.1/x',
      'http://0.0.0.0/x',
      'http://[::1]:9/x',
      'http://[fd00::1]/x',
      'http://[fe80::1]/x',
      'http://[::ffff:127.0.0.1]:9/x',
      'http://[::ffff:a9fe:a9fe]/x',
    ];
    const db = server.services.database.db;
    const guarded = worker({ allowedRanges: [] });
    for (const url of targets) {
      await db.updateTable('callback_urls').set({ url }).where('bp_id', '=', bpId).where('kind', '=', 'deposit').execute();
      const tx = await server.services.sandbox.simulateDeposit(bp, {
        network: 'SEP',
        identifier: `ssrf-${targets.indexOf(url)}`,
        amount: '1',
        outcome: 'confirm',
      });
      await guarded.runOnce();
      const delivery = await db.selectFrom('callback_deliveries').select(['id', 'url']).where('transaction_id', '=', tx.id).executeTakeFirstOrThrow();
      const attempt = await db
        .selectFrom('callback_attempts')
        .select(['error_class', 'error_message'])
        .where('delivery_id', '=', delivery.id)
        .executeTakeFirstOrThrow();
      expect(attempt.error_class, url).toBe('blocked');
      expect(attempt.error_message, url).toContain('SSRF guard');
    }
    expect(receiver.received).toHaveLength(0);
  });

  it.runIf(kind === 'postgres')('two workers on one PostgreSQL never deliver a callback twice', async () => {
    const { bp } = await bpWithReceiver();
    for (let i = 0; i < 40; i++) await server.services.sandbox.simulateDeposit(bp, { network: 'SEP', identifier: `w${i}`, amount: '1', outcome: 'confirm' });
    await Promise.all([worker().start(), worker().start()]);
    await receiver.waitFor(80, 30_000);
    await new Promise((r) => setTimeout(r, 300));
    const ids = receiver.received.map((r) => String(r.headers['webhook-id']));
    expect(ids).toHaveLength(80);
    expect(new Set(ids).size).toBe(80);
  });
});

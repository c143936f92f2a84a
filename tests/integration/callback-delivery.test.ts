import { verifyCallback } from '@paygate/protocol';
import { Paygate, PaygateApiError } from '@paygate/sdk';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../apps/server/src/lib/logger.js';
import { CallbackDeliveryWorker, type DeliveryOptions } from '../../apps/server/src/modules/callbacks/delivery.js';
import { independentAkashicVerify } from '../support/akashic-verifier.js';
import { describeEachDatabase } from '../support/databases.js';
import { issueKeyPair } from '../support/keypairs.js';
import { CallbackReceiver } from '../support/receiver.js';
import { Agent, createTestServer, type TestServer } from '../support/server.js';

let seq = 0;
const email = (n: string) => `${n}.${Date.now()}.${++seq}@example.com`;
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error: unknown) {
    if (error instanceof PaygateApiError) return error.code;
    throw error;
  }
}

const OPTIONS: DeliveryOptions = { retryScheduleMs: [0, 30, 30], batchSize: 50, requestsPerUrl: 4, pollIntervalMs: 20, allowedRanges: ['127.0.0.0/8'] };

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
    // A later test's receiver may get the same port: no test's unfinished deliveries may reach it.
    await server.services.database.db
      .updateTable('callback_deliveries')
      .set({ status: 'failed', completed_at: new Date(), locked_until: null })
      .where('status', 'in', ['pending', 'delivering'])
      .execute();
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
      // What was delivered verifies with verifiers that share no code with Paygate.
      const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));
      expect(new Webhook(secret).verify(r.body, headers)).toEqual(JSON.parse(r.body));
      expect(independentAkashicVerify(secret, r.body, headers.signature ?? '')).toBe(true);
      expect(independentAkashicVerify(secret, `${r.body} `.replace('"50"', '"5000"'), headers.signature ?? '')).toBe(false);
    }
    // The receiver answers before the worker records the attempt: wait for the log to settle.
    const load = () => server.services.database.db.selectFrom('callback_deliveries').selectAll().where('bp_id', '=', bp.bpId).orderBy('sequence').execute();
    let deliveries = await load();
    for (let i = 0; i < 100 && deliveries.some((d) => d.status !== 'succeeded'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      deliveries = await load();
    }
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

  it('delivery log, resend, recover, and the verification round-trip that refuses forged callbacks', async () => {
    const { bp, bpId, owner, secret } = await bpWithReceiver();
    const key = await issueKeyPair(owner, bpId);
    await server.listen();
    const sdk = Paygate.fromKeyFile(key.keyFile, { baseUrl: server.url, maxRetries: 0 });
    receiver.respond = () => ({ status: 500 });
    await server.services.sandbox.simulateDeposit(bp, { network: 'SEP', identifier: 'log', amount: '1', outcome: 'pending' });
    const w = worker();
    for (let i = 0; i < 3; i++) {
      await w.runOnce();
      await new Promise((r) => setTimeout(r, 40));
    }
    const list = (await owner.get(`/api/bps/${bpId}/callbacks/deliveries?status=failed`)).json();
    expect(list.items).toHaveLength(1);
    const detail = (await owner.get(`/api/bps/${bpId}/callbacks/deliveries/${list.items[0].id}`)).json();
    expect(detail.delivery).toMatchObject({ kind: 'pendingDeposit', status: 'failed', attempts: 3, lastError: 'HTTP 500' });
    expect(detail.attempts.map((a: { statusCode: number; errorClass: string }) => [a.statusCode, a.errorClass])).toEqual([
      [500, 'non_2xx'],
      [500, 'non_2xx'],
      [500, 'non_2xx'],
    ]);
    expect(detail.attempts[0].requestHeaders['webhook-id']).toBe(detail.delivery.messageId);
    expect(detail.attempts[0].responseExcerpt).toBe('{"ok":true}');
    expect(verifyCallback({ rawBody: detail.body, headers: { signature: detail.attempts[0].requestHeaders.signature }, secret }).schemes).toEqual([
      'signature',
    ]);

    receiver.respond = () => ({ status: 200 });
    const before = receiver.received.length;
    expect((await owner.post(`/api/bps/${bpId}/callbacks/deliveries/${list.items[0].id}/resend`)).statusCode).toBe(202);
    await w.runOnce();
    expect(receiver.received.length).toBe(before + 1);
    expect((await owner.post(`/api/bps/${bpId}/callbacks/deliveries/recover`, { since: new Date(Date.now() - 3600_000).toISOString() })).json()).toEqual({
      requeued: 0,
    });

    // The BP checks a callback it received: genuine → payload + a confirming `verification` callback.
    const genuine = receiver.received.at(-1);
    const webhookId = String(genuine?.headers['webhook-id']);
    const verified = await sdk.request<{ verified: boolean; kind: string; payload: { amount: string } }>('POST', '/v1/callbacks/verify', {
      body: { webhookId, signature: String(genuine?.headers.signature) },
    });
    expect(verified).toMatchObject({ verified: true, kind: 'pendingDeposit', payload: { amount: '1' } });
    await w.runOnce();
    const confirmation = receiver.received.at(-1);
    expect(confirmation?.headers['paygate-callback-type']).toBe('verification');
    expect(confirmation?.path).toBe('/hooks/pendingDeposit');
    expect(JSON.parse(confirmation?.body ?? '{}')).toMatchObject({ verified: true, webhookId });
    // Forged: unknown id → 404; altered signature → 422; another BP's id → 404.
    expect(await codeOf(sdk.request('POST', '/v1/callbacks/verify', { body: { webhookId: 'msg_forged000000000000000000000' } }))).toBe('callback_unknown');
    expect(await codeOf(sdk.request('POST', '/v1/callbacks/verify', { body: { webhookId, signature: '0'.repeat(64) } }))).toBe('callback_mismatch');
    const stranger = await bpWithReceiver();
    const strangerKey = await issueKeyPair(stranger.owner, stranger.bpId);
    const strangerSdk = Paygate.fromKeyFile(strangerKey.keyFile, { baseUrl: server.url, maxRetries: 0 });
    expect(await codeOf(strangerSdk.request('POST', '/v1/callbacks/verify', { body: { webhookId } }))).toBe('callback_unknown');
    expect((await stranger.owner.get(`/api/bps/${bpId}/callbacks/deliveries`)).statusCode).toBe(404);
  });

  it('outage: while the receiver is down attempts fail as refused; once it is back every callback is delivered, on schedule', async () => {
    const { bp, bpId } = await bpWithReceiver(['deposit', 'pendingDeposit']);
    const port = Number(new URL(receiver.url).port);
    await receiver.stop();
    for (let i = 0; i < 5; i++)
      await server.services.sandbox.simulateDeposit(bp, { network: 'SEP', identifier: `outage-${i}`, amount: '1', outcome: 'confirm' });
    const w = worker({ retryScheduleMs: [0, 50, 50, 50, 50, 50, 50, 50] });
    for (let i = 0; i < 3; i++) {
      await w.runOnce();
      await new Promise((r) => setTimeout(r, 60));
    }
    const refused = await server.services.database.db
      .selectFrom('callback_attempts as a')
      .innerJoin('callback_deliveries as d', 'd.id', 'a.delivery_id')
      .select('a.error_class')
      .where('d.bp_id', '=', bpId)
      .execute();
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused.map((r) => r.error_class))).toEqual(new Set(['refused']));
    receiver = new CallbackReceiver();
    await receiver.start('127.0.0.1', port);
    for (let i = 0; i < 30 && receiver.received.length < 10; i++) {
      await w.runOnce();
      await new Promise((r) => setTimeout(r, 60));
    }
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(10);
    // Per transaction, pendingDeposit still came before deposit.
    const byTx = new Map<string, string[]>();
    for (const r of receiver.received) {
      const tx = (JSON.parse(r.body) as { id: string }).id;
      byTx.set(tx, [...(byTx.get(tx) ?? []), String(r.headers['paygate-callback-type'])]);
    }
    for (const kinds of byTx.values()) expect(kinds).toEqual(['pendingDeposit', 'deposit']);
  });

  it('a hanging endpoint holds only its own slots: other BPs’ callbacks go out meanwhile, and stopping does not wait for its backlog', async () => {
    const slow = await bpWithReceiver(['pendingDeposit']);
    const slowReceiver = receiver;
    try {
      // Answers long after the BP's 2 s timeout: every attempt to it is a timeout.
      slowReceiver.respond = () => ({ status: 200, delayMs: 10_000 });
      const timeout = await slow.owner.request('PUT', `/api/bps/${slow.bpId}/callbacks/settings`, { timeoutMs: 2000, urls: {} });
      expect(timeout.statusCode, timeout.body).toBe(200);
      for (let i = 0; i < 30; i++)
        await server.services.sandbox.simulateDeposit(slow.bp, { network: 'SEP', identifier: `slow-${i}`, amount: '1', outcome: 'pending' });
      const db = server.services.database.db;
      const slowAttempts = () =>
        db
          .selectFrom('callback_attempts as a')
          .innerJoin('callback_deliveries as d', 'd.id', 'a.delivery_id')
          .select(['a.error_class', 'd.id'])
          .where('d.bp_id', '=', slow.bpId)
          .execute();

      const w = worker({ requestsPerUrl: 2, batchSize: 50, maxInFlight: 100 });
      await w.start();
      // The worker holds all 30 and is stuck on the first two until they time out...
      await slowReceiver.waitFor(2, 10_000);
      const fast = await bpWithReceiver(['pendingDeposit']);
      for (let i = 0; i < 10; i++)
        await server.services.sandbox.simulateDeposit(fast.bp, { network: 'SEP', identifier: `fast-${i}`, amount: '1', outcome: 'pending' });
      // ...yet another BP's callbacks, created now, go out before those two have even timed out.
      await receiver.waitFor(10, 10_000);
      expect(await slowAttempts()).toEqual([]);
      expect(slowReceiver.peakActive).toBe(2);

      await slowReceiver.waitFor(4, 10_000);
      await w.stop();
      expect(slowReceiver.peakActive).toBe(2);
      const rows = await db.selectFrom('callback_deliveries').select(['id', 'status', 'attempts']).where('bp_id', '=', slow.bpId).execute();
      // After stop nothing is left claimed: the ones never sent went back to the queue unattempted.
      expect(rows.filter((r) => r.status === 'delivering')).toEqual([]);
      expect(rows.filter((r) => r.status === 'pending' && r.attempts === 0).length).toBeGreaterThan(0);
      // Each logged timeout is a request that really reached the endpoint (none timed out queued).
      const attempts = await slowAttempts();
      expect(attempts.length).toBe(slowReceiver.received.length);
      expect(new Set(attempts.map((a) => a.error_class))).toEqual(new Set(['timeout']));
      const attemptsByDelivery = new Map<string, number>();
      for (const a of attempts) attemptsByDelivery.set(a.id, (attemptsByDelivery.get(a.id) ?? 0) + 1);
      for (const r of rows) expect(r.attempts).toBe(attemptsByDelivery.get(r.id) ?? 0);
    } finally {
      await slowReceiver.stop();
    }
  });

  it('one BP’s unreadable API secret fails only its own callbacks (logged as signing, nothing sent); others go out in the same claim', async () => {
    const broken = await bpWithReceiver(['pendingDeposit']);
    const brokenReceiver = receiver;
    try {
      const healthy = await bpWithReceiver(['pendingDeposit']);
      const db = server.services.database.db;
      // Sealed for another BP: decrypting it under this BP's context fails, as with a changed master key.
      const foreign = await db.selectFrom('api_secrets').select('secret_enc').where('bp_id', '=', healthy.bpId).executeTakeFirstOrThrow();
      await db.updateTable('api_secrets').set({ secret_enc: foreign.secret_enc }).where('bp_id', '=', broken.bpId).execute();
      await server.services.sandbox.simulateDeposit(broken.bp, { network: 'SEP', identifier: 'broken', amount: '1', outcome: 'pending' });
      await server.services.sandbox.simulateDeposit(healthy.bp, { network: 'SEP', identifier: 'healthy', amount: '1', outcome: 'pending' });
      await worker().runOnce();
      expect(receiver.received).toHaveLength(1);
      expect(brokenReceiver.received).toHaveLength(0);
      const attempts = await db
        .selectFrom('callback_attempts as a')
        .innerJoin('callback_deliveries as d', 'd.id', 'a.delivery_id')
        .select(['d.bp_id', 'd.status', 'a.error_class', 'a.error_message', 'a.request_headers'])
        .where('d.bp_id', 'in', [broken.bpId, healthy.bpId])
        .execute();
      const byBp = new Map(attempts.map((a) => [a.bp_id, a]));
      expect(byBp.get(healthy.bpId)).toMatchObject({ status: 'succeeded', error_class: null });
      expect(byBp.get(broken.bpId)).toMatchObject({ status: 'pending', error_class: 'signing', request_headers: null });
      expect(byBp.get(broken.bpId)?.error_message).toMatch(/No active API secret could be read/);
    } finally {
      await brokenReceiver.stop();
    }
  });

  it('records an answer whose body holds NUL bytes (e.g. gzip) without them, and the delivery succeeds', async () => {
    const { bp, bpId } = await bpWithReceiver(['pendingDeposit']);
    receiver.respond = () => ({ status: 200, body: Buffer.from([0x1f, 0x8b, 0x00, 0x6f, 0x6b, 0x00]) });
    await server.services.sandbox.simulateDeposit(bp, { network: 'SEP', identifier: 'nul', amount: '1', outcome: 'pending' });
    await worker().runOnce();
    const db = server.services.database.db;
    const delivery = await db.selectFrom('callback_deliveries').select(['id', 'status']).where('bp_id', '=', bpId).executeTakeFirstOrThrow();
    expect(delivery.status).toBe('succeeded');
    const attempt = await db
      .selectFrom('callback_attempts')
      .select(['response_excerpt', 'status_code'])
      .where('delivery_id', '=', delivery.id)
      .executeTakeFirstOrThrow();
    expect(attempt.status_code).toBe(200);
    expect(attempt.response_excerpt).toContain('ok');
    expect(attempt.response_excerpt).not.toContain('\u0000');
  });

  it('an outcome the database refuses (its delivery was deleted meanwhile) does not keep the others in its batch from being recorded', async () => {
    const { bp, bpId } = await bpWithReceiver(['pendingDeposit']);
    for (let i = 0; i < 3; i++)
      await server.services.sandbox.simulateDeposit(bp, { network: 'SEP', identifier: `refused-${i}`, amount: '1', outcome: 'pending' });
    const db = server.services.database.db;
    let deleted: Promise<unknown> | undefined;
    receiver.respond = (r, index) => {
      // While the first callback is in flight, its message (and delivery) disappears: recording
      // its attempt then violates the foreign key.
      if (index === 0) deleted = db.deleteFrom('callback_messages').where('id', '=', String(r.headers['webhook-id'])).execute();
      return { status: 200, delayMs: 200 };
    };
    expect(await worker().runOnce()).toBe(3);
    expect(receiver.received).toHaveLength(3);
    await deleted;
    const rows = await db
      .selectFrom('callback_deliveries as d')
      .leftJoin('callback_attempts as a', 'a.delivery_id', 'd.id')
      .select(['d.status', 'a.status_code'])
      .where('d.bp_id', '=', bpId)
      .execute();
    expect(rows).toEqual([
      { status: 'succeeded', status_code: 200 },
      { status: 'succeeded', status_code: 200 },
    ]);
  });

  it('sends a test callback of a chosen kind, signed and marked as a test', async () => {
    const { owner, bpId, secret } = await bpWithReceiver(['payout']);
    const sent = await owner.post(`/api/bps/${bpId}/callbacks/test`, { kind: 'payout' });
    expect(sent.statusCode).toBe(202);
    expect((await owner.post(`/api/bps/${bpId}/callbacks/test`, { kind: 'deposit' })).json().code).toBe('callback_url_invalid');
    await worker().runOnce();
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0];
    expect(got?.headers['paygate-callback-type']).toBe('payout');
    expect(got?.headers['webhook-id']).toBe(sent.json().messageId);
    const verified = verifyCallback<{ test: boolean; status: string; type: string }>({ rawBody: got?.body ?? '', headers: got?.headers ?? {}, secret });
    expect(verified.payload).toMatchObject({ test: true, status: 'Confirmed', type: 'Withdrawal' });
  });

  it('sends from the configured source address (published for BP allowlists)', async () => {
    const { bp } = await bpWithReceiver(['deposit']);
    await server.services.sandbox.simulateDeposit(bp, { network: 'SEP', identifier: 'src', amount: '1', outcome: 'confirm' });
    await worker({ localAddress: '127.0.0.2' }).runOnce();
    expect(receiver.received.map((r) => r.remoteAddress)).toEqual(['127.0.0.2']);
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

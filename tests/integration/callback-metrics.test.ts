import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../apps/server/src/lib/logger.js';
import { CallbackDeliveryWorker } from '../../apps/server/src/modules/callbacks/delivery.js';
import { createDeliveryMetrics } from '../../apps/server/src/modules/callbacks/metrics.js';
import { describeEachDatabase } from '../support/databases.js';
import { CallbackReceiver } from '../support/receiver.js';
import { Agent, createTestServer, TestClock, type TestServer } from '../support/server.js';

/** The value of one sample in Prometheus text format (labels written exactly as exposed). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`no sample ${series} in:\n${text}`);
  return Number(line.slice(series.length + 1));
}

describeEachDatabase('callback metrics', (kind) => {
  let server: TestServer;
  const clock = new TestClock();
  const receiver = new CallbackReceiver();

  beforeAll(async () => {
    server = await createTestServer(kind, { allowHttpCallbacks: true, clock });
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await server.close();
  });

  const scrape = async () => {
    const response = await server.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    return response.body;
  };

  it('report the delivery queue (due, scheduled, in flight, oldest due age) and each attempt by result', async () => {
    const empty = await scrape();
    for (const state of ['due', 'scheduled', 'in_flight']) expect(sample(empty, `paygate_callback_deliveries{state="${state}"}`)).toBe(0);
    expect(sample(empty, 'paygate_callback_oldest_due_seconds')).toBe(0);

    const owner = new Agent(server.app);
    const bpId = (await owner.signUp(`metrics.${kind}.${Date.now()}@example.com`)).activeBpId ?? '';
    const saved = await owner.request('PUT', `/api/bps/${bpId}/callbacks/settings`, { urls: { pendingDeposit: { url: `${receiver.url}/hook` } } });
    expect(saved.statusCode, saved.body).toBe(200);
    for (const identifier of ['m1', 'm2'])
      await server.services.sandbox.simulateDeposit({ bpId, environment: 'sandbox' }, { network: 'SEP', identifier, amount: '1', outcome: 'pending' });
    // Deliveries are stamped by the database's clock; move the test clock 30 s past real now
    // (however long set-up took on a busy machine).
    clock.advance((Date.now() - clock.now().getTime()) / 1000 + 30);
    const waiting = await scrape();
    expect(sample(waiting, 'paygate_callback_deliveries{state="due"}')).toBe(2);
    expect(sample(waiting, 'paygate_callback_oldest_due_seconds')).toBeGreaterThan(20);
    expect(sample(waiting, 'paygate_callback_oldest_due_seconds')).toBeLessThan(120);

    const s = server.services;
    const worker = new CallbackDeliveryWorker(s.database, s.apiSecrets, s.audit, clock, createLogger('silent'), {
      retryScheduleMs: [0, 60_000, 60_000],
      batchSize: 10,
      requestsPerUrl: 2,
      pollIntervalMs: 50,
      allowedRanges: ['127.0.0.0/8'],
      metrics: createDeliveryMetrics(s.metrics.registry),
    });
    try {
      receiver.respond = () => ({ status: 500 });
      expect(await worker.runOnce()).toBe(2);
      const retrying = await scrape();
      expect(sample(retrying, 'paygate_callback_deliveries{state="due"}')).toBe(0);
      expect(sample(retrying, 'paygate_callback_deliveries{state="scheduled"}')).toBe(2);
      expect(sample(retrying, 'paygate_callback_oldest_due_seconds')).toBe(0);
      expect(sample(retrying, 'paygate_callback_attempts_total{result="non_2xx"}')).toBe(2);
      expect(sample(retrying, 'paygate_callback_attempt_duration_seconds_count{result="non_2xx"}')).toBe(2);
      expect(sample(retrying, 'paygate_callback_worker_held')).toBe(0);

      clock.advance(70); // past the 60 s retry and its ±10 % jitter
      receiver.respond = () => ({ status: 204 });
      expect(await worker.runOnce()).toBe(2);
      const done = await scrape();
      for (const state of ['due', 'scheduled', 'in_flight']) expect(sample(done, `paygate_callback_deliveries{state="${state}"}`)).toBe(0);
      expect(sample(done, 'paygate_callback_attempts_total{result="success"}')).toBe(2);
      expect(sample(done, 'paygate_callback_attempts_total{result="non_2xx"}')).toBe(2);
    } finally {
      await worker.stop();
    }
  });
});

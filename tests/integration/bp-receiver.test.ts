import type { AddressInfo } from 'node:net';
import { signCallback } from '@paygate/protocol';
import { Paygate } from '@paygate/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../apps/server/src/lib/logger.js';
import { CallbackDeliveryWorker } from '../../apps/server/src/modules/callbacks/delivery.js';
import { createReceiver } from '../../examples/bp-receiver/receiver.js';
import { describeEachDatabase } from '../support/databases.js';
import { issueKeyPair } from '../support/keypairs.js';
import { Agent, createTestServer, type TestServer } from '../support/server.js';

describeEachDatabase('the example BP receiver', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(kind, { allowHttpCallbacks: true });
    await server.listen();
  });
  afterAll(async () => server.close());

  it('verifies, confirms with Paygate, and credits each deposit exactly once; forged callbacks are refused', async () => {
    const owner = new Agent(server.app);
    const bpId = (await owner.signUp(`receiver.${Date.now()}@example.com`)).activeBpId ?? '';
    const key = await issueKeyPair(owner, bpId);
    const secret = (await owner.post(`/api/bps/${bpId}/api-secret/reveal`)).json().items[0].secret as string;
    const paygate = Paygate.fromKeyFile(key.keyFile, { baseUrl: server.url, maxRetries: 0 });
    const log: string[] = [];
    const { server: receiver, ledger } = createReceiver({ secret, paygate, log: (l) => log.push(l) });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    try {
      await owner.request('PUT', `/api/bps/${bpId}/callbacks/settings`, { urls: { deposit: { url: `${base}/` }, pendingDeposit: { url: `${base}/` } } });
      const worker = new CallbackDeliveryWorker(
        server.services.database,
        server.services.apiSecrets,
        server.services.audit,
        server.services.clock,
        createLogger('silent'),
        {
          retryScheduleMs: [0, 30],
          batchSize: 50,
          requestsPerUrl: 4,
          pollIntervalMs: 20,
          allowedRanges: ['127.0.0.0/8'],
        },
      );
      const bp = { bpId, environment: 'sandbox' as const };
      await server.services.sandbox.simulateDeposit(bp, { network: 'TRX-SHASTA', token: 'USDT', identifier: 'alice', amount: '120', outcome: 'confirm' });
      await paygate.payout({
        referenceId: 'to-self',
        to: (await paygate.getDepositAddress({ network: 'TRX-SHASTA', identifier: 'bob' })).address,
        amount: '20',
        network: 'TRX-SHASTA',
        token: 'USDT',
      });
      for (let i = 0; i < 6; i++) {
        await worker.runOnce();
        await new Promise((r) => setTimeout(r, 30));
      }
      expect([...ledger.credits].sort((a, b) => a.account.localeCompare(b.account))).toEqual([
        { account: 'alice', asset: 'USDT', amount: '120', reference: expect.stringMatching(/^[0-9a-f]{64}:alice$/) },
        { account: 'bob', asset: 'USDT', amount: '20', reference: expect.stringMatching(/^l2_/) },
      ]);

      // Paygate resends the deposit callback (same webhook-id): not credited again.
      const deliveries = (await owner.get(`/api/bps/${bpId}/callbacks/deliveries?kind=deposit`)).json().items as { id: string }[];
      for (const d of deliveries) await owner.post(`/api/bps/${bpId}/callbacks/deliveries/${d.id}/resend`);
      for (let i = 0; i < 3; i++) await worker.runOnce();
      expect(ledger.credits).toHaveLength(2);

      // Forged: wrong secret → 401; right secret but never sent by Paygate → refused by the round-trip.
      const forged = signCallback({
        payload: { type: 'Deposit', status: 'Confirmed', amount: '1000000', identifier: 'mallory', txHash: 'f'.repeat(64), tokenSymbol: 'USDT' },
        webhookId: 'msg_forged000000000000000000000',
        timestamp: Math.floor(Date.now() / 1000),
        secrets: ['whsec_b3RoZXItc2VjcmV0LW5vdC11c2VkLWhlcmUtLi4uLi4='],
        kind: 'deposit',
      });
      const wrongSecret = await fetch(`${base}/`, { method: 'POST', headers: forged.headers, body: forged.body });
      expect(wrongSecret.status).toBe(401);
      const leaked = signCallback({
        payload: { type: 'Deposit', status: 'Confirmed', amount: '1000000', identifier: 'mallory', txHash: 'f'.repeat(64), tokenSymbol: 'USDT' },
        webhookId: 'msg_forged000000000000000000000',
        timestamp: Math.floor(Date.now() / 1000),
        secrets: [secret],
        kind: 'deposit',
      });
      const withLeakedSecret = await fetch(`${base}/`, { method: 'POST', headers: leaked.headers, body: leaked.body });
      expect(withLeakedSecret.status).toBe(204);
      expect(ledger.credits.map((c) => c.account)).not.toContain('mallory');
      expect(log).toContain('refused msg_forged000000000000000000000: callback_unknown');
      await worker.stop();
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});

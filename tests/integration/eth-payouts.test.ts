import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseEther, parseGwei, parseTransaction } from 'viem';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemClock } from '../../apps/server/src/lib/clock.js';
import { createLogger } from '../../apps/server/src/lib/logger.js';
import { CallbackDeliveryWorker } from '../../apps/server/src/modules/callbacks/delivery.js';
import type { EthereumSigner } from '../../apps/server/src/modules/chains/ethereum/signer.js';
import type { PayoutPipeline } from '../../apps/server/src/modules/chains/payouts/service.js';
import type { Bp } from '../../apps/server/src/modules/payments/service.js';
import type { PayoutConfig } from '../../apps/server/src/payout-config.js';
import { Anvil } from '../support/anvil.js';
import { describeEachDatabase } from '../support/databases.js';
import { deployTether, hotWallet, payoutConfig, publicClient, signerFor } from '../support/payout-chain.js';
import { fundedLiveBp, pipelineFor, randomAddress, settle } from '../support/payout-fixture.js';
import { CallbackReceiver } from '../support/receiver.js';
import { type Agent, createTestServer, TestClock, type TestServer } from '../support/server.js';

const ETH = 10n ** 18n;
const USDT = 10n ** 6n;

describeEachDatabase('Ethereum payouts on a real node (Anvil)', (kind) => {
  let anvil: Anvil;
  let server: TestServer;
  let config: PayoutConfig;
  let signer: EthereumSigner;
  let pipeline: PayoutPipeline;
  let tether: Awaited<ReturnType<typeof deployTether>>;
  let hot: { key: `0x${string}`; address: `0x${string}` };
  let bp: Bp;
  let agent: Agent;
  const clock = new TestClock();
  const receiver = new CallbackReceiver();
  let delivery: CallbackDeliveryWorker;

  beforeAll(async () => {
    anvil = await Anvil.start({ chainId: 1, mining: 'manual' });
    tether = await deployTether(anvil);
    config = payoutConfig(anvil, 'ETH', { usdt: tether.address, replaceAfterSeconds: 60, confirmations: 3 });
    server = await createTestServer(kind, { clock, payouts: config, allowHttpCallbacks: true });
    hot = await hotWallet(anvil, '100');
    await tether.mint(hot.address, 1_000_000n * USDT);
    signer = signerFor(config, 'ETH', hot.key);
    pipeline = pipelineFor(server, signer, config, clock);
    await pipeline.start();
    ({ bp, agent } = await fundedLiveBp(server, [
      { network: 'ETH', token: null, amount: 50n * ETH },
      { network: 'ETH', token: 'USDT', amount: 100_000n * USDT },
    ]));
    const base = await receiver.start();
    const urls = Object.fromEntries(['payout', 'pendingPayout', 'failedPayout'].map((k) => [k, { url: `${base}/hooks/${k}` }]));
    const saved = await agent.request('PUT', `/api/bps/${bp.bpId}/callbacks/settings`, { urls });
    expect(saved.statusCode, saved.body).toBe(200);
    const s = server.services;
    // Deliveries are due by the database's clock; the test clock only steers payout replacement.
    delivery = new CallbackDeliveryWorker(s.database, s.apiSecrets, s.audit, systemClock, createLogger('silent'), {
      retryScheduleMs: [0, 30],
      batchSize: 50,
      requestsPerUrl: 4,
      pollIntervalMs: 20,
      allowedRanges: ['127.0.0.0/8'],
    });
    await delivery.start();
  }, 180_000);
  afterAll(async () => {
    await delivery?.stop();
    await receiver.stop();
    await server?.close();
    await anvil?.stop();
  });

  const db = () => server.services.database.db;
  const balance = async (currency: string) => {
    const row = await db().selectFrom('balances').selectAll().where('bp_id', '=', bp.bpId).where('currency', '=', currency).executeTakeFirstOrThrow();
    return { available: BigInt(row.available), reserved: BigInt(row.reserved), pending: BigInt(row.pending) };
  };
  const ledgerMatches = async (currency: string) => {
    const sums = await server.services.payments.journalSums(bp.bpId, currency);
    const b = await balance(currency);
    expect(sums).toEqual({ available: b.available, reserved: b.reserved, pending: b.pending });
  };
  const attempts = (transactionId: string) =>
    db().selectFrom('payout_attempts').selectAll().where('transaction_id', '=', transactionId).orderBy('created_at').execute();
  const tokenBalance = (owner: string) =>
    publicClient(anvil).readContract({
      address: tether.address,
      abi: [
        { type: 'function', name: 'balanceOf', stateMutability: 'view', inputs: [{ name: 'o', type: 'address' }], outputs: [{ name: '', type: 'uint256' }] },
      ] as const,
      functionName: 'balanceOf',
      args: [owner as `0x${string}`],
    });

  it('an ETH payout: no hash until signed, Confirmed after the depth with feesPaid = gasUsed × effectiveGasPrice, callbacks delivered', async () => {
    const to = randomAddress();
    const before = await balance('ETH');
    const { transaction } = await server.services.payments.createPayout(bp, { referenceId: `eth-${kind}`, to, amount: '1.25', network: 'ETH' });
    expect(transaction).toMatchObject({ status: 'Pending', layer: 'L1', tx_hash: null, fees_paid: null });
    const reserve = config.nativeGasLimit * config.maxFeePerGasWei;
    expect(await balance('ETH')).toMatchObject({
      available: before.available - (1_250_000_000_000_000_000n + reserve),
      reserved: 1_250_000_000_000_000_000n + reserve,
    });

    await pipeline.tick();
    const [attempt] = await attempts(transaction.id);
    expect(attempt).toMatchObject({ state: 'broadcast', nonce: '0' });
    expect(await anvil.pendingHashes()).toEqual([attempt?.hash]);
    const shown = await server.services.payments.getTransaction(bp, transaction.id);
    expect(shown).toMatchObject({ status: 'Pending', txHash: attempt?.hash, fromAddress: hot.address });

    await anvil.mine(1);
    await pipeline.tick();
    expect((await server.services.payments.getTransaction(bp, transaction.id)).status).toBe('Pending'); // 1 of 3 confirmations
    await anvil.mine(2);
    await pipeline.tick();
    const done = await db().selectFrom('transactions').selectAll().where('id', '=', transaction.id).executeTakeFirstOrThrow();
    const receipt = await publicClient(anvil).getTransactionReceipt({ hash: attempt?.hash as `0x${string}` });
    const burned = receipt.gasUsed * receipt.effectiveGasPrice;
    expect(done).toMatchObject({ status: 'Confirmed', tx_hash: attempt?.hash, fees_paid: burned.toString() });
    expect(await publicClient(anvil).getBalance({ address: to })).toBe(1_250_000_000_000_000_000n);
    expect(await balance('ETH')).toEqual({ available: before.available - 1_250_000_000_000_000_000n - burned, reserved: 0n, pending: 0n });
    await ledgerMatches('ETH');

    await receiver.waitFor(2);
    const bodies = receiver.received.map(
      (r) => JSON.parse(r.body) as { callbackType: string; id: string; txHash: string | null; feesPaid: string | null; status: string },
    );
    expect(bodies.map((b) => [b.callbackType, b.id, b.status])).toEqual([
      ['pendingPayout', transaction.id, 'Pending'],
      ['payout', transaction.id, 'Confirmed'],
    ]);
    expect(bodies[0]).not.toHaveProperty('txHash'); // absent until signed (callbacks carry no nulls)
    expect(bodies[1]).toMatchObject({ txHash: attempt?.hash, feesPaid: (Number(burned) / 1e18).toString() });
  });

  it('a USDT payout is charged the flat token fee; the ETH the hot wallet burned is recorded for the operator', async () => {
    const to = randomAddress();
    const before = await balance('USDT-ETH');
    const { transaction } = await server.services.payments.createPayout(bp, {
      referenceId: `usdt-${kind}`,
      to,
      amount: '250.5',
      network: 'ETH',
      token: 'USDT',
    });
    expect(transaction).toMatchObject({ fees_paid: '1000000', tx_hash: null });
    await settle(server, anvil, pipeline, [transaction.id]);
    const done = await db().selectFrom('transactions').selectAll().where('id', '=', transaction.id).executeTakeFirstOrThrow();
    expect(done.status).toBe('Confirmed');
    expect(await tokenBalance(to)).toBe(250_500_000n);
    const receipt = await publicClient(anvil).getTransactionReceipt({ hash: done.tx_hash as `0x${string}` });
    const payout = await db().selectFrom('payouts').selectAll().where('transaction_id', '=', transaction.id).executeTakeFirstOrThrow();
    expect(payout).toMatchObject({ state: 'confirmed', network_fee_paid: (receipt.gasUsed * receipt.effectiveGasPrice).toString() });
    expect(await balance('USDT-ETH')).toEqual({ available: before.available - 250_500_000n - 1_000_000n, reserved: 0n, pending: 0n });
    await ledgerMatches('USDT-ETH');
  });

  it('a stuck payout is replaced with the same nonce and ≥ +10 % fees; both hashes are followed, only one is mined', async () => {
    const { transaction } = await server.services.payments.createPayout(bp, {
      referenceId: `stuck-${kind}`,
      to: randomAddress(),
      amount: '0.1',
      network: 'ETH',
    });
    await pipeline.tick();
    const [first] = await attempts(transaction.id);
    if (first === undefined) throw new Error('no first attempt');
    // The base fee jumps above the attempt's max fee: the node drops it from its mempool unmined.
    await anvil.setNextBaseFee(parseGwei('20'));
    await anvil.mine(1);
    expect(await anvil.pendingHashes()).toEqual([]);
    await pipeline.tick(); // re-sends the same bytes (never a new transfer); still too cheap
    await anvil.mine(1);
    expect(await attempts(transaction.id)).toHaveLength(1); // not replaced before PAYGATE_ETHEREUM_REPLACE_AFTER_SECONDS
    await expect(publicClient(anvil).getTransactionReceipt({ hash: first.hash as `0x${string}` })).rejects.toThrow(/could not be found/);
    clock.advance(config.replaceAfterSeconds + 1);
    await pipeline.tick();
    const [a, b] = await attempts(transaction.id);
    if (a === undefined || b === undefined) throw new Error('no replacement');
    expect(b.nonce).toBe(a.nonce);
    expect(b.hash).not.toBe(a.hash);
    const old = parseTransaction(a.raw as `0x${string}`);
    const replacement = parseTransaction(b.raw as `0x${string}`);
    expect(replacement.nonce).toBe(old.nonce);
    expect((replacement.maxFeePerGas ?? 0n) * 10n).toBeGreaterThanOrEqual((old.maxFeePerGas ?? 0n) * 11n);
    expect((replacement.maxPriorityFeePerGas ?? 0n) * 10n).toBeGreaterThanOrEqual((old.maxPriorityFeePerGas ?? 0n) * 11n);
    expect((await server.services.payments.getTransaction(bp, transaction.id)).txHash).toBe(b.hash); // the latest attempt while pending
    expect(await anvil.pendingHashes()).toEqual([b.hash]);
    await settle(server, anvil, pipeline, [transaction.id]);
    const done = await db().selectFrom('transactions').selectAll().where('id', '=', transaction.id).executeTakeFirstOrThrow();
    expect(done).toMatchObject({ status: 'Confirmed', tx_hash: b.hash });
    await expect(publicClient(anvil).getTransactionReceipt({ hash: a.hash as `0x${string}` })).rejects.toThrow(/could not be found/);
    const receipt = await publicClient(anvil).getTransactionReceipt({ hash: b.hash as `0x${string}` });
    expect(done.fees_paid).toBe((receipt.gasUsed * receipt.effectiveGasPrice).toString());
    expect((await attempts(transaction.id)).map((x) => x.state)).toEqual(['superseded', 'mined']);
    // What the BP sees at GET /v1/transactions/:id/attempts.
    expect((await server.services.payments.payoutAttempts(bp, transaction.id)).map((x) => [x.hash, x.nonce, x.state])).toEqual([
      [a.hash, a.nonce, 'superseded'],
      [b.hash, a.nonce, 'mined'],
    ]);
    await ledgerMatches('ETH');
  });

  it('a hot wallet without enough ETH: the payout waits (Pending, not failed), the team is told once, then it is sent when funded', async () => {
    const client = publicClient(anvil);
    const funded = await client.getBalance({ address: hot.address });
    await anvil.setBalance(hot.address, parseEther('0.01'));
    const { transaction } = await server.services.payments.createPayout(bp, { referenceId: `poor-${kind}`, to: randomAddress(), amount: '2', network: 'ETH' });
    for (let i = 0; i < 3; i++) {
      await pipeline.tick();
      await anvil.mine(1);
    }
    expect(await db().selectFrom('transactions').select('status').where('id', '=', transaction.id).executeTakeFirstOrThrow()).toEqual({ status: 'Pending' });
    expect(await db().selectFrom('payouts').select(['state', 'nonce']).where('transaction_id', '=', transaction.id).executeTakeFirstOrThrow()).toEqual({
      state: 'waiting_funds',
      nonce: null,
    });
    expect(await attempts(transaction.id)).toEqual([]);
    const notices = () =>
      db()
        .selectFrom('notifications')
        .select(['title', 'body'])
        .where('bp_id', '=', bp.bpId)
        .where('title', '=', 'Payout waiting for the hot wallet')
        .execute();
    expect(await notices()).toHaveLength(1);
    expect((await notices())[0]?.body).toContain(transaction.id);
    await anvil.setBalance(hot.address, funded);
    await settle(server, anvil, pipeline, [transaction.id]);
    expect(await db().selectFrom('transactions').select('status').where('id', '=', transaction.id).executeTakeFirstOrThrow()).toEqual({ status: 'Confirmed' });
    expect(await notices()).toHaveLength(1);
  });

  it('24 concurrent payouts (two workers signing at once) get distinct consecutive nonces and all confirm', async () => {
    const client = publicClient(anvil);
    const startNonce = BigInt(await client.getTransactionCount({ address: hot.address }));
    const created = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        server.services.payments.createPayout(bp, {
          referenceId: `many-${kind}-${i}`,
          to: randomAddress(),
          amount: '0.01',
          network: 'ETH',
          ...(i % 3 === 0 ? { token: 'USDT' } : {}),
        }),
      ),
    );
    const ids = created.map((c) => c.transaction.id);
    const second = pipelineFor(server, signerFor(config, 'ETH', hot.key), config, clock);
    await Promise.all([pipeline.tick(), second.tick()]);
    const rows = await db().selectFrom('payouts').select(['transaction_id', 'nonce']).where('transaction_id', 'in', ids).execute();
    const nonces = rows.map((r) => BigInt(r.nonce ?? '-1')).sort((x, y) => (x < y ? -1 : 1));
    expect(nonces).toEqual(Array.from({ length: 24 }, (_, i) => startNonce + BigInt(i)));
    const all = await db().selectFrom('payout_attempts').select('transaction_id').where('transaction_id', 'in', ids).execute();
    expect(all).toHaveLength(24);
    await settle(server, anvil, pipeline, ids);
    const statuses = await db().selectFrom('transactions').select('status').where('id', 'in', ids).execute();
    expect(statuses.every((s) => s.status === 'Confirmed')).toBe(true);
    expect(BigInt(await client.getTransactionCount({ address: hot.address }))).toBe(startNonce + 24n);
    await ledgerMatches('ETH');
    await ledgerMatches('USDT-ETH');
  });

  it('the node fails during broadcast (accepted, answer lost): retried with the same bytes, exactly one transaction', async () => {
    const proxy = await rpcProxy(anvil.url);
    try {
      const flaky = pipelineFor(
        server,
        signerFor(
          { ...config, ethereumNodes: { ETH: { ...(config.ethereumNodes.ETH as NonNullable<typeof config.ethereumNodes.ETH>), rpcUrl: proxy.url } } },
          'ETH',
          hot.key,
        ),
        config,
        clock,
      );
      const to = randomAddress();
      const { transaction } = await server.services.payments.createPayout(bp, { referenceId: `flaky-${kind}`, to, amount: '0.3', network: 'ETH' });
      proxy.loseSendAnswers = true;
      await expect(flaky.tick()).rejects.toThrow(/eth_sendRawTransaction/);
      const [stored] = await attempts(transaction.id);
      expect(stored?.state).toBe('signed');
      expect(await anvil.pendingHashes()).toEqual([stored?.hash]); // the node did take it
      await expect(flaky.tick()).rejects.toThrow(/eth_sendRawTransaction/); // still down: retried, same bytes
      proxy.loseSendAnswers = false;
      await settle(server, anvil, flaky, [transaction.id]);
      expect(proxy.sent.every((raw) => raw === stored?.raw)).toBe(true);
      expect(proxy.sent.length).toBeGreaterThanOrEqual(3);
      expect(await attempts(transaction.id)).toHaveLength(1);
      expect(await publicClient(anvil).getBalance({ address: to })).toBe(300_000_000_000_000_000n);
      expect(await db().selectFrom('transactions').select(['status', 'tx_hash']).where('id', '=', transaction.id).executeTakeFirstOrThrow()).toEqual({
        status: 'Confirmed',
        tx_hash: stored?.hash,
      });
    } finally {
      await proxy.close();
    }
  });

  it('a USDT payout that reverts on chain (hot wallet blacklisted) is Failed; the BP gets amount and flat fee back', async () => {
    const before = await balance('USDT-ETH');
    const { transaction } = await server.services.payments.createPayout(bp, {
      referenceId: `revert-${kind}`,
      to: randomAddress(),
      amount: '10',
      network: 'ETH',
      token: 'USDT',
    });
    await pipeline.tick();
    const [attempt] = await attempts(transaction.id);
    expect(attempt?.state).toBe('broadcast');
    const blocking = await tether.block(hot.address);
    await anvil.mine(1); // the blacklisting (higher tip) goes first; the payout reverts in the same block
    const receipt = await publicClient(anvil).getTransactionReceipt({ hash: attempt?.hash as `0x${string}` });
    expect(receipt.status).toBe('reverted');
    expect((await publicClient(anvil).getTransactionReceipt({ hash: blocking })).status).toBe('success');
    await settle(server, anvil, pipeline, [transaction.id]);
    const done = await db().selectFrom('transactions').selectAll().where('id', '=', transaction.id).executeTakeFirstOrThrow();
    expect(done).toMatchObject({ status: 'Failed', failure_reason: 'reverted', fees_paid: '0', tx_hash: attempt?.hash });
    expect(await balance('USDT-ETH')).toEqual(before);
    await ledgerMatches('USDT-ETH');
    // A blocked wallet cannot send any more token payouts: the next one is refused before signing, nothing burned.
    const next = await server.services.payments.createPayout(bp, {
      referenceId: `revert2-${kind}`,
      to: randomAddress(),
      amount: '1',
      network: 'ETH',
      token: 'USDT',
    });
    await pipeline.tick();
    expect(await db().selectFrom('transactions').select(['status']).where('id', '=', next.transaction.id).executeTakeFirstOrThrow()).toEqual({
      status: 'Failed',
    });
    expect(await attempts(next.transaction.id)).toEqual([]);
    expect(await balance('USDT-ETH')).toEqual(before);
    await receiver.waitFor(receiver.received.length); // keep order of deliveries stable for later tests
  });
});

/** A JSON-RPC proxy that can forward eth_sendRawTransaction to the node and then drop the answer. */
async function rpcProxy(target: string): Promise<{ url: string; loseSendAnswers: boolean; sent: string[]; close(): Promise<void> }> {
  const state = { loseSendAnswers: false, sent: [] as string[] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const call = JSON.parse(body) as { method?: string; params?: unknown[] };
      const sending = call.method === 'eth_sendRawTransaction';
      if (sending) state.sent.push(String(call.params?.[0]));
      const answer = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await answer.text();
      if (sending && state.loseSendAnswers) {
        res.destroy();
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

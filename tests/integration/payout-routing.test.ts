import { Paygate, PaygateApiError } from '@paygate/sdk';
import { parseEther } from 'viem';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PayoutConfig } from '../../apps/server/src/payout-config.js';
import { describeEachDatabase } from '../support/databases.js';
import { issueKeyPair } from '../support/keypairs.js';
import { fundedLiveBp, randomAddress } from '../support/payout-fixture.js';
import { Agent, createTestServer, type TestServer } from '../support/server.js';

const NO_NODES: PayoutConfig = {
  ethereumNodes: {},
  hotWallets: {},
  maxFeePerGasWei: 100_000_000_000n,
  nativeGasLimit: 60_000n,
  tokenGasLimit: 120_000n,
  replaceAfterSeconds: 60,
  pollIntervalMs: 20,
  failpoints: [],
};

async function code(promise: Promise<unknown>): Promise<{ code: string; status: number; message: string }> {
  try {
    await promise;
    return { code: 'ok', status: 200, message: '' };
  } catch (error: unknown) {
    if (error instanceof PaygateApiError) return { code: error.code, status: error.status, message: error.message };
    throw error;
  }
}

describeEachDatabase('where payouts go: node, simulator, or refused', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    // Sepolia has a "node" here (never contacted by these tests); Ethereum mainnet has none.
    server = await createTestServer(kind, {
      payouts: {
        ...NO_NODES,
        ethereumNodes: { SEP: { network: 'SEP', chainId: 11_155_111, rpcUrl: 'http://127.0.0.1:9', usdtContract: null, confirmations: 3 } },
      },
    });
    await server.listen();
  });
  afterAll(async () => server.close());

  const client = async (agent: Agent, bpId: string) => Paygate.fromKeyFile((await issueKeyPair(agent, bpId)).keyFile, { baseUrl: server.url, maxRetries: 0 });

  it('a live network without a node refuses Layer 1 payouts with 503 network_unavailable naming the variable; nothing is reserved', async () => {
    const { bp, agent } = await fundedLiveBp(server, [{ network: 'ETH', token: null, amount: parseEther('3') }]);
    const paygate = await client(agent, bp.bpId);
    const refused = await code(paygate.payout({ referenceId: 'p1', to: randomAddress(), amount: '1', network: 'ETH' }));
    expect(refused).toMatchObject({ code: 'network_unavailable', status: 503 });
    expect(refused.message).toContain('PAYGATE_ETHEREUM_RPC_URL');
    const balances = await paygate.getBalance();
    expect(balances.find((b) => b.currency === 'ETH')).toMatchObject({ reserved: '0' });
    const rows = await server.services.database.db
      .selectFrom('transactions')
      .select('id')
      .where('bp_id', '=', bp.bpId)
      .where('type', '=', 'Withdrawal')
      .execute();
    expect(rows).toEqual([]);
    // A payout to an address Paygate issued stays Layer 2 and needs no node.
    const other = await fundedLiveBp(server, []);
    const internal = await server.services.payments.getDepositAddress(other.bp, { network: 'ETH', identifier: 'x' });
    const l2 = await paygate.payout({ referenceId: 'p2', to: internal.address, amount: '1', network: 'ETH' });
    expect(l2).toMatchObject({ layer: 'L2', status: 'Confirmed' });
  });

  it('a sandbox BP on a node-backed Sepolia gets a chain payout (no invented hash) that cannot be simulated; Shasta stays simulated', async () => {
    const agent = new Agent(server.app);
    const bpId = (await agent.signUp(`routing.${Date.now()}@example.com`, 'Routing Co')).activeBpId ?? '';
    const paygate = await client(agent, bpId);
    await paygate.request('POST', '/v1/sandbox/deposits', { body: { network: 'SEP', identifier: 'u', amount: '2', outcome: 'confirm' } });
    await paygate.request('POST', '/v1/sandbox/deposits', { body: { network: 'TRX-SHASTA', identifier: 'u', amount: '200', outcome: 'confirm' } });
    const sep = await paygate.payout({ referenceId: 's1', to: randomAddress(), amount: '0.5', network: 'SEP' });
    expect(sep).toMatchObject({ status: 'Pending', layer: 'L1', txHash: null, feesPaid: null });
    const chainRow = await server.services.database.db
      .selectFrom('payouts')
      .select(['state', 'reserved_fee'])
      .where('transaction_id', '=', sep.id)
      .executeTakeFirstOrThrow();
    expect(chainRow).toEqual({ state: 'queued', reserved_fee: (60_000n * 100_000_000_000n).toString() });
    expect(await code(paygate.request('POST', `/v1/sandbox/payouts/${sep.id}/confirm`, { body: {} }))).toMatchObject({
      code: 'network_not_simulated',
      status: 409,
    });
    // The sandbox auto-advance leaves it to the chain.
    await server.services.sandbox.autoAdvance(-3600);
    expect((await paygate.getTransactionDetails(sep.id)).status).toBe('Pending');
    const shasta = await paygate.payout({ referenceId: 's2', to: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', amount: '10', network: 'TRX-SHASTA' });
    expect(shasta.txHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await code(paygate.request('POST', `/v1/sandbox/payouts/${shasta.id}/confirm`, { body: {} }))).toMatchObject({ code: 'ok' });
  });
});

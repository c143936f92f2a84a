import { Paygate, PaygateApiError } from '@paygate/sdk';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAddress } from '../../apps/server/src/modules/payments/chain/index.js';
import { describeEachDatabase } from '../support/databases.js';
import { issueKeyPair } from '../support/keypairs.js';
import { Agent, createTestServer, type TestServer } from '../support/server.js';

let seq = 0;
const email = (n: string) => `${n.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.${Date.now()}.${++seq}@example.com`;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error: unknown) {
    if (error instanceof PaygateApiError) return error.code;
    throw error;
  }
}

describeEachDatabase('payments core with the sandbox chain', (kind) => {
  let server: TestServer;
  let paygate: Paygate;
  let other: Paygate;
  let bpId: string;
  let otherBp: string;

  async function newBp(name: string): Promise<{ client: Paygate; bpId: string; agent: Agent }> {
    const agent = new Agent(server.app);
    const id = (await agent.signUp(email(name), name)).activeBpId ?? '';
    const key = await issueKeyPair(agent, id);
    return { client: Paygate.fromKeyFile(key.keyFile, { baseUrl: server.url, maxRetries: 0 }), bpId: id, agent };
  }

  beforeAll(async () => {
    server = await createTestServer(kind);
    await server.listen();
    ({ client: paygate, bpId } = await newBp('Payer Co'));
    ({ client: other, bpId: otherBp } = await newBp('Other Co'));
  });
  afterAll(async () => server.close());

  const messages = async (transactionId: string) =>
    (
      await server.services.database.db
        .selectFrom('callback_messages')
        .select(['kind', 'sequence', 'payload', 'bp_id'])
        .where('transaction_id', '=', transactionId)
        .orderBy('sequence')
        .execute()
    ).map((m) => ({
      kind: m.kind,
      sequence: m.sequence,
      status: (m.payload as { status: string }).status,
      bp: m.bp_id,
    }));

  const sandboxDeposit = (client: Paygate, body: Record<string, unknown>) =>
    client.request<{ id: string; status: string; settled: boolean; amount: string; internalFee: { deposit?: string } }>('POST', '/v1/sandbox/deposits', {
      body,
    });

  it('lists currencies with testnet symbols in the sandbox, and exchange rates', async () => {
    const currencies = await paygate.getSupportedCurrencies();
    expect(currencies.map((c) => `${c.network}/${c.tokenSymbol ?? '-'}/${c.decimals}`).sort()).toEqual([
      'SEP/-/18',
      'SEP/USDT/6',
      'TRX-SHASTA/-/6',
      'TRX-SHASTA/USDT/6',
    ]);
    expect(await paygate.getExchangeRates()).toEqual([
      { symbol: 'ETH', usd: '3000' },
      { symbol: 'TRX', usd: '0.25' },
      { symbol: 'USDT', usd: '1' },
    ]);
  });

  it('gives each (identifier, network) one permanent, valid address', async () => {
    const a1 = await paygate.getDepositAddress({ network: 'SEP', identifier: 'user-1' });
    const a2 = await paygate.getDepositAddress({ network: 'SEP', identifier: 'user-1' });
    const b = await paygate.getDepositAddress({ network: 'SEP', identifier: 'user-2' });
    const t = await paygate.getDepositAddress({ network: 'TRX-SHASTA', identifier: 'user-1' });
    expect(a2.address).toBe(a1.address);
    expect(b.address).not.toBe(a1.address);
    expect(a1.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(validateAddress('ethereum', a1.address)).toEqual({ ok: true, address: a1.address });
    expect(t.address).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    expect(validateAddress('tron', t.address).ok).toBe(true);
    const concurrent = await Promise.all([1, 2, 3, 4, 5].map(() => paygate.getDepositAddress({ network: 'TRX-SHASTA', identifier: 'racer' })));
    expect(new Set(concurrent.map((c) => c.address)).size).toBe(1);
    const withRequest = await paygate.getDepositAddress({ network: 'SEP', identifier: 'user-1', requestedAmount: '25', requestedCurrency: 'USD' });
    expect(withRequest.address).toBe(a1.address);
    expect(withRequest.depositRequest).toMatchObject({ requestedAmount: '25', requestedCurrency: 'USD' });
    const ttl = Date.parse(withRequest.depositRequest?.expiresAt ?? '') - Date.now();
    expect(ttl).toBeGreaterThan(23.9 * 3600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000);
  });

  it('deposit pending → confirmed writes pendingDeposit then deposit, charges 0.1 % (min 0.1 USD), and credits the rest', async () => {
    const address = await paygate.getDepositAddress({ network: 'TRX-SHASTA', identifier: 'depositor' });
    const tx = await sandboxDeposit(paygate, { network: 'TRX-SHASTA', token: 'USDT', toAddress: address.address, amount: '250', outcome: 'pending' });
    expect(tx).toMatchObject({ status: 'Pending', settled: true });
    expect((await paygate.getBalance()).find((b) => b.currency === 'USDT-TRX-SHASTA')).toMatchObject({ pending: '250', available: '0' });
    const partial = await paygate.request<{ confirmations: number; status: string }>('POST', `/v1/sandbox/transactions/${tx.id}/confirmations`, {
      body: { count: 5 },
    });
    expect(partial).toMatchObject({ confirmations: 5, status: 'Pending' });
    expect(await messages(tx.id)).toEqual([{ kind: 'pendingDeposit', sequence: 1, status: 'Pending', bp: bpId }]);
    await paygate.request('POST', `/v1/sandbox/transactions/${tx.id}/confirmations`, { body: { count: 100 } });
    const done = await paygate.getTransactionDetails(tx.id);
    expect(done).toMatchObject({
      status: 'Confirmed',
      amount: '250',
      internalFee: { deposit: '0.25' },
      coinSymbol: 'TRX-SHASTA',
      tokenSymbol: 'USDT',
      layer: 'L1',
      type: 'Deposit',
      identifier: 'depositor',
      confirmations: 19,
    });
    expect(done.confirmedAt).not.toBeNull();
    expect(await messages(tx.id)).toEqual([
      { kind: 'pendingDeposit', sequence: 1, status: 'Pending', bp: bpId },
      { kind: 'deposit', sequence: 2, status: 'Confirmed', bp: bpId },
    ]);
    expect((await paygate.getBalance()).find((b) => b.currency === 'USDT-TRX-SHASTA')).toMatchObject({ pending: '0', available: '249.75' });
    // The 0.1 USD minimum applies to small deposits: 5 USDT pays 0.1, not 0.005.
    const small = await sandboxDeposit(paygate, { network: 'TRX-SHASTA', token: 'USDT', toAddress: address.address, amount: '5' });
    expect((await paygate.getTransactionDetails(small.id)).internalFee).toEqual({ deposit: '0.1' });
  });

  it('deposit requests: matched by value (USD or coin) before they expire; the default expiry is a BP setting', async () => {
    const { client, agent, bpId: bp } = await newBp('Requests');
    // 25 USD requested; 0.005 SEP (15 USD at 3000) does not cover it, 0.01 (30 USD) does.
    const address = await client.getDepositAddress({ network: 'SEP', identifier: 'buyer', requestedAmount: '25', requestedCurrency: 'USD' });
    const small = await sandboxDeposit(client, { network: 'SEP', toAddress: address.address, amount: '0.005' });
    expect((await client.getTransactionDetails(small.id)).depositRequestId).toBeNull();
    const enough = await sandboxDeposit(client, { network: 'SEP', toAddress: address.address, amount: '0.01' });
    expect((await client.getTransactionDetails(enough.id)).depositRequestId).toBe(address.depositRequest?.id);
    // Matched once: a second deposit does not match the same request.
    const again = await sandboxDeposit(client, { network: 'SEP', toAddress: address.address, amount: '0.02' });
    expect((await client.getTransactionDetails(again.id)).depositRequestId).toBeNull();
    // In the coin itself, and expired requests never match.
    const coin = await client.getDepositAddress({ network: 'SEP', identifier: 'buyer', requestedAmount: '0.5', requestedCurrency: 'SEP' });
    await server.services.database.db
      .updateTable('deposit_requests')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', coin.depositRequest?.id ?? '')
      .execute();
    const late = await sandboxDeposit(client, { network: 'SEP', toAddress: address.address, amount: '1' });
    expect((await client.getTransactionDetails(late.id)).depositRequestId).toBeNull();

    expect((await agent.get(`/api/bps/${bp}/payment-settings`)).json()).toEqual({ depositRequestTtlSeconds: 86_400 });
    const changed = await agent.request('PUT', `/api/bps/${bp}/payment-settings`, { depositRequestTtlSeconds: 3600 });
    expect(changed.json()).toEqual({ depositRequestTtlSeconds: 3600 });
    expect((await agent.request('PUT', `/api/bps/${bp}/payment-settings`, { depositRequestTtlSeconds: 10 })).json().code).toBe('validation_failed');
    const short = await client.getDepositAddress({ network: 'SEP', identifier: 'buyer-2', requestedAmount: '5' });
    const ttl = Date.parse(short.depositRequest?.expiresAt ?? '') - Date.now();
    expect(ttl).toBeGreaterThan(3590_000);
    expect(ttl).toBeLessThanOrEqual(3600_000);
    expect((await agent.get(`/api/bps/${bp}/audit-log?action=payment_settings.updated`)).json().items).toHaveLength(1);
  });

  it('a failed deposit writes pendingDeposit then failedDeposit and credits nothing', async () => {
    const address = await paygate.getDepositAddress({ network: 'SEP', identifier: 'failing' });
    const tx = await sandboxDeposit(paygate, { network: 'SEP', toAddress: address.address, amount: '0.5', outcome: 'fail' });
    expect(tx.status).toBe('Failed');
    expect(await messages(tx.id)).toEqual([
      { kind: 'pendingDeposit', sequence: 1, status: 'Pending', bp: bpId },
      { kind: 'failedDeposit', sequence: 2, status: 'Failed', bp: bpId },
    ]);
    expect((await paygate.getBalance()).find((b) => b.currency === 'SEP')).toMatchObject({ available: '0', pending: '0' });
  });

  it('a Layer 1 deposit worth less than 1 USDT is recorded as not settled, with no callbacks and no credit', async () => {
    const address = await paygate.getDepositAddress({ network: 'TRX-SHASTA', identifier: 'tiny' });
    const before = (await paygate.getBalance()).find((b) => b.currency === 'TRX-SHASTA');
    // 3.99 TRX at 0.25 USD = 0.9975 USD.
    const tx = await sandboxDeposit(paygate, { network: 'TRX-SHASTA', toAddress: address.address, amount: '3.99' });
    expect(tx).toMatchObject({ settled: false, status: 'Confirmed' });
    expect(await messages(tx.id)).toEqual([]);
    expect((await paygate.getBalance()).find((b) => b.currency === 'TRX-SHASTA')).toEqual(before);
    // 4 TRX = 1 USD exactly is settled.
    const enough = await sandboxDeposit(paygate, { network: 'TRX-SHASTA', toAddress: address.address, amount: '4' });
    expect(enough.settled).toBe(true);
    expect((await messages(enough.id)).map((m) => m.kind)).toEqual(['pendingDeposit', 'deposit']);
    const all = await paygate.getTransfers({ type: 'Deposit', limit: 100 });
    const visible = await paygate.getTransfers({ type: 'Deposit', hideSmall: true, limit: 100 });
    expect(all.items.map((t) => t.id)).toContain(tx.id);
    expect(visible.items.map((t) => t.id)).not.toContain(tx.id);
  });

  it('payout pending → confirmed and pending → failed write the right messages and move funds right', async () => {
    const balance = () => paygate.getBalance().then((list) => list.find((b) => b.currency === 'USDT-TRX-SHASTA'));
    const start = await balance();
    expect(start?.available).toBe('254.65');
    const to = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
    const p1 = await paygate.payout({ referenceId: 'payout-1', to, amount: '10', network: 'TRX-SHASTA', token: 'USDT' });
    expect(p1).toMatchObject({ status: 'Pending', type: 'Withdrawal', layer: 'L1', feesPaid: '1', amount: '10' });
    expect(p1.txHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await balance()).toMatchObject({ available: '243.65', reserved: '11' });
    await paygate.request('POST', `/v1/sandbox/payouts/${p1.id}/confirm`);
    expect(await messages(p1.id)).toEqual([
      { kind: 'pendingPayout', sequence: 1, status: 'Pending', bp: bpId },
      { kind: 'payout', sequence: 2, status: 'Confirmed', bp: bpId },
    ]);
    expect(await balance()).toMatchObject({ available: '243.65', reserved: '0' });
    const p2 = await paygate.payout({ referenceId: 'payout-2', to, amount: '20', network: 'TRX-SHASTA', token: 'USDT' });
    const failed = await paygate.request<{ status: string; failureReason: string }>('POST', `/v1/sandbox/payouts/${p2.id}/fail`, {
      body: { reason: 'energy exhausted' },
    });
    expect(failed).toMatchObject({ status: 'Failed', failureReason: 'energy exhausted' });
    expect(await messages(p2.id)).toEqual([
      { kind: 'pendingPayout', sequence: 1, status: 'Pending', bp: bpId },
      { kind: 'failedPayout', sequence: 2, status: 'Failed', bp: bpId },
    ]);
    expect(await balance()).toMatchObject({ available: '243.65', reserved: '0' });
    expect(await codeOf(paygate.request('POST', `/v1/sandbox/payouts/${p2.id}/confirm`))).toBe('transaction_state_invalid');
  });

  it('a payout to an address Paygate issued settles at once on Layer 2, for both BPs, without a network fee', async () => {
    const theirs = await other.getDepositAddress({ network: 'TRX-SHASTA', identifier: 'merchant-7', referenceId: 'acct-7' });
    const sent = await paygate.payout({ referenceId: 'l2-1', to: theirs.address, amount: '3.5', network: 'TRX-SHASTA', token: 'USDT' });
    expect(sent).toMatchObject({ layer: 'L2', status: 'Confirmed', feesPaid: '0', txHash: null });
    expect(sent.l2TxnHash).toMatch(/^l2_[0-9a-f]{32}$/);
    const received = (await other.getTransfers({ layer: 'L2' })).items;
    expect(received).toEqual([
      expect.objectContaining({
        type: 'Deposit',
        layer: 'L2',
        status: 'Confirmed',
        amount: '3.5',
        l2TxnHash: sent.l2TxnHash,
        identifier: 'merchant-7',
        referenceId: 'acct-7',
      }),
    ]);
    expect(await messages(sent.id)).toEqual([{ kind: 'payout', sequence: 1, status: 'Confirmed', bp: bpId }]);
    expect(await messages(received[0]?.id ?? '')).toEqual([{ kind: 'deposit', sequence: 1, status: 'Confirmed', bp: otherBp }]);
    expect((await other.getBalance()).find((b) => b.currency === 'USDT-TRX-SHASTA')?.available).toBe('3.5');
    expect((await paygate.getBalance()).find((b) => b.currency === 'USDT-TRX-SHASTA')?.available).toBe('240.15');
  });

  it('referenceId makes payouts idempotent; reuse with other parameters is 409', async () => {
    const to = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
    await sandboxDeposit(paygate, { network: 'SEP', identifier: 'eth-funding', amount: '2' });
    const first = await paygate.payout({ referenceId: 'idem-1', to, amount: '0.1', network: 'SEP' });
    const again = await paygate.payout({ referenceId: 'idem-1', to: to.toLowerCase(), amount: '0.10', network: 'SEP' });
    expect(again.id).toBe(first.id);
    expect(await codeOf(paygate.payout({ referenceId: 'idem-1', to, amount: '0.2', network: 'SEP' }))).toBe('reference_conflict');
    expect((await paygate.getTransfers({ type: 'Withdrawal', limit: 100 })).items.filter((t) => t.referenceId === 'idem-1')).toHaveLength(1);
  });

  it('bad input gets a specific 4xx code', async () => {
    const eth = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
    const cases: [Record<string, unknown>, string][] = [
      [{ network: 'ETH', to: eth, amount: '1' }, 'network_unsupported'],
      [{ network: 'BTC', to: eth, amount: '1' }, 'network_unsupported'],
      [{ network: 'SEP', token: 'DAI', to: eth, amount: '1' }, 'token_unsupported'],
      [{ network: 'SEP', to: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', amount: '1' }, 'address_invalid'],
      [{ network: 'SEP', to: '0x1234', amount: '1' }, 'address_invalid'],
      [{ network: 'SEP', to: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', amount: '1' }, 'address_invalid'],
      [{ network: 'TRX-SHASTA', to: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u', amount: '1' }, 'address_invalid'],
      [{ network: 'SEP', to: eth, amount: '0' }, 'amount_invalid'],
      [{ network: 'SEP', to: eth, amount: '-1' }, 'amount_invalid'],
      [{ network: 'SEP', to: eth, amount: '1e3' }, 'amount_invalid'],
      [{ network: 'SEP', to: eth, amount: ' 1' }, 'amount_invalid'],
      [{ network: 'TRX-SHASTA', token: 'USDT', to: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', amount: '1.0000001' }, 'amount_too_precise'],
      [{ network: 'SEP', to: eth, amount: '1000000000001' }, 'amount_too_large'],
      [{ network: 'SEP', to: eth, amount: 1 }, 'validation_failed'],
      [{ network: 'SEP', to: eth, amount: '500' }, 'insufficient_balance'],
    ];
    for (const [body, code] of cases) {
      const error = await paygate.payout({ referenceId: `bad-${Math.random()}`, ...body } as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(body)).toBeInstanceOf(PaygateApiError);
      expect((error as PaygateApiError).code, JSON.stringify(body)).toBe(code);
      expect((error as PaygateApiError).status).toBeLessThan(500);
    }
    const checksum = await paygate
      .payout({ referenceId: 'cs', network: 'SEP', to: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', amount: '1' })
      .catch((e: unknown) => e);
    expect((checksum as PaygateApiError).problem).toMatchObject({ reason: 'checksum' });
    expect(await codeOf(paygate.getDepositAddress({ network: 'SEP', identifier: 'has space' }))).toBe('identifier_invalid');
    expect(await codeOf(paygate.getDepositAddress({ network: 'SEP', identifier: 'ok', requestedAmount: '1.234' }))).toBe('amount_too_precise');
    expect(await codeOf(paygate.request('GET', '/v1/transactions', { query: { limit: 20 } }))).toBe('validation_failed');
    expect(await codeOf(paygate.getTransactionDetails('tx_00000000000000000000000000'))).toBe('not_found');
  });

  it('tenant isolation: another BP cannot read or act on these transactions', async () => {
    const mine = (await paygate.getTransfers({ limit: 100 })).items[0];
    expect(mine).toBeDefined();
    expect(await codeOf(other.getTransactionDetails(mine?.id ?? ''))).toBe('not_found');
    expect(await codeOf(other.request('POST', `/v1/sandbox/payouts/${mine?.id}/fail`, { body: {} }))).toBe('not_found');
    const theirs = (await other.getTransfers({ limit: 100 })).items.map((t) => t.id);
    expect(theirs).not.toContain(mine?.id);
  });

  it('balances always equal the journal; the journal is append-only', async () => {
    const db = server.services.database.db;
    for (const bp of [bpId, otherBp]) {
      const rows = await db.selectFrom('balances').selectAll().where('bp_id', '=', bp).execute();
      for (const row of rows) {
        const sums = await server.services.payments.journalSums(bp, row.currency);
        expect({ available: BigInt(row.available), pending: BigInt(row.pending), reserved: BigInt(row.reserved) }, row.currency).toEqual(sums);
      }
    }
    await expect(sql`update ledger_entries set amount = amount + 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from ledger_entries`.execute(db)).rejects.toThrow(/append-only/);
  });

  it.runIf(kind === 'postgres')('50 concurrent payouts against one balance never overdraw', async () => {
    const { client, bpId: racer } = await newBp('Racer');
    // 30 USDT available; each payout costs 0.5 + 1 (network fee) = 1.5, so exactly 20 can succeed.
    await sandboxDeposit(client, { network: 'TRX-SHASTA', token: 'USDT', identifier: 'fund', amount: '30.1' });
    const available = (await client.getBalance()).find((b) => b.currency === 'USDT-TRX-SHASTA')?.available;
    expect(available).toBe('30');
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        client.payout({ referenceId: `race-${i}`, to: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', amount: '0.5', network: 'TRX-SHASTA', token: 'USDT' }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected' && r.reason instanceof PaygateApiError && r.reason.code === 'insufficient_balance').length;
    expect([ok, refused]).toEqual([20, 30]);
    const balance = (await client.getBalance()).find((b) => b.currency === 'USDT-TRX-SHASTA');
    expect(balance).toMatchObject({ available: '0', reserved: '30' });
    const sums = await server.services.payments.journalSums(racer, 'USDT-TRX-SHASTA');
    expect(sums).toEqual({ available: 0n, pending: 0n, reserved: 30_000_000n });
  });

  it('sandbox automation confirms pending transactions after the configured delay', async () => {
    const { client } = await newBp('Auto');
    const tx = await sandboxDeposit(client, { network: 'SEP', identifier: 'auto', amount: '1', outcome: 'pending' });
    expect(await server.services.sandbox.autoAdvance(3600)).toBe(0);
    await server.services.database.db
      .updateTable('transactions')
      .set({ initiated_at: new Date(Date.now() - 20_000) })
      .where('id', '=', tx.id)
      .execute();
    expect(await server.services.sandbox.autoAdvance(10)).toBeGreaterThanOrEqual(1);
    expect((await client.getTransactionDetails(tx.id)).status).toBe('Confirmed');
  });
});

describe('money never goes through floats', () => {
  it('formats and parses 18-decimal amounts exactly', async () => {
    const { formatAmount, parseAmount } = await import('../../apps/server/src/modules/payments/amounts.js');
    expect(parseAmount('123456789.123456789012345678', 18)).toBe(123456789123456789012345678n);
    expect(formatAmount(123456789123456789012345678n, 18)).toBe('123456789.123456789012345678');
    expect(formatAmount(1n, 18)).toBe('0.000000000000000001');
    expect(formatAmount(10n ** 18n, 18)).toBe('1');
  });
});

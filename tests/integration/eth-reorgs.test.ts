import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Hex, parseEther } from 'viem';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ChainRpcError } from '../../apps/server/src/modules/chains/adapter.js';
import type { Bp } from '../../apps/server/src/modules/payments/service.js';
import { Anvil } from '../support/anvil.js';
import { describeEachDatabase } from '../support/databases.js';
import { deployTetherLike, devAccount, Sender, sendRaw, type TestScanner, testScanner } from '../support/eth-scan.js';
import { Agent, createTestServer, type TestServer } from '../support/server.js';

let seq = 0;
const email = (n: string) => `${n}.${Date.now()}.${++seq}@example.com`;

describeEachDatabase('Ethereum deposits through reorgs and node outages', (kind) => {
  let anvil: Anvil;
  let server: TestServer;
  let scan: TestScanner;
  let usdt: Hex;
  let bp: Bp;
  const owner = devAccount(0);
  let sender: Sender;

  const address = async (identifier: string) => (await server.services.payments.getDepositAddress(bp, { network: 'SEP', identifier })).address as Hex;
  const deposit = (txHash: string) =>
    server.services.database.db.selectFrom('transactions').selectAll().where('type', '=', 'Deposit').where('tx_hash', '=', txHash).executeTakeFirstOrThrow();
  const messages = async (transactionId: string) =>
    (
      await server.services.database.db
        .selectFrom('callback_messages')
        .select(['kind'])
        .where('transaction_id', '=', transactionId)
        .orderBy('sequence')
        .execute()
    ).map((m) => m.kind);
  const cursor = async () =>
    BigInt(
      (await server.services.database.db.selectFrom('chain_cursors').select('next_block').where('network', '=', 'SEP').executeTakeFirstOrThrow()).next_block,
    );

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paygate-anvil-'));
    anvil = await Anvil.start({ chainId: 11155111, mining: 'manual', stateFile: join(dir, 'state.json') });
    usdt = await deployTetherLike(anvil, owner, 10_000_000_000_000n);
    sender = new Sender(anvil, owner);
    server = await createTestServer(kind);
    const agent = new Agent(server.app);
    const bpId = (await agent.signUp(email('reorg'), 'Reorg Co')).activeBpId ?? '';
    bp = { bpId, environment: 'sandbox' };
    scan = testScanner(server.services, anvil, { network: 'SEP', usdt, confirmations: 6 });
    await scan.toHead();
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await anvil?.stop();
  });

  it('a pending deposit whose block is reorged away and not re-mined fails as reorged; mined again later it is Pending again under the same id', async () => {
    const to = await address('gone');
    const raw = await sender.signEth(to, parseEther('3'));
    const [hash] = await sendRaw(anvil, [raw]);
    if (hash === undefined) throw new Error('no hash');
    await anvil.mine(1);
    await anvil.mine(1);
    await scan.toHead();
    const first = await deposit(hash);
    expect([first.status, first.confirmations]).toEqual(['Pending', 2]);

    // Replace the last two blocks with two empty ones; the transaction goes back to the mempool — drop it.
    await anvil.reorg(2, []);
    for (const pending of await anvil.pendingHashes()) await anvil.dropTransaction(pending);
    await scan.toHead();
    const failed = await deposit(hash);
    expect([failed.id, failed.status, failed.failure_reason, failed.block_number]).toEqual([first.id, 'Failed', 'reorged', null]);
    expect(await messages(first.id)).toEqual(['pendingDeposit', 'failedDeposit']);
    const sep = await server.services.database.db
      .selectFrom('balances')
      .selectAll()
      .where('bp_id', '=', bp.bpId)
      .where('currency', '=', 'SEP')
      .executeTakeFirstOrThrow();
    expect(sep.pending).toBe('0');

    // The same signed transaction reaches the chain after all: never left uncredited.
    await sendRaw(anvil, [raw]);
    await anvil.mine(1);
    await scan.toHead();
    const revived = await deposit(hash);
    expect([revived.id, revived.status, revived.failure_reason]).toEqual([first.id, 'Pending', null]);
    await anvil.mine(6);
    await scan.toHead();
    expect((await deposit(hash)).status).toBe('Confirmed');
    expect(await messages(first.id)).toEqual(['pendingDeposit', 'failedDeposit', 'pendingDeposit', 'deposit']);
  });

  it('a pending deposit re-included in another block by a reorg keeps its id and is confirmed once, from its new block', async () => {
    const to = await address('moved');
    const raw = await sender.signToken(usdt, to, 25_000_000n);
    const [hash] = await sendRaw(anvil, [raw]);
    if (hash === undefined) throw new Error('no hash');
    await anvil.mine(2);
    await scan.toHead();
    const first = await deposit(hash);
    expect(first.status).toBe('Pending');
    // Two new blocks replace the last two; the transfer lands in the second of them.
    await anvil.reorg(2, [[raw, 1]]);
    await anvil.mine(1);
    await scan.toHead();
    const moved = await deposit(hash);
    expect(moved.id).toBe(first.id);
    expect(moved.status).toBe('Pending');
    expect(moved.block_hash).not.toBe(first.block_hash);
    expect(BigInt(moved.block_number ?? '0')).toBe(BigInt(first.block_number ?? '0') + 1n);
    await anvil.mine(6);
    await scan.toHead();
    expect((await deposit(hash)).status).toBe('Confirmed');
    expect(await messages(first.id)).toEqual(['pendingDeposit', 'deposit']);
    const reorgs = await server.services.metrics.registry.getSingleMetricAsString('paygate_chain_reorgs_total');
    expect(reorgs).toMatch(/paygate_chain_reorgs_total\{network="SEP"\} [2-9]/);
  });

  it('the node stops and comes back: steps fail without moving the cursor, then scanning resumes with no gap', async () => {
    const targets = [await address('outage-1'), await address('outage-2'), await address('outage-3')];
    const hashes: Hex[] = [];
    for (const to of targets) {
      hashes.push(...(await sendRaw(anvil, [await sender.signEth(to, parseEther('0.5'))])));
      await anvil.mine(1);
    }
    const before = await cursor();
    const head = await anvil.blockNumber();
    expect(head).toBeGreaterThanOrEqual(before);
    await anvil.stop();
    await expect(scan.scanner.step()).rejects.toBeInstanceOf(ChainRpcError);
    expect(await cursor()).toBe(before);
    await anvil.restart();
    expect(await anvil.blockNumber()).toBe(head);
    await scan.toHead();
    expect(await cursor()).toBe(head + 1n);
    for (const h of hashes) expect((await deposit(h)).status).toBe('Pending');
  });
});

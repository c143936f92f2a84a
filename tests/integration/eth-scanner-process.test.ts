import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Hex, parseEther } from 'viem';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../apps/server/src/db/database.js';
import { migrate } from '../../apps/server/src/db/migrate.js';
import { createServices } from '../../apps/server/src/runtime.js';
import { Anvil } from '../support/anvil.js';
import { createPostgresDatabase } from '../support/databases.js';
import { TEST_DATABASE_URL } from '../support/environment.js';
import { deployTetherLike, devAccount, Sender, sendRaw } from '../support/eth-scan.js';
import { freePort, PaygateProcess } from '../support/process.js';
import { CallbackReceiver } from '../support/receiver.js';

const MASTER_KEY = Buffer.alloc(32, 13);

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the deposit scanner as a worker process', () => {
  it('refuses to start when the node serves another chain, naming both chain ids', async () => {
    const anvil = await Anvil.start({ chainId: 11155111 });
    try {
      const proc = new PaygateProcess(await freePort(), {
        DATA_DIR: mkdtempSync(join(tmpdir(), 'paygate-mismatch-')),
        PAYGATE_ROLE: 'worker',
        PAYGATE_ETHEREUM_RPC_URL: anvil.url,
        LOG_LEVEL: 'warn',
      });
      const code = await proc.exited;
      expect(code).not.toBe(0);
      expect(proc.output).toMatch(/ETH serves chain 11155111, not 1/);
    } finally {
      await anvil.stop();
    }
  }, 60_000);

  it.skipIf(TEST_DATABASE_URL === undefined)(
    'kill -9 while catching up a backlog: after a restart every deposit is credited once and its callbacks reach the receiver',
    async () => {
      const anvil = await Anvil.start({ chainId: 1, mining: 'manual' });
      const created = await createPostgresDatabase();
      const database = await openDatabase({ kind: 'postgres', url: created.url, poolSize: 4 });
      const receiver = new CallbackReceiver();
      const workers: PaygateProcess[] = [];
      try {
        const owner = devAccount(0);
        const usdt = await deployTetherLike(anvil, owner, 10_000_000_000_000n);
        await migrate(database.db);
        const services = await createServices(database, { sessionTtlSeconds: 3600, reauthWindowSeconds: 300 }, MASTER_KEY);
        const { bpId } = await services.accounts.signUp(
          { email: 'scan-crash@example.com', password: 'correct horse battery', name: 'Scan', businessName: 'Scan Ltd' },
          { ip: '127.0.0.1', userAgent: null, requestId: 'test' },
        );
        await database.db.updateTable('bps').set({ environment: 'live' }).where('id', '=', bpId).execute();
        const base = await receiver.start();
        await database.db
          .insertInto('callback_urls')
          .values(['pendingDeposit', 'deposit'].map((kind) => ({ bp_id: bpId, kind: kind as 'deposit', url: `${base}/hook`, enabled: true })))
          .execute();
        const targets: Hex[] = [];
        for (let i = 0; i < 30; i++)
          targets.push((await services.payments.getDepositAddress({ bpId, environment: 'live' }, { network: 'ETH', identifier: `u${i}` })).address as Hex);
        await services.detach();

        // A backlog: 60 blocks with 3 deposits each, all already past the confirmation depth.
        const sender = new Sender(anvil, owner);
        const BLOCKS = 60;
        for (let b = 0; b < BLOCKS; b++) {
          const [a, c, d] = [targets[(3 * b) % 30], targets[(3 * b + 1) % 30], targets[(3 * b + 2) % 30]] as Hex[];
          await sendRaw(anvil, [
            await sender.signEth(a as Hex, parseEther('0.1') + BigInt(b)),
            await sender.signToken(usdt, c as Hex, 5_000_000n + BigInt(b)),
            await sender.signEth(d as Hex, parseEther('0.2') + BigInt(b)),
          ]);
          await anvil.mine(1);
        }
        await anvil.mine(12);
        const head = await anvil.blockNumber();
        const env = {
          DATABASE_URL: created.url,
          PAYGATE_MASTER_KEY: MASTER_KEY.toString('base64'),
          PAYGATE_ROLE: 'worker',
          PAYGATE_ETHEREUM_RPC_URL: anvil.url,
          PAYGATE_ETHEREUM_USDT_CONTRACT: usdt,
          PAYGATE_ETHEREUM_START_BLOCK: '0',
          PAYGATE_CHAIN_SCAN_BATCH_BLOCKS: '2',
          PAYGATE_CHAIN_POLL_INTERVAL_MS: '50',
          PAYGATE_CALLBACK_ALLOWED_RANGES: '127.0.0.0/8',
          PAYGATE_SANDBOX_AUTO_CONFIRM_SECONDS: '0',
          LOG_LEVEL: 'warn',
        };
        const cursor = async () =>
          BigInt((await database.db.selectFrom('chain_cursors').select('next_block').where('network', '=', 'ETH').executeTakeFirst())?.next_block ?? '0');
        const first = new PaygateProcess(await freePort(), env);
        workers.push(first);
        await until(async () => (await cursor()) >= 20n, 60_000, 'the first worker to scan 20 blocks');
        first.child.kill('SIGKILL');
        await first.exited;
        const atCrash = await cursor();
        expect(atCrash).toBeLessThan(head);

        const second = new PaygateProcess(await freePort(), env);
        workers.push(second);
        await until(async () => (await cursor()) === head + 1n, 90_000, 'the second worker to reach the head');
        const deposits = await database.db.selectFrom('transactions').selectAll().where('type', '=', 'Deposit').execute();
        expect(deposits).toHaveLength(BLOCKS * 3);
        expect(deposits.every((d) => d.status === 'Confirmed')).toBe(true);
        expect(deposits.filter((d) => d.currency === 'USDT-ETH')).toHaveLength(BLOCKS);
        const kinds = await database.db
          .selectFrom('callback_messages')
          .select(['transaction_id', 'kind'])
          .orderBy('transaction_id')
          .orderBy('sequence')
          .execute();
        const perTx = new Map<string, string[]>();
        for (const m of kinds) perTx.set(m.transaction_id ?? '', [...(perTx.get(m.transaction_id ?? '') ?? []), m.kind]);
        expect(perTx.size).toBe(BLOCKS * 3);
        for (const list of perTx.values()) expect(list).toEqual(['pendingDeposit', 'deposit']);
        // Every callback reaches the BP's loopback receiver (a crash may repeat one in flight, never lose one).
        const distinct = () => new Set(receiver.received.map((r) => String(r.headers['webhook-id']))).size;
        await until(async () => distinct() === BLOCKS * 3 * 2, 60_000, 'every callback to arrive');
        const bodies = receiver.received.map((r) => JSON.parse(r.body) as { id: string; callbackType: string });
        for (const d of deposits) {
          expect(bodies.some((b) => b.id === d.id && b.callbackType === 'pendingDeposit')).toBe(true);
          expect(bodies.some((b) => b.id === d.id && b.callbackType === 'deposit')).toBe(true);
        }
      } finally {
        for (const w of workers) await w.stop('SIGKILL');
        await receiver.stop();
        await database.close();
        await created.drop();
        await anvil.stop();
      }
    },
    240_000,
  );
});

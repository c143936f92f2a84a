import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../apps/server/src/db/database.js';
import { migrate } from '../../apps/server/src/db/migrate.js';
import { PAYOUT_FAILPOINTS } from '../../apps/server/src/lib/failpoints.js';
import { encryptKeystore } from '../../apps/server/src/modules/chains/ethereum/keystore.js';
import { createServices } from '../../apps/server/src/runtime.js';
import { Anvil } from '../support/anvil.js';
import { createPostgresDatabase } from '../support/databases.js';
import { TEST_DATABASE_URL } from '../support/environment.js';
import { deployTether, hotWallet, payoutConfig, publicClient } from '../support/payout-chain.js';
import { randomAddress } from '../support/payout-fixture.js';
import { freePort, PaygateProcess } from '../support/process.js';

const MASTER_KEY = Buffer.alloc(32, 13);

// Child processes share the database with the test, so this runs on PostgreSQL (an embedded
// PGlite directory belongs to one process at a time).
describe.skipIf(TEST_DATABASE_URL === undefined)('payouts survive kill -9 at every step', () => {
  let anvil: Anvil;
  let dir: string;
  let usdt: `0x${string}`;
  beforeAll(async () => {
    anvil = await Anvil.start({ chainId: 1 });
    usdt = (await deployTether(anvil)).address;
    dir = mkdtempSync(join(tmpdir(), 'paygate-crash-'));
  });
  afterAll(async () => {
    await anvil?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const failpoint of PAYOUT_FAILPOINTS) {
    it(`killed at ${failpoint}, restarted: exactly one transaction on chain, the payout Confirmed once`, { timeout: 120_000 }, async () => {
      const created = await createPostgresDatabase();
      const database = await openDatabase({ kind: 'postgres', url: created.url, poolSize: 4 });
      const processes: PaygateProcess[] = [];
      try {
        await migrate(database.db);
        const config = payoutConfig(anvil, 'ETH', { confirmations: 2 });
        const services = await createServices(database, { sessionTtlSeconds: 3600, reauthWindowSeconds: 300, payouts: config }, MASTER_KEY);
        const { bpId } = await services.accounts.signUp(
          { email: `crash-${failpoint}@example.com`, password: 'correct horse battery', name: 'Crash', businessName: 'Crash Ltd' },
          { ip: '127.0.0.1', userAgent: null, requestId: 'test' },
        );
        await database.db.updateTable('bps').set({ environment: 'live' }).where('id', '=', bpId).execute();
        const bp = { bpId, environment: 'live' as const };
        const address = await services.payments.getDepositAddress(bp, { network: 'ETH', identifier: 'funding' });
        const deposit = await services.payments.recordIncomingTransfer({
          network: 'ETH',
          tokenSymbol: null,
          toAddress: address.address,
          fromAddress: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
          amount: parseEther('5'),
          txHash: `0x${'ab'.repeat(32)}`,
          position: -1,
          block: null,
          requiredConfirmations: 12,
        });
        if (deposit === null) throw new Error('no deposit');
        await services.payments.addConfirmations(deposit.id, 12);
        const to = randomAddress();
        const { transaction } = await services.payments.createPayout(bp, { referenceId: 'crash', to, amount: '0.75', network: 'ETH' });
        await services.detach();

        const hot = await hotWallet(anvil, '10');
        const keystore = join(dir, `${failpoint}.json`);
        const passphrase = join(dir, `${failpoint}.pass`);
        writeFileSync(keystore, encryptKeystore(hot.key, 'crash test passphrase', { n: 1024, r: 8, p: 1 }));
        writeFileSync(passphrase, 'crash test passphrase\n');
        const env = {
          DATABASE_URL: created.url,
          PAYGATE_MASTER_KEY: MASTER_KEY.toString('base64'),
          PAYGATE_ENV: 'development',
          PAYGATE_ROLE: 'worker',
          PAYGATE_SANDBOX_AUTO_CONFIRM_SECONDS: '0',
          PAYGATE_ETHEREUM_RPC_URL: anvil.url,
          PAYGATE_ETHEREUM_USDT_CONTRACT: usdt,
          PAYGATE_ETHEREUM_CONFIRMATIONS: '2',
          PAYGATE_ETHEREUM_HOT_WALLET_KEYSTORE: keystore,
          PAYGATE_ETHEREUM_HOT_WALLET_PASSPHRASE_FILE: passphrase,
          PAYGATE_PAYOUT_POLL_INTERVAL_MS: '50',
          LOG_LEVEL: 'warn',
        };
        const status = async () =>
          (await database.db.selectFrom('transactions').select('status').where('id', '=', transaction.id).executeTakeFirstOrThrow()).status;

        const first = new PaygateProcess(await freePort(), { ...env, PAYGATE_FAILPOINTS: failpoint });
        processes.push(first);
        let exit: number | null | 'running' = 'running';
        void first.exited.then((code) => {
          exit = code;
        });
        for (let i = 0; i < 300 && exit === 'running'; i++) {
          await new Promise((r) => setTimeout(r, 100));
          if (i % 3 === 2) await anvil.mine(1); // blocks keep coming, so a sent payout reaches its depth
        }
        expect(exit, first.output).toBeNull(); // died by signal
        expect(first.child.signalCode).toBe('SIGKILL');
        if (failpoint !== 'payout.after-confirm') expect(await status()).toBe('Pending');

        const second = new PaygateProcess(await freePort(), { ...env, LOG_LEVEL: 'info' });
        processes.push(second);
        await second.ready();
        // Signal handlers are installed once start-up finished (after /healthz already answers).
        for (let i = 0; i < 300 && !second.output.includes('paygate started'); i++) await new Promise((r) => setTimeout(r, 100));
        for (let i = 0; i < 300 && (await status()) === 'Pending'; i++) {
          await new Promise((r) => setTimeout(r, 100));
          if (i % 3 === 2) await anvil.mine(1);
        }
        expect(await status(), second.output).toBe('Confirmed');
        // Let the restarted worker run a few more rounds: nothing more may be sent.
        await anvil.mine(3);
        await new Promise((r) => setTimeout(r, 500));
        expect(await second.stop()).toBe(0);

        const client = publicClient(anvil);
        expect(await client.getTransactionCount({ address: hot.address })).toBe(1);
        expect(await client.getBalance({ address: to })).toBe(parseEther('0.75'));
        const confirmations = await sql<{
          n: string;
        }>`select count(*) as n from callback_messages where transaction_id = ${transaction.id} and kind = 'payout'`.execute(database.db);
        expect(confirmations.rows[0]?.n).toBe('1');
        const ledger = await sql<{
          n: string;
        }>`select count(*) as n from ledger_entries where transaction_id = ${transaction.id} and reason = 'payout.confirmed'`.execute(database.db);
        expect(Number(ledger.rows[0]?.n)).toBeGreaterThan(0);
        const attempts = await database.db.selectFrom('payout_attempts').select(['nonce', 'state']).where('transaction_id', '=', transaction.id).execute();
        expect(attempts).toEqual([{ nonce: '0', state: 'mined' }]);
      } finally {
        for (const p of processes) await p.stop('SIGKILL');
        await database.close();
        await created.drop();
      }
    });
  }
});

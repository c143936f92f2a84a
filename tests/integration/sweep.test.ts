import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEther } from 'viem';
import { english, generateMnemonic, mnemonicToAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../apps/server/src/db/database.js';
import { migrate } from '../../apps/server/src/db/migrate.js';
import { encryptKeystore } from '../../apps/server/src/modules/chains/ethereum/keystore.js';
import { createServices } from '../../apps/server/src/runtime.js';
import { parseAccountKey } from '../../apps/server/src/sweep/account-key.js';
import { Anvil } from '../support/anvil.js';
import { createPostgresDatabase, describeEachDatabase } from '../support/databases.js';
import { deployTether, hotWallet, publicClient } from '../support/payout-chain.js';
import { randomAddress } from '../support/payout-fixture.js';
import { SERVER_ENTRY } from '../support/process.js';

const USDT = 10n ** 6n;
const BALANCE_OF = [
  { type: 'function', name: 'balanceOf', stateMutability: 'view', inputs: [{ name: 'o', type: 'address' }], outputs: [{ name: '', type: 'uint256' }] },
] as const;

function run(args: string[], env: Record<string, string>, stdin: string): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER_ENTRY, ...args], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('exit', (code, signal) => resolve({ code, signal, out }));
    child.stdin.end(stdin);
  });
}

describeEachDatabase('paygate sweep', (kind) => {
  let anvil: Anvil;
  let dir: string;
  let env: Record<string, string>;
  let drop: () => Promise<void> = async () => undefined;
  let tether: Awaited<ReturnType<typeof deployTether>>;
  const mnemonic = generateMnemonic(english);
  const cold = randomAddress();
  const addresses: string[] = [];

  const open = async (): Promise<Database> =>
    env.DATABASE_URL !== undefined
      ? openDatabase({ kind: 'postgres', url: env.DATABASE_URL, poolSize: 2 })
      : openDatabase({ kind: 'pglite', dataDir: join(dir, 'data') });

  beforeAll(async () => {
    anvil = await Anvil.start({ chainId: 1 });
    tether = await deployTether(anvil);
    dir = mkdtempSync(join(tmpdir(), 'paygate-sweep-'));
    const hot = await hotWallet(anvil, '5');
    writeFileSync(join(dir, 'hot.json'), encryptKeystore(hot.key, 'sweep test passphrase', { n: 1024, r: 8, p: 1 }));
    writeFileSync(join(dir, 'hot.pass'), 'sweep test passphrase\n');
    env = {
      DATA_DIR: join(dir, 'data'),
      PAYGATE_ENV: 'development',
      PAYGATE_ETHEREUM_RPC_URL: anvil.url,
      PAYGATE_ETHEREUM_USDT_CONTRACT: tether.address,
      PAYGATE_ETHEREUM_HOT_WALLET_KEYSTORE: join(dir, 'hot.json'),
      PAYGATE_ETHEREUM_HOT_WALLET_PASSPHRASE_FILE: join(dir, 'hot.pass'),
    };
    if (kind === 'postgres') {
      const created = await createPostgresDatabase();
      env.DATABASE_URL = created.url;
      env.PAYGATE_MASTER_KEY = Buffer.alloc(32, 5).toString('base64'); // the configuration requires it with DATABASE_URL
      drop = created.drop;
    }
    const database = await open();
    await migrate(database.db);
    const xpub = parseAccountKey(mnemonic).publicExtendedKey;
    const services = await createServices(database, { sessionTtlSeconds: 3600, reauthWindowSeconds: 300, chainXpubs: { ethereum: xpub } }, Buffer.alloc(32, 5));
    const { bpId } = await services.accounts.signUp(
      { email: 'sweep@example.com', password: 'correct horse battery', name: 'Sweep', businessName: 'Sweep Ltd' },
      { ip: '127.0.0.1', userAgent: null, requestId: 'test' },
    );
    await database.db.updateTable('bps').set({ environment: 'live' }).where('id', '=', bpId).execute();
    for (const id of ['a', 'b', 'c', 'd'])
      addresses.push((await services.payments.getDepositAddress({ bpId, environment: 'live' }, { network: 'ETH', identifier: id })).address);
    await services.detach();
    await database.close();
    // The addresses are the mnemonic's own (as any wallet derives them), independently of Paygate's code.
    expect(addresses).toEqual([0, 1, 2, 3].map((i) => mnemonicToAccount(mnemonic, { addressIndex: i }).address));
    await anvil.setBalance(addresses[0] as string, parseEther('1'));
    await tether.mint(addresses[1] as string, 500n * USDT); // USDT without any ETH for gas: topped up from the hot wallet
    await anvil.setBalance(addresses[2] as string, parseEther('0.2'));
    await tether.mint(addresses[2] as string, 100n * USDT);
    // addresses[3] stays empty
  }, 120_000);
  afterAll(async () => {
    await anvil?.stop();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = () => publicClient(anvil);
  const usdtOf = (a: string) => client().readContract({ address: tether.address, abi: BALANCE_OF, functionName: 'balanceOf', args: [a as `0x${string}`] });
  const args = ['sweep', '--network', 'ETH', '--to', cold];

  it('refuses a key that is not behind the configured xpub, and bad arguments, moving nothing', { timeout: 60_000 }, async () => {
    const wrong = await run(args, env, generateMnemonic(english));
    expect(wrong.code, wrong.out).toBe(65);
    expect(wrong.out).toContain('does not belong');
    const typo = await run(args, env, mnemonic.replace(/^\w+/, 'zzzz'));
    expect(typo.code).toBe(65);
    expect(typo.out).not.toContain(mnemonic.split(' ')[1] ?? '-');
    expect((await run(['sweep', '--network', 'ETH', '--to', 'nope'], env, mnemonic)).code).toBe(64);
    expect(await client().getBalance({ address: cold })).toBe(0n);
  });

  it('a dry run lists what would move and sends nothing', { timeout: 60_000 }, async () => {
    const dry = await run([...args, '--dry-run'], env, mnemonic);
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toContain('would move 500 USDT');
    expect(dry.out).toContain('would top up');
    expect(dry.out).not.toContain(addresses[3] as string);
    expect(await usdtOf(addresses[1] as string)).toBe(500n * USDT);
    for (const a of addresses) expect(await client().getTransactionCount({ address: a as `0x${string}` })).toBe(0);
  });

  it('an interrupted sweep (kill -9 after a send) resumes; everything arrives once; a re-run is a no-op', { timeout: 120_000 }, async () => {
    const killed = await run(args, { ...env, PAYGATE_FAILPOINTS: 'sweep.after-send' }, mnemonic);
    expect(killed.signal, killed.out).toBe('SIGKILL');
    const resumed = await run(args, env, mnemonic);
    expect(resumed.code, resumed.out).toBe(0);
    expect(await usdtOf(cold)).toBe(600n * USDT);
    const coldEth = await client().getBalance({ address: cold });
    expect(coldEth).toBeGreaterThan(parseEther('1.19'));
    expect(coldEth).toBeLessThan(parseEther('1.2'));
    for (const a of addresses) {
      expect(await usdtOf(a)).toBe(0n);
      expect(await client().getBalance({ address: a as `0x${string}` })).toBeLessThan(parseEther('0.0001'));
    }
    const counts = await Promise.all(addresses.map((a) => client().getTransactionCount({ address: a as `0x${string}` })));
    expect(counts).toEqual([1, 2, 2, 0]); // ETH; USDT then the topped-up gas's remainder; USDT then ETH; nothing
    const again = await run(args, env, mnemonic);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain('Swept: 0 of 4 addresses');
    expect(await Promise.all(addresses.map((a) => client().getTransactionCount({ address: a as `0x${string}` })))).toEqual(counts);
    expect(await usdtOf(cold)).toBe(600n * USDT);
  });
});

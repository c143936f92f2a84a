/**
 * Deposit scanning on a real node, from one run (Anvil, a Tether-like token, PostgreSQL):
 *   1. catch-up throughput: blocks shaped like mainnet (≈ 300 USDT + 150 ETH transfers each)
 *      scanned against 100,000 deposit addresses — blocks/s, transfers/s, and the ratio to the
 *      chain's own rate (one block per 12 s). Goal: ≥ 100× real time.
 *   2. latency: blocks mined one by one while the scanner loop and the callback worker run —
 *      block mined → `pendingDeposit` callback received by a loopback BP endpoint, p50/p99.
 *      Goal: p99 < 2 s.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/chain-scan.ts
 *
 * Also read: BENCH_BLOCKS (catch-up blocks, 40), BENCH_ADDRESSES (100,000), BENCH_DEPOSIT_SHARE
 * (share of transfers that go to a deposit address, 0.1), BENCH_BATCH_BLOCKS (blocks per scan
 * step, 20), BENCH_LATENCY_BLOCKS (10), BENCH_PROFILE_READER=1 (also time the reader alone). Each network is a "leg" (see `legs` below), so another
 * chain's leg is one more entry.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { getAddress, type Hex } from 'viem';
import { openDatabase } from '../apps/server/src/db/database.js';
import { migrate } from '../apps/server/src/db/migrate.js';
import { createLogger } from '../apps/server/src/lib/logger.js';
import { CallbackDeliveryWorker } from '../apps/server/src/modules/callbacks/delivery.js';
import { runScanner } from '../apps/server/src/modules/chains/scanner/worker.js';
import { createServices, type Services } from '../apps/server/src/runtime.js';
import { Anvil } from '../tests/support/anvil.js';
import { createPostgresDatabase } from '../tests/support/databases.js';
import { deployTetherLike, devAccount, Sender, sendRaw, testScanner } from '../tests/support/eth-scan.js';
import { CallbackReceiver } from '../tests/support/receiver.js';
import { RpcCache } from './rpc-cache.js';
import { fmt, percentile } from './support.js';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 40);
const ADDRESSES = Number(process.env.BENCH_ADDRESSES ?? 100_000);
const SHARE = Number(process.env.BENCH_DEPOSIT_SHARE ?? 0.1);
const BATCH = Number(process.env.BENCH_BATCH_BLOCKS ?? 20);
const LATENCY_BLOCKS = Number(process.env.BENCH_LATENCY_BLOCKS ?? 10);
const USDT_PER_BLOCK = 300;
const ETH_PER_BLOCK = 150;
const CHAIN_BLOCKS_PER_SECOND = 1 / 12;
const MASTER_KEY = Buffer.alloc(32, 17);

interface LegResult {
  readonly name: string;
  /** Blocks/s straight from the test node (bound by how fast it serves big blocks). */
  readonly nodeBlocksPerSecond: number;
  /** Blocks/s through a warmed caching proxy: Paygate's own rate (reader + matching + crediting). */
  readonly blocksPerSecond: number;
  readonly transfersPerSecond: number;
  readonly deposits: number;
  readonly latenciesMs: number[];
}

interface BenchDatabase {
  readonly services: Services;
  readonly bpId: string;
  close(): Promise<void>;
}

/** A fresh PostgreSQL database with one live BP whose pendingDeposit callbacks go to `hook`. */
async function benchDatabase(hook: string): Promise<BenchDatabase> {
  const created = await createPostgresDatabase(ADMIN_URL);
  const database = await openDatabase({ kind: 'postgres', url: created.url, poolSize: 8 });
  await migrate(database.db);
  const services = await createServices(database, { sessionTtlSeconds: 3600, reauthWindowSeconds: 300 }, MASTER_KEY);
  const { bpId } = await services.accounts.signUp(
    { email: 'bench@example.com', password: 'correct horse battery', name: 'Bench', businessName: 'Bench Ltd' },
    { ip: '127.0.0.1', userAgent: null, requestId: 'bench' },
  );
  await database.db.updateTable('bps').set({ environment: 'live' }).where('id', '=', bpId).execute();
  await database.db.insertInto('callback_urls').values({ bp_id: bpId, kind: 'pendingDeposit', url: hook, enabled: true }).execute();
  return {
    services,
    bpId,
    close: async () => {
      await services.detach();
      await database.close();
      await created.drop();
    },
  };
}

/** Ethereum: Anvil with manual mining, TetherLike as USDT, the production reader and scanner. */
async function ethereumLeg(hook: string, receiver: CallbackReceiver): Promise<LegResult> {
  const anvil = await Anvil.start({ chainId: 1, mining: 'manual', gasLimit: 60_000_000n });
  const cache = new RpcCache(anvil.url);
  const databases: BenchDatabase[] = [];
  try {
    const owner = devAccount(0);
    const usdt = await deployTetherLike(anvil, owner, 10n ** 15n);
    const senders = [0, 1, 2, 3, 4].map((i) => new Sender(anvil, devAccount(i)));
    const ownerSender = senders[0];
    if (ownerSender === undefined) throw new Error('no sender');
    await sendRaw(anvil, await Promise.all([1, 2, 3, 4].map((i) => ownerSender.signToken(usdt, devAccount(i).address, 10n ** 13n))));
    await anvil.mine(1);
    await cache.start();

    // 100,000 deposit addresses, seeded directly (address derivation is not what is measured).
    const addresses: Hex[] = [];
    for (let i = 0; i < ADDRESSES; i++) addresses.push(getAddress(`0x${randomBytes(20).toString('hex')}`));
    const seeded = async (): Promise<BenchDatabase> => {
      const bench = await benchDatabase(hook);
      databases.push(bench);
      for (let i = 0; i < addresses.length; i += 5_000) {
        await bench.services.database.db
          .insertInto('deposit_addresses')
          .values(
            addresses.slice(i, i + 5_000).map((address, j) => ({
              id: `da_bench${String(i + j).padStart(22, '0')}`,
              bp_id: bench.bpId,
              network: 'ETH',
              chain: 'ethereum' as const,
              identifier: `bench-${i + j}`,
              reference_id: null,
              address,
              derivation_index: 10_000_000 + i + j,
            })),
          )
          .execute();
      }
      return bench;
    };
    let deposits = 0;
    const pick = (): Hex => {
      if (Math.random() < SHARE) {
        deposits++;
        return addresses[Math.floor(Math.random() * addresses.length)] as Hex;
      }
      return `0x${randomBytes(20).toString('hex')}`;
    };
    const fillBlock = async (): Promise<Hex[]> => {
      const raws: Hex[] = [];
      for (let n = 0; n < USDT_PER_BLOCK + ETH_PER_BLOCK; n++) {
        const sender = senders[n % senders.length];
        if (sender === undefined) throw new Error('no sender');
        raws.push(n < USDT_PER_BLOCK ? await sender.signToken(usdt, pick(), 2_000_000n + BigInt(n)) : await sender.signEth(pick(), 10n ** 15n + BigInt(n)));
      }
      const hashes = await sendRaw(anvil, raws);
      await anvil.mine(1);
      return hashes;
    };

    process.stdout.write(`  mining ${BLOCKS} blocks of ${USDT_PER_BLOCK} USDT + ${ETH_PER_BLOCK} ETH transfers…\n`);
    for (let b = 0; b < BLOCKS; b++) await fillBlock();
    const backlogDeposits = deposits;
    const timed = async (bench: BenchDatabase): Promise<{ blocks: number; seconds: number }> => {
      const scan = testScanner(bench.services, anvil, { network: 'ETH', usdt, batchBlocks: BATCH, url: cache.url });
      const started = performance.now();
      const blocks = await scan.toHead(10_000);
      return { blocks, seconds: (performance.now() - started) / 1000 };
    };
    // Pass 1 reads every block from Anvil (and warms the cache); pass 2, on a fresh database, reads them from the cache.
    const fromNode = await timed(await seeded());
    const fast = await timed(await seeded());
    if (process.env.BENCH_PROFILE_READER === '1') {
      const reader = testScanner((databases[1] as BenchDatabase).services, anvil, { network: 'ETH', usdt, url: cache.url }).reader;
      const head = await anvil.blockNumber();
      const t0 = performance.now();
      for (let f = 0n; f <= head; f += BigInt(BATCH)) await reader.scan(f, f + BigInt(BATCH) - 1n < head ? f + BigInt(BATCH) - 1n : head);
      process.stdout.write(`  reader alone (cached): ${fmt((Number(head + 1n) / (performance.now() - t0)) * 1000, 1)} blocks/s\n`);
    }
    const credited = await databases[1]?.services.database.db
      .selectFrom('transactions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(credited?.n) !== backlogDeposits) throw new Error(`expected ${backlogDeposits} deposits, found ${credited?.n}`);

    // Latency: the scanner loop (straight to Anvil) and the callback worker run; blocks arrive one by one.
    const bench = databases[1];
    if (bench === undefined) throw new Error('no database');
    const { services } = bench;
    const live = testScanner(services, anvil, { network: 'ETH', usdt, batchBlocks: BATCH });
    const delivery = new CallbackDeliveryWorker(services.database, services.apiSecrets, services.audit, services.clock, createLogger('silent'), {
      retryScheduleMs: [1_000],
      batchSize: 200,
      requestsPerUrl: 16,
      pollIntervalMs: 1_000,
      allowedRanges: ['127.0.0.0/8'],
    });
    await delivery.start();
    const loop = runScanner(live.reader, live.scanner, live.metrics, createLogger('silent'), { pollIntervalMs: 100 });
    const latenciesMs: number[] = [];
    try {
      for (let b = 0; b < LATENCY_BLOCKS; b++) {
        receiver.received.length = 0;
        const before = deposits;
        const hashes = new Set((await fillBlock()).map((h) => h.toLowerCase()));
        const minedAt = Date.now();
        const wanted = deposits - before;
        const deadline = Date.now() + 30_000;
        const ours = () => receiver.received.filter((r) => hashes.has(String((JSON.parse(r.body) as { txHash: string }).txHash)));
        while (ours().length < wanted && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
        for (const r of ours()) latenciesMs.push(r.at - minedAt);
      }
    } finally {
      await loop.stop();
      await delivery.stop();
    }
    return {
      name: 'Ethereum (Anvil)',
      nodeBlocksPerSecond: fromNode.blocks / fromNode.seconds,
      blocksPerSecond: fast.blocks / fast.seconds,
      transfersPerSecond: (fast.blocks * (USDT_PER_BLOCK + ETH_PER_BLOCK)) / fast.seconds,
      deposits: backlogDeposits,
      latenciesMs,
    };
  } finally {
    for (const d of databases) await d.close();
    await cache.stop();
    await anvil.stop();
  }
}

const legs = [{ name: 'ethereum', run: ethereumLeg }];

async function main(): Promise<void> {
  const receiver = new CallbackReceiver();
  try {
    const hook = `${await receiver.start()}/hook`;
    process.stdout.write(
      `chain-scan: ${fmt(ADDRESSES)} deposit addresses, ${fmt(SHARE * 100)} % of transfers to them, ${BATCH} blocks per scan step, PostgreSQL\n`,
    );
    for (const leg of legs) {
      const r = await leg.run(hook, receiver);
      process.stdout.write(
        [
          `${r.name}:`,
          `  from the node      ${fmt(r.nodeBlocksPerSecond, 2)} blocks/s = ${fmt(r.nodeBlocksPerSecond / CHAIN_BLOCKS_PER_SECOND, 1)}× real time (bound by the test node serving full blocks)`,
          `  Paygate's own rate ${fmt(r.blocksPerSecond, 1)} blocks/s, ${fmt(r.transfersPerSecond)} transfers/s (${fmt(r.deposits)} deposits credited; warmed RPC cache as the node)`,
          `  vs chain           ${fmt(r.blocksPerSecond / CHAIN_BLOCKS_PER_SECOND)}× real time (goal ≥ 100×)`,
          `  latency            block mined → pendingDeposit callback: p50 ${fmt(percentile(r.latenciesMs, 50))} ms, p99 ${fmt(percentile(r.latenciesMs, 99))} ms over ${fmt(r.latenciesMs.length)} deposits (goal p99 < 2,000 ms)`,
          '',
        ].join('\n'),
      );
    }
  } finally {
    await receiver.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

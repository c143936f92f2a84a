import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Database } from '../../../db/database.js';
import type { Clock } from '../../../lib/clock.js';
import type { Failpoints } from '../../../lib/failpoints.js';
import type { PayoutConfig } from '../../../payout-config.js';
import type { AuditService } from '../../audit/service.js';
import { NetworkMismatchError } from '../adapter.js';
import { decryptKeystore } from '../ethereum/keystore.js';
import { EthereumSigner } from '../ethereum/signer.js';
import type { HotWalletGauge } from './metrics.js';
import { PayoutPipeline } from './service.js';

export interface PayoutWorkers {
  readonly pipelines: readonly PayoutPipeline[];
  stop(): Promise<void>;
}

/** Balances are read for the metrics at most this often (one node call each). */
const BALANCE_REFRESH_MS = 30_000;

/**
 * Start one payout loop per node-backed Ethereum network that has a hot wallet. The keystore is
 * read and decrypted here, in the worker only; the key stays in memory and is never logged.
 */
export async function startPayoutWorkers(
  deps: { database: Database; audit: AuditService; clock: Clock; logger: Logger; failpoints: Failpoints; balances: HotWalletGauge },
  config: PayoutConfig,
): Promise<PayoutWorkers> {
  const pipelines: PayoutPipeline[] = [];
  const loops: (() => Promise<void>)[] = [];
  for (const node of Object.values(config.ethereumNodes)) {
    const files = config.hotWallets[node.network];
    if (files === undefined) {
      deps.logger.error(
        { network: node.network },
        `no hot wallet for ${node.network}: payouts stay queued until PAYGATE_${node.network === 'ETH' ? 'ETHEREUM' : 'SEPOLIA'}_HOT_WALLET_KEYSTORE and its passphrase file are set on the worker`,
      );
      continue;
    }
    const [keystore, passphrase] = await Promise.all([readFile(files.keystoreFile, 'utf8'), readFile(files.passphraseFile, 'utf8')]);
    const signer = new EthereumSigner({
      network: node.network,
      chainId: node.chainId,
      rpcUrl: node.rpcUrl,
      privateKey: decryptKeystore(keystore, passphrase.replace(/\r?\n$/, '')),
      usdtContract: node.usdtContract,
      confirmations: node.confirmations,
      maxFeePerGasWei: config.maxFeePerGasWei,
      nativeGasLimit: config.nativeGasLimit,
      tokenGasLimit: config.tokenGasLimit,
    });
    const pipeline = new PayoutPipeline(
      deps.database.db,
      { signer, head: () => signer.head(), minedNonce: () => signer.minedNonce() },
      deps.audit,
      deps.clock,
      deps.logger.child({ component: 'payouts', network: node.network }),
      deps.failpoints,
      { replaceAfterSeconds: config.replaceAfterSeconds },
    );
    pipelines.push(pipeline);
    let balancesReadAt = 0;
    let ready = false;
    loops.push(async () => {
      // A node that is down at start-up is waited for (the worker still serves /healthz and metrics);
      // one serving another chain is reported every round and never used.
      if (!ready) {
        await signer.verifyNetwork();
        await pipeline.start();
        ready = true;
        deps.logger.info({ network: node.network, hotWallet: signer.address }, 'payout worker started');
      }
      await pipeline.tick();
      if (Date.now() - balancesReadAt > BALANCE_REFRESH_MS) {
        const b = await signer.balances();
        deps.balances.set(node.network, 'native', b.native);
        deps.balances.set(node.network, 'token', b.token);
        balancesReadAt = Date.now();
      }
    });
  }
  let stopped = false;
  const sleepers = new Set<() => void>();
  // Stopping cuts the pause short: shutdown waits only for the round in progress.
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, config.pollIntervalMs);
      function done() {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      }
      sleepers.add(done);
    });
  const running = loops.map(async (loop) => {
    while (!stopped) {
      try {
        await loop();
      } catch (error: unknown) {
        // A node or database hiccup: the next round starts over from what the database holds.
        if (error instanceof NetworkMismatchError) deps.logger.error({ err: error }, 'payouts stopped: the node serves another chain');
        else deps.logger.warn({ err: error }, 'payout round failed; retrying');
      }
      if (!stopped) await pause();
    }
  });
  return {
    pipelines,
    stop: async () => {
      stopped = true;
      for (const wake of [...sleepers]) wake();
      await Promise.all(running);
    },
  };
}

import type { Logger } from 'pino';
import type { ChainConfig } from '../chain-config.js';
import { NetworkMismatchError } from '../modules/chains/adapter.js';
import { createEthereumClient } from '../modules/chains/ethereum/client.js';
import { EthereumReader } from '../modules/chains/ethereum/reader.js';
import { createChainMetrics } from '../modules/chains/metrics.js';
import { type NetworkSettings, scannedNetworks } from '../modules/chains/networks.js';
import { BalanceCheck } from '../modules/chains/scanner/balance-check.js';
import { ChainScanner } from '../modules/chains/scanner/service.js';
import { type RunningScanner, runScanner } from '../modules/chains/scanner/worker.js';
import type { Services } from '../runtime.js';
import type { Stoppable } from './maintenance.js';

export interface ChainNode {
  readonly settings: NetworkSettings;
  readonly reader: EthereumReader;
}

/**
 * The readers of every network with a node configured, each node asked for its chain id first:
 * a node of another network is refused (the process does not start), naming both ids; a node
 * that does not answer yet is retried by the scanner loop with backoff. Called before the
 * database is opened, so a wrong URL fails fast.
 */
export async function connectChainNodes(chains: ChainConfig, logger: Logger): Promise<ChainNode[]> {
  const readers = scannedNetworks(chains).map((settings) => {
    const client = createEthereumClient({ url: settings.rpcUrl ?? '', timeoutMs: chains.rpcTimeoutMs });
    return { settings, reader: new EthereumReader(settings.symbol, client, settings) };
  });
  for (const { reader } of readers) {
    try {
      await reader.verifyNetwork();
    } catch (error: unknown) {
      if (error instanceof NetworkMismatchError) throw error;
      logger.warn({ network: reader.network, err: error }, 'chain node not reachable at start-up; the scanner keeps trying');
    }
  }
  return readers;
}

/** Start a deposit scanner loop for every connected node. */
export function startChainScanners(
  services: Pick<Services, 'deposits' | 'scannerStore' | 'metrics' | 'clock'>,
  readers: readonly ChainNode[],
  chains: ChainConfig,
  logger: Logger,
): Stoppable {
  if (readers.length === 0) return { stop: async () => undefined };
  const metrics = createChainMetrics(services.metrics.registry);
  const running: RunningScanner[] = readers.map(({ settings, reader }) => {
    const scanner = new ChainScanner(
      reader,
      services.scannerStore,
      services.deposits,
      { confirmations: settings.confirmations, startBlock: settings.startBlock, batchBlocks: chains.scanBatchBlocks },
      metrics,
      services.clock,
      logger,
    );
    logger.info({ network: settings.symbol, confirmations: settings.confirmations, usdtContract: settings.usdtContract ?? null }, 'deposit scanner started');
    // About once a minute while caught up (and at least every 15 polls).
    const everySteps = Math.max(1, Math.min(15, Math.round(60_000 / chains.pollIntervalMs)));
    return runScanner(reader, scanner, metrics, logger, {
      pollIntervalMs: chains.pollIntervalMs,
      balanceCheck: { check: new BalanceCheck(reader, services.scannerStore, services.clock, logger), everySteps },
    });
  });
  return {
    stop: async () => {
      await Promise.all(running.map((r) => r.stop()));
    },
  };
}

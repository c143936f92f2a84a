import type { Logger } from 'pino';
import type { TronNetworkConfig } from '../../../tron-config.js';
import { ChainRpcError } from '../adapter.js';
import { createTronWeb } from './client.js';
import { TronChainReader } from './reader.js';
import { TronPayoutSigner } from './signer.js';

function tronWebFor(config: TronNetworkConfig) {
  return createTronWeb({
    apiUrl: config.apiUrl,
    timeoutMs: config.timeoutMs,
    apiKeyHeader: config.apiKeyHeader,
    ...(config.apiKey === undefined ? {} : { apiKey: config.apiKey }),
  });
}

export function createTronReader(config: TronNetworkConfig): TronChainReader {
  return new TronChainReader({
    network: config.network,
    tronWeb: tronWebFor(config),
    usdtContract: config.usdtContract,
    genesisBlockId: config.genesisBlockId,
  });
}

/** The hot wallet signer; `privateKey` comes from the decrypted keystore (worker only). */
export function createTronSigner(config: TronNetworkConfig, privateKey: string): TronPayoutSigner {
  return new TronPayoutSigner({
    network: config.network,
    tronWeb: tronWebFor(config),
    privateKey,
    usdtContract: config.usdtContract,
    feeLimitSun: config.feeLimitSun,
    expirationMs: config.expirationMs,
  });
}

/**
 * Start-up check of every configured Tron node: a node serving another network (its genesis
 * block differs) stops the process with a {@link NetworkMismatchError} naming both. A node that
 * cannot be reached does not: it is logged, and the scanner checks again before its first scan.
 */
export async function verifyTronNetworks(networks: readonly TronNetworkConfig[], logger: Logger): Promise<void> {
  for (const config of networks) {
    try {
      await createTronReader(config).verifyNetwork();
      logger.info({ network: config.network, node: new URL(config.apiUrl).origin }, 'Tron node serves the configured network');
    } catch (error: unknown) {
      if (!(error instanceof ChainRpcError)) throw error;
      logger.warn(
        { network: config.network, node: new URL(config.apiUrl).origin, err: error.message },
        'Tron node unreachable at start-up; its network is checked again before scanning',
      );
    }
  }
}

import type { ChainConfig } from '../../chain-config.js';
import type { Chain, Environment } from '../payments/currencies.js';
import type { NetworkSymbol } from './adapter.js';

/**
 * Per-network settings resolved from the configuration: which environment a network serves,
 * its chain id, its node (or none: then the sandbox simulator stands in for sandbox networks,
 * and a live network waits for a node), its token contract, confirmation depth, where scanning
 * starts and which block explorer links point to.
 */
export interface NetworkSettings {
  readonly symbol: NetworkSymbol;
  readonly chain: Chain;
  readonly environment: Environment;
  /** Ethereum: the EIP-155 chain id the node must report (as decimal text). */
  readonly chainId: string;
  /** undefined = no node configured. */
  readonly rpcUrl: string | undefined;
  readonly usdtContract: string | undefined;
  readonly confirmations: number;
  readonly startBlock: bigint | undefined;
  readonly explorerUrl: string;
}

/** Explorer bases of the Tron networks until their settings move into the Tron configuration. */
const TRON_EXPLORERS: Readonly<Record<'TRX' | 'TRX-SHASTA', string>> = { TRX: 'https://tronscan.org', 'TRX-SHASTA': 'https://shasta.tronscan.org' };

export function ethereumNetworks(config: ChainConfig): NetworkSettings[] {
  return [
    { symbol: 'ETH', chain: 'ethereum', environment: 'live', chainId: '1', ...config.ethereum },
    { symbol: 'SEP', chain: 'ethereum', environment: 'sandbox', chainId: '11155111', ...config.sepolia },
  ];
}

/** Networks whose deposits come from a real node (scanned), as opposed to the simulator. */
export function scannedNetworks(config: ChainConfig): NetworkSettings[] {
  return ethereumNetworks(config).filter((n) => n.rpcUrl !== undefined);
}

/**
 * True when the simulator backs `network` for sandbox BPs (no node configured for it): only
 * then do the /v1/sandbox/* endpoints and the auto-advance apply.
 */
export function isSimulated(config: ChainConfig, network: string): boolean {
  const eth = ethereumNetworks(config).find((n) => n.symbol === network);
  return eth === undefined ? true : eth.environment === 'sandbox' && eth.rpcUrl === undefined;
}

/** Block-explorer link of a transaction, or null when the network has no explorer configured. */
export function explorerTxUrl(config: ChainConfig, network: string, txHash: string): string | null {
  const eth = ethereumNetworks(config).find((n) => n.symbol === network);
  const base = eth?.explorerUrl ?? (network === 'TRX' || network === 'TRX-SHASTA' ? TRON_EXPLORERS[network] : undefined);
  if (base === undefined) return null;
  return eth !== undefined ? `${base}/tx/${txHash}` : `${base}/#/transaction/${txHash}`;
}

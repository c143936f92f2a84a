import { z } from 'zod';

/**
 * The Ethereum part of the configuration (nodes, token contracts, confirmation depth, polling).
 * A zod fragment merged into the one environment schema in config.ts, so all environment
 * reading still happens in one place.
 */
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte contract address');
const rpcUrl = z.url().refine((v) => /^https?:\/\//.test(v), { message: 'must be an http:// or https:// JSON-RPC URL' });

export const MAINNET_USDT_CONTRACT = '0xdAC17F958D2ee523a2206206994597C13D831ec7';

export const chainEnvironmentSchema = z.object({
  PAYGATE_ETHEREUM_RPC_URL: rpcUrl.optional(),
  PAYGATE_SEPOLIA_RPC_URL: rpcUrl.optional(),
  PAYGATE_ETHEREUM_USDT_CONTRACT: address.default(MAINNET_USDT_CONTRACT),
  PAYGATE_SEPOLIA_USDT_CONTRACT: address.optional(),
  PAYGATE_ETHEREUM_CONFIRMATIONS: z.coerce.number().int().min(1).max(1000).default(12),
  PAYGATE_SEPOLIA_CONFIRMATIONS: z.coerce.number().int().min(1).max(1000).default(12),
  PAYGATE_ETHEREUM_START_BLOCK: z.coerce.number().int().min(0).optional(),
  PAYGATE_SEPOLIA_START_BLOCK: z.coerce.number().int().min(0).optional(),
  PAYGATE_CHAIN_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(4_000),
  PAYGATE_CHAIN_SCAN_BATCH_BLOCKS: z.coerce.number().int().min(1).max(1_000).default(50),
  PAYGATE_CHAIN_RPC_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  PAYGATE_ETHEREUM_EXPLORER_URL: z.url().default('https://etherscan.io'),
  PAYGATE_SEPOLIA_EXPLORER_URL: z.url().default('https://sepolia.etherscan.io'),
});

export type ChainEnvironment = z.infer<typeof chainEnvironmentSchema>;

/** One Ethereum-family network as configured (a node URL or none). */
export interface EthereumNetworkConfig {
  readonly rpcUrl: string | undefined;
  /** The token contract whose Transfer logs are deposits; undefined = no USDT on this network. */
  readonly usdtContract: string | undefined;
  readonly confirmations: number;
  /** First block to scan on the very first start; undefined = the head at that moment (recorded). */
  readonly startBlock: bigint | undefined;
  readonly explorerUrl: string;
}

export interface ChainConfig {
  readonly ethereum: EthereumNetworkConfig;
  readonly sepolia: EthereumNetworkConfig;
  readonly pollIntervalMs: number;
  /** Most blocks one scan step reads (catch-up after downtime goes in steps of this size). */
  readonly scanBatchBlocks: number;
  readonly rpcTimeoutMs: number;
}

export function resolveChainConfig(env: ChainEnvironment): ChainConfig {
  return {
    ethereum: {
      rpcUrl: env.PAYGATE_ETHEREUM_RPC_URL,
      usdtContract: env.PAYGATE_ETHEREUM_USDT_CONTRACT,
      confirmations: env.PAYGATE_ETHEREUM_CONFIRMATIONS,
      startBlock: env.PAYGATE_ETHEREUM_START_BLOCK === undefined ? undefined : BigInt(env.PAYGATE_ETHEREUM_START_BLOCK),
      explorerUrl: env.PAYGATE_ETHEREUM_EXPLORER_URL.replace(/\/+$/, ''),
    },
    sepolia: {
      rpcUrl: env.PAYGATE_SEPOLIA_RPC_URL,
      usdtContract: env.PAYGATE_SEPOLIA_USDT_CONTRACT,
      confirmations: env.PAYGATE_SEPOLIA_CONFIRMATIONS,
      startBlock: env.PAYGATE_SEPOLIA_START_BLOCK === undefined ? undefined : BigInt(env.PAYGATE_SEPOLIA_START_BLOCK),
      explorerUrl: env.PAYGATE_SEPOLIA_EXPLORER_URL.replace(/\/+$/, ''),
    },
    pollIntervalMs: env.PAYGATE_CHAIN_POLL_INTERVAL_MS,
    scanBatchBlocks: env.PAYGATE_CHAIN_SCAN_BATCH_BLOCKS,
    rpcTimeoutMs: env.PAYGATE_CHAIN_RPC_TIMEOUT_MS,
  };
}

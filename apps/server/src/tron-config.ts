import { z } from 'zod';
import { TRON_GENESIS_BLOCK_ID } from './modules/chains/tron/genesis.js';
import { validateTronAddress } from './modules/payments/chain/addresses.js';

/**
 * Tron node settings: the zod fragment config.ts merges into its one environment schema, and
 * the per-network settings resolved from it. A network is backed by a node only when its URL is
 * set (`PAYGATE_TRON_API_URL` → TRX for live BPs, `PAYGATE_SHASTA_API_URL` → TRX-SHASTA for
 * sandbox BPs; without it sandbox Tron stays on the simulator).
 */

const tronAddress = z.string().refine((v) => validateTronAddress(v).ok, { message: 'must be a Tron base58 address (T…, 34 characters)' });
const sun = z
  .string()
  .regex(/^\d+$/, 'must be a whole number of sun (1 TRX = 1,000,000 sun)')
  .transform((v) => BigInt(v))
  .refine((v) => v > 0n && v <= 15_000_000_000n, { message: 'must be between 1 sun and 15,000 TRX (15000000000), the network maximum' });

export const tronEnvironmentShape = {
  PAYGATE_TRON_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  PAYGATE_SHASTA_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  PAYGATE_TRON_API_KEY: z.string().min(1).optional(),
  PAYGATE_SHASTA_API_KEY: z.string().min(1).optional(),
  PAYGATE_TRON_API_KEY_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
    .default('TRON-PRO-API-KEY'),
  PAYGATE_TRON_USDT_CONTRACT: tronAddress.default('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'),
  PAYGATE_SHASTA_USDT_CONTRACT: tronAddress.optional(),
  PAYGATE_TRON_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(3000),
  PAYGATE_TRON_FEE_LIMIT_SUN: sun.default(30_000_000n),
  PAYGATE_TRON_CONFIRMATIONS: z.coerce.number().int().min(1).max(1000).default(19),
  PAYGATE_TRON_TX_EXPIRATION_SECONDS: z.coerce.number().int().min(3).max(86_400).default(60),
  PAYGATE_TRON_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
};

const fragment = z.object(tronEnvironmentShape);
export type TronEnvironment = z.infer<typeof fragment>;

export interface TronNetworkConfig {
  readonly network: 'TRX' | 'TRX-SHASTA';
  readonly apiUrl: string;
  readonly apiKey: string | undefined;
  readonly apiKeyHeader: string;
  readonly usdtContract: string;
  /** Block 0 id the node must serve (checked at start-up). */
  readonly genesisBlockId: string;
  readonly pollIntervalMs: number;
  /** fee_limit cap of TRC-20 payouts, sun. */
  readonly feeLimitSun: bigint;
  /** Shown as `required_confirmations` for a Tron deposit; Confirmed itself means "solidified". */
  readonly reportedConfirmations: number;
  readonly expirationMs: number;
  readonly timeoutMs: number;
}

export interface TronConfig {
  /** The Tron networks backed by a node (none = both on the simulator / not yet scanned). */
  readonly networks: readonly TronNetworkConfig[];
}

/** Resolve the parsed fragment; `problems` lists combinations that cannot run (config.ts reports them with the rest). */
export function resolveTronConfig(env: TronEnvironment): { readonly tron: TronConfig; readonly problems: readonly string[] } {
  const problems: string[] = [];
  const common = {
    apiKeyHeader: env.PAYGATE_TRON_API_KEY_HEADER,
    pollIntervalMs: env.PAYGATE_TRON_POLL_INTERVAL_MS,
    feeLimitSun: env.PAYGATE_TRON_FEE_LIMIT_SUN,
    reportedConfirmations: env.PAYGATE_TRON_CONFIRMATIONS,
    expirationMs: env.PAYGATE_TRON_TX_EXPIRATION_SECONDS * 1000,
    timeoutMs: env.PAYGATE_TRON_TIMEOUT_MS,
  };
  const networks: TronNetworkConfig[] = [];
  if (env.PAYGATE_TRON_API_URL !== undefined) {
    networks.push({
      network: 'TRX',
      apiUrl: env.PAYGATE_TRON_API_URL,
      apiKey: env.PAYGATE_TRON_API_KEY,
      usdtContract: env.PAYGATE_TRON_USDT_CONTRACT,
      genesisBlockId: TRON_GENESIS_BLOCK_ID.TRX,
      ...common,
    });
  }
  if (env.PAYGATE_SHASTA_API_URL !== undefined) {
    if (env.PAYGATE_SHASTA_USDT_CONTRACT === undefined) {
      problems.push(
        'PAYGATE_SHASTA_USDT_CONTRACT: required when PAYGATE_SHASTA_API_URL is set (the TRC-20 contract sandbox USDT deposits and payouts use on Shasta)',
      );
    } else {
      networks.push({
        network: 'TRX-SHASTA',
        apiUrl: env.PAYGATE_SHASTA_API_URL,
        apiKey: env.PAYGATE_SHASTA_API_KEY,
        usdtContract: env.PAYGATE_SHASTA_USDT_CONTRACT,
        genesisBlockId: TRON_GENESIS_BLOCK_ID['TRX-SHASTA'],
        ...common,
      });
    }
  }
  if (env.PAYGATE_TRON_API_KEY !== undefined && env.PAYGATE_TRON_API_URL === undefined) {
    problems.push('PAYGATE_TRON_API_KEY: set without PAYGATE_TRON_API_URL; set the node URL too (e.g. https://api.trongrid.io)');
  }
  return { tron: { networks }, problems };
}

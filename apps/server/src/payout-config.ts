import { parseGwei } from 'viem';
import { z } from 'zod';
import type { ChainConfig } from './chain-config.js';

/**
 * The configuration fragment of chain payouts (merged into config.ts's one schema): the hot
 * wallet of each Ethereum network, fee caps and replacement timing, and test failpoints.
 *
 * The node settings (RPC URLs, USDT contracts, confirmations) are the networks configuration
 * of chain-config.ts; payouts use that one definition.
 */
const gwei = z
  .string()
  .regex(/^\d+(\.\d{1,9})?$/, 'must be a decimal number of gwei (up to 9 decimals)')
  .transform((v) => parseGwei(v));

export const payoutEnvironmentShape = {
  PAYGATE_ETHEREUM_HOT_WALLET_KEYSTORE: z.string().min(1).optional(),
  PAYGATE_ETHEREUM_HOT_WALLET_PASSPHRASE_FILE: z.string().min(1).optional(),
  PAYGATE_SEPOLIA_HOT_WALLET_KEYSTORE: z.string().min(1).optional(),
  PAYGATE_SEPOLIA_HOT_WALLET_PASSPHRASE_FILE: z.string().min(1).optional(),
  PAYGATE_ETHEREUM_MAX_FEE_GWEI: gwei.default(parseGwei('200')),
  PAYGATE_ETHEREUM_PAYOUT_GAS_LIMIT: z.coerce.number().int().min(21_000).max(1_000_000).default(60_000),
  PAYGATE_ETHEREUM_TOKEN_GAS_LIMIT: z.coerce.number().int().min(21_000).max(1_000_000).default(120_000),
  PAYGATE_ETHEREUM_REPLACE_AFTER_SECONDS: z.coerce.number().int().min(1).max(86_400).default(180),
  PAYGATE_PAYOUT_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(5_000),
  PAYGATE_FAILPOINTS: z.string().optional(),
};

export type EthereumNetwork = 'ETH' | 'SEP';

export interface EthereumNodeConfig {
  readonly network: EthereumNetwork;
  readonly chainId: number;
  readonly rpcUrl: string;
  /** The USDT contract; null = this network has no token configured (token payouts refused). */
  readonly usdtContract: `0x${string}` | null;
  readonly confirmations: number;
}

export interface HotWalletFiles {
  readonly keystoreFile: string;
  readonly passphraseFile: string;
}

export interface PayoutConfig {
  /** Node-backed Ethereum networks (absent = simulator for SEP, unavailable for ETH). */
  readonly ethereumNodes: Partial<Record<EthereumNetwork, EthereumNodeConfig>>;
  readonly hotWallets: Partial<Record<EthereumNetwork, HotWalletFiles>>;
  /** Never sign a transaction whose maxFeePerGas is above this (wei). */
  readonly maxFeePerGasWei: bigint;
  /** Native payouts reserve (and are signed with at most) this much gas. */
  readonly nativeGasLimit: bigint;
  readonly tokenGasLimit: bigint;
  readonly replaceAfterSeconds: number;
  readonly pollIntervalMs: number;
  /** Named points where the process kills itself (tests of crash safety; refused in production). */
  readonly failpoints: readonly string[];
}

type PayoutEnvironment = z.infer<z.ZodObject<typeof payoutEnvironmentShape>>;

/** Resolve the fragment; problems are appended to `problems` (config.ts reports them all at once). */
export function resolvePayoutConfig(env: PayoutEnvironment, chains: ChainConfig, mode: 'development' | 'production', problems: string[]): PayoutConfig {
  const failpoints = (env.PAYGATE_FAILPOINTS ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (failpoints.length > 0 && mode === 'production')
    problems.push('PAYGATE_FAILPOINTS: test failpoints kill the process; refused when PAYGATE_ENV=production');
  const hotWallets: Partial<Record<EthereumNetwork, HotWalletFiles>> = {};
  const pairs = [
    [
      'ETH',
      'PAYGATE_ETHEREUM_HOT_WALLET_KEYSTORE',
      env.PAYGATE_ETHEREUM_HOT_WALLET_KEYSTORE,
      'PAYGATE_ETHEREUM_HOT_WALLET_PASSPHRASE_FILE',
      env.PAYGATE_ETHEREUM_HOT_WALLET_PASSPHRASE_FILE,
    ],
    [
      'SEP',
      'PAYGATE_SEPOLIA_HOT_WALLET_KEYSTORE',
      env.PAYGATE_SEPOLIA_HOT_WALLET_KEYSTORE,
      'PAYGATE_SEPOLIA_HOT_WALLET_PASSPHRASE_FILE',
      env.PAYGATE_SEPOLIA_HOT_WALLET_PASSPHRASE_FILE,
    ],
  ] as const;
  for (const [network, keyName, keystoreFile, passName, passphraseFile] of pairs) {
    if (keystoreFile !== undefined && passphraseFile !== undefined) hotWallets[network] = { keystoreFile, passphraseFile };
    else if (keystoreFile !== undefined || passphraseFile !== undefined)
      problems.push(`${keystoreFile === undefined ? keyName : passName}: set both ${keyName} and ${passName}, or neither`);
  }
  const ethereumNodes: Partial<Record<EthereumNetwork, EthereumNodeConfig>> = {};
  const nodes = [
    ['ETH', 1, chains.ethereum],
    ['SEP', 11_155_111, chains.sepolia],
  ] as const;
  for (const [network, chainId, node] of nodes) {
    if (node.rpcUrl === undefined) continue;
    ethereumNodes[network] = {
      network,
      chainId,
      rpcUrl: node.rpcUrl,
      usdtContract: (node.usdtContract ?? null) as `0x${string}` | null,
      confirmations: node.confirmations,
    };
  }
  return {
    ethereumNodes,
    hotWallets,
    maxFeePerGasWei: env.PAYGATE_ETHEREUM_MAX_FEE_GWEI,
    nativeGasLimit: BigInt(env.PAYGATE_ETHEREUM_PAYOUT_GAS_LIMIT),
    tokenGasLimit: BigInt(env.PAYGATE_ETHEREUM_TOKEN_GAS_LIMIT),
    replaceAfterSeconds: env.PAYGATE_ETHEREUM_REPLACE_AFTER_SECONDS,
    pollIntervalMs: env.PAYGATE_PAYOUT_POLL_INTERVAL_MS,
    failpoints,
  };
}

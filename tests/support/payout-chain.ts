import { createPublicClient, createWalletClient, type Hex, http, type PublicClient, parseEther, parseGwei } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { EthereumSigner } from '../../apps/server/src/modules/chains/ethereum/signer.js';
import type { PayoutConfig } from '../../apps/server/src/payout-config.js';
import type { Anvil } from './anvil.js';
import { DEV_KEYS } from './chain-accounts.js';
import { compileContract } from './contracts.js';

/** A Tether-like token on `anvil`, deployed and owned by dev account 0 (which can mint and block). */
export async function deployTether(
  anvil: Anvil,
): Promise<{ address: `0x${string}`; mint(to: string, amount: bigint): Promise<void>; block(who: string, tipGwei?: string): Promise<Hex> }> {
  const owner = privateKeyToAccount(DEV_KEYS[0] as Hex);
  const transport = http(anvil.url);
  const client = createPublicClient({ transport });
  const wallet = createWalletClient({ account: owner, transport });
  const { abi, bytecode } = compileContract('TetherLike');
  const hash = await wallet.deployContract({ abi, bytecode, args: ['Tether USD', 'USDT'], chain: null });
  const mined = await minedReceipt(anvil, client, hash);
  const address = mined.contractAddress;
  if (address === null || address === undefined) throw new Error('TetherLike was not deployed');
  return {
    address,
    mint: async (to, amount) => {
      const h = await wallet.writeContract({ address, abi, functionName: 'mint', args: [to, amount], chain: null });
      await minedReceipt(anvil, client, h);
    },
    // Sent with a high tip so that, mined with other pending transactions, it goes first.
    block: (who, tipGwei = '50') =>
      wallet.writeContract({
        address,
        abi,
        functionName: 'addBlackList',
        args: [who],
        chain: null,
        maxPriorityFeePerGas: parseGwei(tipGwei),
        maxFeePerGas: parseGwei('200'),
      }),
  };
}

/** The receipt of `hash`, mining a block first when the node mines by hand. */
export async function minedReceipt(anvil: Anvil, client: PublicClient, hash: Hex) {
  for (let i = 0; i < 50; i++) {
    try {
      return await client.getTransactionReceipt({ hash });
    } catch (_error: unknown) {
      await anvil.mine(1);
    }
  }
  throw new Error(`${hash} was never mined`);
}

export function publicClient(anvil: Anvil): PublicClient {
  return createPublicClient({ transport: http(anvil.url) });
}

/** A fresh hot wallet funded with `eth` by the node itself. */
export async function hotWallet(anvil: Anvil, eth = '10'): Promise<{ key: Hex; address: `0x${string}` }> {
  const key = generatePrivateKey();
  const address = privateKeyToAccount(key).address;
  await anvil.setBalance(address, parseEther(eth));
  return { key, address };
}

/** Payout settings for tests: a node for `network`, small gas limits, fees capped at 100 gwei. */
export function payoutConfig(
  anvil: Anvil,
  network: 'ETH' | 'SEP',
  options: { usdt?: `0x${string}` | null; replaceAfterSeconds?: number; confirmations?: number } = {},
): PayoutConfig {
  return {
    ethereumNodes: {
      [network]: {
        network,
        chainId: anvil.chainId,
        rpcUrl: anvil.url,
        usdtContract: options.usdt ?? null,
        confirmations: options.confirmations ?? 3,
      },
    },
    hotWallets: {},
    maxFeePerGasWei: parseGwei('100'),
    nativeGasLimit: 60_000n,
    tokenGasLimit: 120_000n,
    replaceAfterSeconds: options.replaceAfterSeconds ?? 60,
    pollIntervalMs: 20,
    failpoints: [],
  };
}

export function signerFor(config: PayoutConfig, network: 'ETH' | 'SEP', key: Hex): EthereumSigner {
  const node = config.ethereumNodes[network];
  if (node === undefined) throw new Error(`no ${network} node in the config`);
  return new EthereumSigner({
    network,
    chainId: node.chainId,
    rpcUrl: node.rpcUrl,
    privateKey: key,
    usdtContract: node.usdtContract,
    confirmations: node.confirmations,
    maxFeePerGasWei: config.maxFeePerGasWei,
    nativeGasLimit: config.nativeGasLimit,
    tokenGasLimit: config.tokenGasLimit,
    timeoutMs: 2_000,
  });
}

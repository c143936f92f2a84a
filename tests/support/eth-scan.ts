import { createPublicClient, createWalletClient, encodeFunctionData, type Hex, http, type PublicClient, parseGwei } from 'viem';
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { createLogger } from '../../apps/server/src/lib/logger.js';
import { createEthereumClient } from '../../apps/server/src/modules/chains/ethereum/client.js';
import { EthereumReader } from '../../apps/server/src/modules/chains/ethereum/reader.js';
import { type ChainMetrics, createChainMetrics } from '../../apps/server/src/modules/chains/metrics.js';
import { ChainScanner } from '../../apps/server/src/modules/chains/scanner/service.js';
import type { Services } from '../../apps/server/src/runtime.js';
import type { Anvil } from './anvil.js';
import { DEV_KEYS } from './chain-accounts.js';
import { compileContract } from './contracts.js';

export const devAccount = (i: number): PrivateKeyAccount => privateKeyToAccount(DEV_KEYS[i] as Hex);

/** Deploy a TetherLike token on a manually mined Anvil and mint `mint` to the deployer. */
export async function deployTetherLike(anvil: Anvil, owner: PrivateKeyAccount, mint: bigint): Promise<Hex> {
  const { abi, bytecode } = compileContract('TetherLike');
  const transport = http(anvil.url);
  const wallet = createWalletClient({ account: owner, transport, chain: undefined });
  const client = createPublicClient({ transport });
  const hash = await wallet.deployContract({ abi, bytecode, args: ['Tether USD', 'USDT'], chain: null });
  await anvil.mine(1);
  const address = (await client.getTransactionReceipt({ hash })).contractAddress;
  if (address === null || address === undefined) throw new Error('TetherLike was not deployed');
  await wallet.writeContract({ address, abi, functionName: 'mint', args: [owner.address, mint], chain: null });
  await anvil.mine(1);
  return address;
}

/**
 * Signs transfers locally with explicit nonces (no node round trip per transaction) and sends
 * them raw, so a test can put hundreds of transfers into one manually mined block quickly.
 */
export class Sender {
  #nonce: Promise<number> | undefined;
  readonly client: PublicClient;
  constructor(
    private readonly anvil: Anvil,
    readonly account: PrivateKeyAccount,
  ) {
    this.client = createPublicClient({ transport: http(anvil.url) });
  }

  /** The next nonce; concurrent callers get distinct ones (the first asks the node). */
  #next(): Promise<number> {
    const current = this.#nonce ?? this.client.getTransactionCount({ address: this.account.address, blockTag: 'pending' });
    this.#nonce = current.then((n) => n + 1);
    return current;
  }

  async signEth(to: Hex, value: bigint, gas = 21_000n): Promise<Hex> {
    return this.account.signTransaction({
      chainId: this.anvil.chainId,
      type: 'eip1559',
      nonce: await this.#next(),
      to,
      value,
      gas,
      maxFeePerGas: parseGwei('50'),
      maxPriorityFeePerGas: parseGwei('1'),
    });
  }

  async signToken(token: Hex, to: Hex, amount: bigint, gas = 80_000n): Promise<Hex> {
    const { abi } = compileContract('TetherLike');
    return this.account.signTransaction({
      chainId: this.anvil.chainId,
      type: 'eip1559',
      nonce: await this.#next(),
      to: token,
      data: encodeFunctionData({ abi, functionName: 'transfer', args: [to, amount] }),
      gas,
      maxFeePerGas: parseGwei('50'),
      maxPriorityFeePerGas: parseGwei('1'),
    });
  }

  async signDeploy(bytecode: Hex, gas = 1_000_000n): Promise<Hex> {
    return this.account.signTransaction({
      chainId: this.anvil.chainId,
      type: 'eip1559',
      nonce: await this.#next(),
      data: bytecode,
      gas,
      maxFeePerGas: parseGwei('50'),
      maxPriorityFeePerGas: parseGwei('1'),
    });
  }

  async call(to: Hex, data: Hex, value = 0n, gas = 200_000n): Promise<Hex> {
    const raw = await this.account.signTransaction({
      chainId: this.anvil.chainId,
      type: 'eip1559',
      nonce: await this.#next(),
      to,
      data,
      value,
      gas,
      maxFeePerGas: parseGwei('50'),
      maxPriorityFeePerGas: parseGwei('1'),
    });
    return sendRaw(this.anvil, [raw]).then((h) => h[0] as Hex);
  }
}

/** Send raw transactions in JSON-RPC batches of 200; returns their hashes in order. */
export async function sendRaw(anvil: Anvil, raws: readonly Hex[]): Promise<Hex[]> {
  const hashes: Hex[] = [];
  for (let i = 0; i < raws.length; i += 200) {
    const chunk = raws.slice(i, i + 200);
    const response = await fetch(anvil.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chunk.map((raw, j) => ({ jsonrpc: '2.0', id: i + j, method: 'eth_sendRawTransaction', params: [raw] }))),
    });
    const body = (await response.json()) as { id: number; result?: Hex; error?: { message: string } }[];
    for (const entry of body.sort((a, b) => a.id - b.id)) {
      if (entry.result === undefined) throw new Error(`eth_sendRawTransaction: ${entry.error?.message ?? 'no result'}`);
      hashes.push(entry.result);
    }
  }
  return hashes;
}

export interface TestScanner {
  readonly scanner: ChainScanner;
  readonly reader: EthereumReader;
  readonly metrics: ChainMetrics;
  /** Step until the scanner reports it is at the head (bounded, so a bug cannot hang a test). */
  toHead(maxSteps?: number): Promise<number>;
}

const metricsByRegistry = new WeakMap<object, ChainMetrics>();

/** The production scanner and reader over a test node (one per test server: metrics register once). */
export function testScanner(
  services: Services,
  anvil: Anvil,
  options: { network: 'ETH' | 'SEP'; usdt: Hex | undefined; confirmations?: number; batchBlocks?: number; url?: string },
): TestScanner {
  const reader = new EthereumReader(options.network, createEthereumClient({ url: options.url ?? anvil.url, timeoutMs: 30_000 }), {
    chainId: String(anvil.chainId),
    confirmations: options.confirmations ?? 12,
    usdtContract: options.usdt,
  });
  const metrics = metricsByRegistry.get(services.metrics.registry) ?? createChainMetrics(services.metrics.registry);
  metricsByRegistry.set(services.metrics.registry, metrics);
  const scanner = new ChainScanner(
    reader,
    services.scannerStore,
    services.deposits,
    { confirmations: options.confirmations ?? 12, startBlock: 0n, batchBlocks: options.batchBlocks ?? 50 },
    metrics,
    services.clock,
    createLogger('silent'),
  );
  return {
    scanner,
    reader,
    metrics,
    toHead: async (maxSteps = 200) => {
      let scanned = 0;
      for (let i = 0; i < maxSteps; i++) {
        const result = await scanner.step();
        scanned += result.scanned;
        if (result.caughtUp) return scanned;
      }
      throw new Error(`the scanner did not reach the head in ${maxSteps} steps`);
    },
  };
}

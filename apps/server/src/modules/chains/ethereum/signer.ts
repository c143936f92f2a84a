import {
  type Account,
  BaseError,
  createPublicClient,
  encodeFunctionData,
  type Hex,
  HttpRequestError,
  http,
  keccak256,
  type PublicClient,
  parseTransaction,
  TimeoutError,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { EthereumNetwork } from '../../../payout-config.js';
import {
  type BroadcastResult,
  type ChainHead,
  ChainRpcError,
  NetworkMismatchError,
  type OnChainStatus,
  type PayoutOrder,
  type PayoutSigner,
  type SignedPayout,
} from '../adapter.js';

/**
 * ERC-20 `transfer` WITHOUT a declared return value. Mainnet USDT's `transfer` returns nothing;
 * an ABI expecting `bool` would make a successful transfer look like a failure to decoders.
 * Paygate never reads the return value: success is the receipt's status.
 */
export const TRANSFER_NO_RETURN_ABI = [
  {
    type: 'function',
    name: 'transfer',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'to', type: 'address' },
      { name: 'value', type: 'uint256' },
    ],
    outputs: [],
  },
] as const;

export const BALANCE_OF_ABI = [
  { type: 'function', name: 'balanceOf', stateMutability: 'view', inputs: [{ name: 'owner', type: 'address' }], outputs: [{ name: '', type: 'uint256' }] },
] as const;

/** A replacement cannot raise fees by the required 10 % without passing the configured cap. */
export class FeeCapReachedError extends Error {
  override readonly name = 'FeeCapReachedError';
}

/** The node's gas estimate reverted: this transfer would fail on chain (e.g. a blocked token sender). */
export class TransferWouldRevertError extends Error {
  override readonly name = 'TransferWouldRevertError';
  constructor(
    /** One line for the BP (the payout's failureReason); the node's own words go to the log only. */
    readonly reason: string,
    readonly detail: string,
  ) {
    super(`${reason} ${detail}`);
  }
}

export interface EthereumSignerOptions {
  readonly network: EthereumNetwork;
  readonly chainId: number;
  readonly rpcUrl: string;
  readonly privateKey: Hex;
  readonly usdtContract: `0x${string}` | null;
  readonly confirmations: number;
  readonly maxFeePerGasWei: bigint;
  readonly nativeGasLimit: bigint;
  readonly tokenGasLimit: bigint;
  /** Per node call; the pipeline retries on its next round. */
  readonly timeoutMs?: number;
}

/** Lowest tip offered (0.1 gwei): quiet blocks report zero rewards, and zero-tip transactions can sit forever. */
const MIN_TIP_WEI = 100_000_000n;

const raised = (value: bigint) => (value * 11n + 9n) / 10n;
const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    parts.push(current.message);
    if (current instanceof BaseError) parts.push(current.details ?? '', current.shortMessage);
    current = current.cause;
  }
  return parts.join(' | ');
}

function isTransportFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    if (current instanceof HttpRequestError || current instanceof TimeoutError) return true;
    current = current.cause;
  }
  return false;
}

/**
 * The Ethereum half of payouts: EIP-1559 transactions signed locally by the hot wallet (the key
 * never leaves this process), fees from `eth_feeHistory` capped by configuration, ETH or USDT.
 */
export class EthereumSigner implements PayoutSigner {
  readonly usesNonces = true;
  readonly address: string;
  readonly #account: Account & { signTransaction: NonNullable<Account['signTransaction']> };
  readonly #client: PublicClient;

  constructor(private readonly options: EthereumSignerOptions) {
    const account = privateKeyToAccount(options.privateKey);
    this.#account = account;
    this.address = account.address;
    this.#client = createPublicClient({ transport: http(options.rpcUrl, { timeout: options.timeoutMs ?? 10_000, retryCount: 0 }) });
  }

  get network(): EthereumNetwork {
    return this.options.network;
  }

  async #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error: unknown) {
      throw new ChainRpcError(this.network, operation, error);
    }
  }

  async verifyNetwork(): Promise<void> {
    const actual = await this.#call('eth_chainId', () => this.#client.getChainId());
    if (actual !== this.options.chainId) throw new NetworkMismatchError(this.network, String(this.options.chainId), String(actual));
  }

  async head(): Promise<ChainHead> {
    const latest = await this.#call('eth_blockNumber', () => this.#client.getBlockNumber({ cacheTime: 0 }));
    return { latest, final: latest - BigInt(this.options.confirmations - 1) };
  }

  /** Transactions of the hot wallet mined so far (its next nonce on chain). */
  async minedNonce(): Promise<bigint> {
    return BigInt(await this.#call('eth_getTransactionCount', () => this.#client.getTransactionCount({ address: this.#account.address, blockTag: 'latest' })));
  }

  #callData(order: PayoutOrder): { to: `0x${string}`; value: bigint; data: Hex | undefined } {
    if (order.token === null) return { to: order.to as `0x${string}`, value: order.amount, data: undefined };
    const contract = this.options.usdtContract;
    if (contract === null) throw new Error(`No USDT contract is configured for ${this.network}`);
    return {
      to: contract,
      value: 0n,
      data: encodeFunctionData({ abi: TRANSFER_NO_RETURN_ABI, functionName: 'transfer', args: [order.to as `0x${string}`, order.amount] }),
    };
  }

  /** Fees for the next block: 2 × next base fee + the median recent tip, capped. */
  async #fees(): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
    const history = await this.#call('eth_feeHistory', () => this.#client.getFeeHistory({ blockCount: 5, rewardPercentiles: [50], blockTag: 'latest' }));
    const nextBase = history.baseFeePerGas.at(-1) ?? 0n;
    const rewards = (history.reward ?? []).map((r) => r[0] ?? 0n).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const median = rewards[Math.floor(rewards.length / 2)] ?? 0n;
    const cap = this.options.maxFeePerGasWei;
    const maxFeePerGas = min(nextBase * 2n + max(median, MIN_TIP_WEI), cap);
    return { maxFeePerGas, maxPriorityFeePerGas: min(max(median, MIN_TIP_WEI), maxFeePerGas) };
  }

  async estimateFee(order: PayoutOrder): Promise<bigint> {
    const { maxFeePerGas } = await this.#fees();
    return maxFeePerGas * (order.token === null ? this.options.nativeGasLimit : this.options.tokenGasLimit);
  }

  async sign(order: PayoutOrder, context: { readonly nonce: bigint | null; readonly replacing: SignedPayout | null }): Promise<SignedPayout> {
    if (context.nonce === null) throw new Error('Ethereum payouts need an allocated nonce');
    const call = this.#callData(order);
    let gas: bigint;
    let fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };
    if (context.replacing !== null) {
      // Same nonce, same transfer, same gas; both fees raised by at least 10 % (what nodes require to replace).
      const previous = parseTransaction(context.replacing.raw as Hex);
      const fresh = await this.#fees();
      gas = previous.gas ?? this.options.nativeGasLimit;
      const maxPriorityFeePerGas = max(raised(previous.maxPriorityFeePerGas ?? 0n), fresh.maxPriorityFeePerGas);
      const maxFeePerGas = max(max(raised(previous.maxFeePerGas ?? 0n), fresh.maxFeePerGas), maxPriorityFeePerGas);
      if (maxFeePerGas > this.options.maxFeePerGasWei)
        throw new FeeCapReachedError(`Replacing needs maxFeePerGas ${maxFeePerGas} wei, above the cap ${this.options.maxFeePerGasWei}`);
      fees = { maxFeePerGas, maxPriorityFeePerGas };
    } else {
      let estimate: bigint;
      try {
        estimate = await this.#client.estimateGas({ account: this.#account.address, to: call.to, value: call.value, data: call.data });
      } catch (error: unknown) {
        if (isTransportFailure(error)) throw new ChainRpcError(this.network, 'eth_estimateGas', error);
        if (/revert/i.test(errorText(error)))
          throw new TransferWouldRevertError('The transfer would revert on chain (its gas estimate failed); nothing was sent.', errorText(error).slice(0, 300));
        throw new ChainRpcError(this.network, 'eth_estimateGas', error);
      }
      const limit = order.token === null ? this.options.nativeGasLimit : this.options.tokenGasLimit;
      if (estimate > limit)
        throw new TransferWouldRevertError(`The transfer needs ${estimate} gas, more than the ${limit} Paygate allows for it; nothing was sent.`, '');
      // A margin for state changes between estimate and inclusion; unused gas is not charged.
      gas = estimate === 21_000n ? estimate : min((estimate * 6n) / 5n, limit);
      fees = await this.#fees();
    }
    const raw = await this.#account.signTransaction({
      chainId: this.options.chainId,
      type: 'eip1559',
      nonce: Number(context.nonce),
      to: call.to,
      value: call.value,
      ...(call.data !== undefined ? { data: call.data } : {}),
      gas,
      ...fees,
    });
    return { hash: keccak256(raw), raw, nonce: context.nonce, expiresAt: null, maxFee: gas * fees.maxFeePerGas };
  }

  async balances(): Promise<{ readonly native: bigint; readonly token: bigint }> {
    const address = this.#account.address;
    const native = await this.#call('eth_getBalance', () => this.#client.getBalance({ address, blockTag: 'latest' }));
    const contract = this.options.usdtContract;
    const token =
      contract === null
        ? 0n
        : await this.#call('eth_call balanceOf', () =>
            this.#client.readContract({ address: contract, abi: BALANCE_OF_ABI, functionName: 'balanceOf', args: [address] }),
          );
    return { native, token };
  }

  async broadcast(raw: string): Promise<BroadcastResult> {
    try {
      await this.#client.sendRawTransaction({ serializedTransaction: raw as Hex });
      return { kind: 'accepted' };
    } catch (error: unknown) {
      if (isTransportFailure(error)) throw new ChainRpcError(this.network, 'eth_sendRawTransaction', error);
      const text = errorText(error);
      // The node has these bytes, or the nonce is used (by this or another attempt): look for the receipt.
      if (/already known|known transaction|already imported|nonce too low|nonce has already been used/i.test(text)) return { kind: 'known' };
      if (/insufficient funds/i.test(text)) return { kind: 'rejected', reason: 'insufficient_funds' };
      if (/underpriced/i.test(text)) return { kind: 'rejected', reason: 'underpriced' };
      if (error instanceof BaseError) return { kind: 'rejected', reason: text.slice(0, 300) };
      throw new ChainRpcError(this.network, 'eth_sendRawTransaction', error);
    }
  }

  async status(hash: string): Promise<OnChainStatus> {
    const h = hash as Hex;
    try {
      const receipt = await this.#client.getTransactionReceipt({ hash: h });
      return {
        kind: 'mined',
        blockNumber: receipt.blockNumber,
        blockHash: receipt.blockHash,
        success: receipt.status === 'success',
        feePaid: receipt.gasUsed * receipt.effectiveGasPrice,
        ...(receipt.status === 'success' ? {} : { failure: 'reverted' }),
      };
    } catch (error: unknown) {
      if (!(error instanceof TransactionReceiptNotFoundError)) throw new ChainRpcError(this.network, 'eth_getTransactionReceipt', error);
    }
    try {
      await this.#client.getTransaction({ hash: h });
      return { kind: 'pending' };
    } catch (error: unknown) {
      if (error instanceof TransactionNotFoundError) return { kind: 'absent' };
      throw new ChainRpcError(this.network, 'eth_getTransactionByHash', error);
    }
  }
}

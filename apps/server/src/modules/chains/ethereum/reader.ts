import { getAddress } from 'viem';
import type { BlockScan, ChainBlock, ChainHead, ChainReader, NetworkSymbol, TransferObservation } from '../adapter.js';
import { ChainRpcError, NetworkMismatchError } from '../adapter.js';

/** keccak256("Transfer(address,address,uint256)"). */
export const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

/** The one thing the reader needs from a JSON-RPC client (viem's `client.request`). */
export interface JsonRpc {
  request(args: { method: string; params?: readonly unknown[] }): Promise<unknown>;
}

interface RawTx {
  hash: string;
  from: string;
  to: string | null;
  value: string;
}
interface RawBlock {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
  transactions: unknown[];
}
interface RawLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  logIndex: string;
}
interface RawReceipt {
  transactionHash: string;
  status: string;
  logs: RawLog[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isHex = (v: unknown): v is string => typeof v === 'string' && /^0x[0-9a-fA-F]*$/.test(v);

function asBlock(v: unknown): RawBlock {
  if (!isObject(v) || !isHex(v.number) || !isHex(v.hash) || !isHex(v.parentHash) || !isHex(v.timestamp) || !Array.isArray(v.transactions))
    throw new Error('malformed block');
  return v as unknown as RawBlock;
}
function asTx(v: unknown): RawTx {
  if (!isObject(v) || !isHex(v.hash) || !isHex(v.from) || !isHex(v.value) || !(v.to === null || v.to === undefined || isHex(v.to)))
    throw new Error('malformed transaction (was the block fetched with full transactions?)');
  return { hash: v.hash, from: v.from, to: v.to ?? null, value: v.value };
}
function asLog(v: unknown): RawLog {
  if (!isObject(v) || !isHex(v.address) || !Array.isArray(v.topics) || !isHex(v.data) || !isHex(v.transactionHash) || !isHex(v.logIndex) || !isHex(v.blockHash))
    throw new Error('malformed log');
  return v as unknown as RawLog;
}
function asReceipt(v: unknown): RawReceipt {
  if (!isObject(v) || !isHex(v.transactionHash) || !isHex(v.status) || !Array.isArray(v.logs)) throw new Error('malformed receipt');
  return { transactionHash: v.transactionHash, status: v.status, logs: v.logs.map(asLog) };
}
const hex = (n: bigint) => `0x${n.toString(16)}`;
const lower = (s: string) => s.toLowerCase();

/**
 * Reads one Ethereum network through any JSON-RPC node. Per scanned range: every block with
 * full transactions, one eth_getLogs for the configured token's Transfer events, and receipts
 * (eth_getBlockReceipts; per-transaction receipts on nodes without it) only for blocks that
 * hold a candidate — a native transfer with value or a token log. Only successful transactions
 * count; a look-alike token is never read because logs are filtered by the contract address.
 */
export class EthereumReader implements ChainReader {
  #blockReceipts = true;

  constructor(
    readonly network: NetworkSymbol,
    private readonly rpc: JsonRpc,
    private readonly settings: { readonly chainId: string; readonly confirmations: number; readonly usdtContract: string | undefined },
  ) {}

  async #call(operation: string, params: readonly unknown[]): Promise<unknown> {
    try {
      return await this.rpc.request({ method: operation, params });
    } catch (error: unknown) {
      throw new ChainRpcError(this.network, operation, error);
    }
  }

  #malformed(operation: string, error: unknown): ChainRpcError {
    return new ChainRpcError(this.network, operation, error);
  }

  async verifyNetwork(): Promise<void> {
    const id = await this.#call('eth_chainId', []);
    if (!isHex(id)) throw this.#malformed('eth_chainId', new Error('malformed chain id'));
    const actual = BigInt(id).toString();
    if (actual !== this.settings.chainId) throw new NetworkMismatchError(this.network, this.settings.chainId, actual);
  }

  async head(): Promise<ChainHead> {
    const latest = await this.#call('eth_blockNumber', []);
    if (!isHex(latest)) throw this.#malformed('eth_blockNumber', new Error('malformed block number'));
    const n = BigInt(latest);
    return { latest: n, final: n - BigInt(this.settings.confirmations - 1) };
  }

  async block(number: bigint): Promise<ChainBlock | null> {
    const raw = await this.#call('eth_getBlockByNumber', [hex(number), false]);
    if (raw === null) return null;
    try {
      return toChainBlock(asBlock(raw));
    } catch (error: unknown) {
      throw this.#malformed('eth_getBlockByNumber', error);
    }
  }

  /** ETH balance of `address` at `block` (for the internal-transfer balance check). */
  async nativeBalance(address: string, block: bigint): Promise<bigint> {
    const raw = await this.#call('eth_getBalance', [address, hex(block)]);
    if (!isHex(raw)) throw this.#malformed('eth_getBalance', new Error('malformed balance'));
    return BigInt(raw);
  }

  async scan(from: bigint, to: bigint): Promise<readonly BlockScan[]> {
    const numbers: bigint[] = [];
    for (let n = from; n <= to; n++) numbers.push(n);
    const token = this.settings.usdtContract;
    // Issued in the same tick: one batched HTTP request.
    const [rawBlocks, rawLogs] = await Promise.all([
      Promise.all(numbers.map((n) => this.#call('eth_getBlockByNumber', [hex(n), true]))),
      token === undefined
        ? Promise.resolve([])
        : this.#call('eth_getLogs', [{ fromBlock: hex(from), toBlock: hex(to), address: token, topics: [TRANSFER_TOPIC] }]),
    ]);
    let blocks: RawBlock[];
    let logs: RawLog[];
    try {
      // A null block: the head moved back between calls; scan what exists, the rest next time.
      const present = rawBlocks.indexOf(null);
      blocks = (present === -1 ? rawBlocks : rawBlocks.slice(0, present)).map(asBlock);
      if (!Array.isArray(rawLogs)) throw new Error('malformed logs');
      logs = rawLogs.map(asLog);
    } catch (error: unknown) {
      throw this.#malformed('scan', error);
    }
    for (let i = 1; i < blocks.length; i++) {
      const [previous, current] = [blocks[i - 1], blocks[i]];
      if (previous !== undefined && current !== undefined && lower(current.parentHash) !== lower(previous.hash))
        throw this.#malformed('scan', new Error(`the chain changed while reading blocks ${from}..${to}`));
    }
    const logsByBlock = new Map<string, RawLog[]>();
    const hashes = new Set(blocks.map((b) => lower(b.hash)));
    for (const log of logs) {
      if (!hashes.has(lower(log.blockHash))) {
        if (BigInt(log.blockNumber) <= BigInt(blocks.at(-1)?.number ?? '0x0'))
          throw this.#malformed('eth_getLogs', new Error('logs are from another fork than the blocks; the chain changed while reading'));
        continue;
      }
      if (log.topics.length !== 3 || lower(log.address) !== lower(token ?? '')) continue;
      const list = logsByBlock.get(lower(log.blockHash)) ?? [];
      list.push(log);
      logsByBlock.set(lower(log.blockHash), list);
    }
    return Promise.all(
      blocks.map(async (block) => {
        const txs = block.transactions.map(asTx).filter((tx) => tx.to !== null && BigInt(tx.value) > 0n);
        const blockLogs = logsByBlock.get(lower(block.hash)) ?? [];
        const chainBlock = toChainBlock(block);
        if (txs.length === 0 && blockLogs.length === 0) return { block: chainBlock, transfers: [] };
        const candidates = new Set([...txs.map((t) => lower(t.hash)), ...blockLogs.map((l) => lower(l.transactionHash))]);
        const receipts = await this.#receipts(block, candidates);
        const transfers: TransferObservation[] = [];
        for (const tx of txs) {
          const receipt = receipts.get(lower(tx.hash));
          if (receipt === undefined) throw this.#malformed('receipts', new Error(`no receipt for ${tx.hash}`));
          if (BigInt(receipt.status) !== 1n || tx.to === null) continue;
          transfers.push(this.#observation(chainBlock, tx.hash, -1, null, tx.from, tx.to, BigInt(tx.value)));
        }
        for (const log of blockLogs) {
          const receipt = receipts.get(lower(log.transactionHash));
          if (receipt === undefined) throw this.#malformed('receipts', new Error(`no receipt for ${log.transactionHash}`));
          if (BigInt(receipt.status) !== 1n) continue;
          const position = receipt.logs.findIndex((l) => l.logIndex === log.logIndex);
          const [, fromTopic, toTopic] = log.topics;
          if (position < 0 || fromTopic === undefined || toTopic === undefined || log.data.length !== 66) continue;
          const amount = BigInt(log.data);
          if (amount === 0n) continue;
          transfers.push(this.#observation(chainBlock, log.transactionHash, position, 'USDT', topicAddress(fromTopic), topicAddress(toTopic), amount));
        }
        return { block: chainBlock, transfers };
      }),
    );
  }

  #observation(block: ChainBlock, txHash: string, position: number, token: 'USDT' | null, from: string, to: string, amount: bigint): TransferObservation {
    return {
      network: this.network,
      token,
      txHash: lower(txHash),
      position,
      blockNumber: block.number,
      blockHash: block.hash,
      from: getAddress(from),
      to: getAddress(to),
      amount,
    };
  }

  async #receipts(block: RawBlock, candidates: Set<string>): Promise<Map<string, RawReceipt>> {
    const byHash = new Map<string, RawReceipt>();
    if (this.#blockReceipts) {
      try {
        const raw = await this.rpc.request({ method: 'eth_getBlockReceipts', params: [block.number] });
        if (!Array.isArray(raw)) throw new Error('malformed block receipts');
        for (const r of raw.map(asReceipt)) if (candidates.has(lower(r.transactionHash))) byHash.set(lower(r.transactionHash), r);
        return byHash;
      } catch (error: unknown) {
        // Nodes without eth_getBlockReceipts answer "method not found" (-32601): ask per transaction from now on.
        if (!(isObject(error) && (error.code === -32601 || /method not found|not supported/i.test(String(error.message)))))
          throw new ChainRpcError(this.network, 'eth_getBlockReceipts', error);
        this.#blockReceipts = false;
      }
    }
    const raws = await Promise.all([...candidates].map((h) => this.#call('eth_getTransactionReceipt', [h])));
    try {
      for (const r of raws.map(asReceipt)) byHash.set(lower(r.transactionHash), r);
    } catch (error: unknown) {
      throw this.#malformed('eth_getTransactionReceipt', error);
    }
    return byHash;
  }
}

function toChainBlock(raw: RawBlock): ChainBlock {
  return {
    number: BigInt(raw.number),
    hash: lower(raw.hash),
    parentHash: lower(raw.parentHash),
    timestamp: new Date(Number(BigInt(raw.timestamp)) * 1000),
  };
}

function topicAddress(topic: string): string {
  return `0x${topic.slice(-40)}`;
}

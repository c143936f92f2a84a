import type { TronWeb } from 'tronweb';
import { type BlockScan, type ChainBlock, type ChainHead, type ChainReader, ChainRpcError, NetworkMismatchError } from '../adapter.js';
import { request } from './client.js';
import { blockTransfers, hexFromAddress, memoizedBase58, parseBlock, toChainBlock, transactionInfoListSchema } from './wire.js';

export interface TronReaderOptions {
  readonly network: 'TRX' | 'TRX-SHASTA';
  readonly tronWeb: TronWeb;
  /** The configured USDT TRC-20 contract (base58 or 41-hex); logs of any other contract are ignored. */
  readonly usdtContract: string;
  /** Block 0 id the node must serve. */
  readonly genesisBlockId: string;
  /** Blocks fetched at once during a scan (each is two HTTP calls). */
  readonly concurrency?: number;
}

/**
 * The deposit scanner's view of a java-tron node: heads from `getnowblock` (full node) and
 * `walletsolidity/getnowblock` (solidified = final), blocks from `getblockbynum`, receipts from
 * `gettransactioninfobyblocknum`. Every node failure (network, timeout, 5xx, malformed JSON)
 * becomes a {@link ChainRpcError}: the scanner retries, never skips a block.
 */
export class TronChainReader implements ChainReader {
  readonly network: 'TRX' | 'TRX-SHASTA';
  readonly #tronWeb: TronWeb;
  readonly #token: string;
  readonly #genesis: string;
  readonly #concurrency: number;
  readonly #base58 = memoizedBase58();

  constructor(options: TronReaderOptions) {
    this.network = options.network;
    this.#tronWeb = options.tronWeb;
    this.#token = hexFromAddress(options.usdtContract);
    this.#genesis = options.genesisBlockId.toLowerCase();
    this.#concurrency = options.concurrency ?? 8;
  }

  async #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error: unknown) {
      throw new ChainRpcError(this.network, operation, error);
    }
  }

  async verifyNetwork(): Promise<void> {
    const genesis = await this.block(0n);
    if (genesis === null) throw new ChainRpcError(this.network, 'getblockbynum(0)', new Error('the node has no block 0'));
    if (genesis.hash !== this.#genesis) throw new NetworkMismatchError(this.network, `genesis ${this.#genesis}`, `genesis ${genesis.hash}`);
  }

  async head(): Promise<ChainHead> {
    const [latest, solid] = await Promise.all([
      this.#call('getnowblock', async () => parseBlock(await request(this.#tronWeb, 'wallet/getnowblock', {}))),
      this.#call('walletsolidity/getnowblock', async () => parseBlock(await request(this.#tronWeb, 'walletsolidity/getnowblock', {}, true))),
    ]);
    if (latest === null || solid === null) throw new ChainRpcError(this.network, 'getnowblock', new Error('the node answered no block'));
    const latestNumber = toChainBlock(latest).number;
    const finalNumber = toChainBlock(solid).number;
    // Two calls, two instants: the solidified height can never be above the head Paygate acts on.
    if (finalNumber > latestNumber) return { latest: latestNumber, final: latestNumber };
    return { latest: latestNumber, final: finalNumber };
  }

  async block(number: bigint): Promise<ChainBlock | null> {
    const block = await this.#call(`getblockbynum(${number})`, async () =>
      parseBlock(await request(this.#tronWeb, 'wallet/getblockbynum', { num: Number(number) })),
    );
    if (block === null) return null;
    const header = toChainBlock(block);
    if (header.number !== number) throw new ChainRpcError(this.network, `getblockbynum(${number})`, new Error(`the node answered block ${header.number}`));
    return header;
  }

  async #scanOne(number: bigint): Promise<BlockScan | null> {
    return this.#call(`scan(${number})`, async () => {
      const [blockJson, infosJson] = await Promise.all([
        request(this.#tronWeb, 'wallet/getblockbynum', { num: Number(number) }),
        number === 0n ? Promise.resolve([]) : request(this.#tronWeb, 'wallet/gettransactioninfobyblocknum', { num: Number(number) }),
      ]);
      const block = parseBlock(blockJson);
      if (block === null) return null;
      const header = toChainBlock(block);
      if (header.number !== number) throw new Error(`the node answered block ${header.number} for ${number}`);
      const infos = transactionInfoListSchema.parse(infosJson);
      return { block: header, transfers: blockTransfers(this.network, block, infos, this.#token, this.#base58) };
    });
  }

  async scan(from: bigint, to: bigint): Promise<readonly BlockScan[]> {
    const out: BlockScan[] = [];
    for (let start = from; start <= to; start += BigInt(this.#concurrency)) {
      const batch: Promise<BlockScan | null>[] = [];
      for (let n = start; n <= to && n < start + BigInt(this.#concurrency); n++) batch.push(this.#scanOne(n));
      for (const scanned of await Promise.all(batch)) {
        // Above the head (the node went backwards): stop at the last block it has, in order.
        if (scanned === null) return out;
        out.push(scanned);
      }
    }
    return out;
  }
}

import { blockId, encodeRawData, recoverSigner, type SignedTransaction, txTrieRoot } from './encoding.js';
import { type ChainParameters, type ContractRet, DEFAULT_PARAMETERS, type TxInfo, TxRefusal, WorldState } from './state.js';

/** Tron mainnet's genesis block id (block 0); Paygate checks it at start-up. */
export const MAINNET_GENESIS_ID = '00000000000000001ebf88508a03865c71d452e25f4d51194196a1d22b6653dc';
export const SHASTA_GENESIS_ID = '0000000000000000de1aa88295e1fcf982742f773e0419c5a9c134c994a9059e';

const BLOCK_INTERVAL_MS = 3000;
const MAX_EXPIRATION_MS = 86_400_000;
/** TAPOS looks the reference block up among the last 65,536 blocks by the low 16 bits of its height. */
const TAPOS_WINDOW = 65_536;

export interface IncludedTransaction {
  readonly tx: SignedTransaction;
  readonly ret: ContractRet;
  readonly info: TxInfo;
}

export interface Block {
  readonly number: number;
  readonly id: string;
  readonly parentId: string;
  readonly timestamp: number;
  readonly transactions: readonly IncludedTransaction[];
  /** World state after this block; dropped once the block is solidified deep enough (forks cannot reach it). */
  state: WorldState | null;
}

export interface ChainOptions {
  readonly genesisId?: string;
  readonly genesisTimestamp?: number;
  /** The solidified height trails the head by this many blocks. */
  readonly solidLag?: number;
  readonly parameters?: Partial<ChainParameters>;
}

export type BroadcastOutcome =
  | { readonly ok: true; readonly txid: string }
  | { readonly ok: false; readonly txid: string; readonly code: string; readonly message: string };

/**
 * The ledger of the fake java-tron node: canonical blocks, the pending pool, solidification and
 * forks, with java-tron's broadcast checks (signature, duplicate, TAPOS, expiration, balances,
 * bandwidth). Executing a block applies every pooled transaction still valid at its time.
 */
export class TronChain {
  readonly parameters: ChainParameters;
  readonly blocks: Block[] = [];
  #pool: SignedTransaction[] = [];
  #pending: WorldState;
  #index = new Map<string, { block: number; position: number }>();
  #forks = 0;
  solidLag: number;

  constructor(options: ChainOptions = {}) {
    this.parameters = { ...DEFAULT_PARAMETERS, ...options.parameters };
    this.solidLag = options.solidLag ?? 19;
    const genesis: Block = {
      number: 0,
      id: options.genesisId ?? MAINNET_GENESIS_ID,
      parentId: '957dc2d350daecc7bb6a38f3938ebde0a0c1cedafe15f0edae4256a2907449f6',
      timestamp: options.genesisTimestamp ?? Date.now() - BLOCK_INTERVAL_MS,
      transactions: [],
      state: new WorldState(),
    };
    this.blocks.push(genesis);
    this.#pending = new WorldState();
  }

  get head(): Block {
    const head = this.blocks[this.blocks.length - 1];
    if (head === undefined) throw new Error('chain has no genesis');
    return head;
  }

  get solidHeight(): number {
    return Math.max(0, this.head.number - this.solidLag);
  }

  /** The head's state with the pool applied (what broadcast validates against). */
  get pendingState(): WorldState {
    return this.#pending;
  }

  headState(): WorldState {
    const state = this.head.state;
    if (state === null) throw new Error('head state missing');
    return state;
  }

  get pool(): readonly SignedTransaction[] {
    return this.#pool;
  }

  /** The node forgets its pending transactions (a restart without persistence). */
  clearPool(): void {
    this.#pool = [];
    this.#pending = this.headState().clone();
  }

  /** Test set-up writes (balances, tokens) go to the head state and the pending state alike. */
  mutate(change: (state: WorldState) => void): void {
    change(this.headState());
    change(this.#pending);
  }

  find(txid: string): { block: Block; included: IncludedTransaction } | null {
    const at = this.#index.get(txid);
    if (at === undefined) return null;
    const block = this.blocks[at.block];
    const included = block?.transactions[at.position];
    return block === undefined || included === undefined ? null : { block, included };
  }

  broadcast(tx: SignedTransaction): BroadcastOutcome {
    let txid = typeof tx.txID === 'string' ? tx.txID : '';
    try {
      if (typeof tx.raw_data !== 'object' || tx.raw_data === null || !Array.isArray(tx.signature)) {
        throw new TxRefusal('OTHER_ERROR', 'raw_data and signature are required');
      }
      // The node hashes its own protobuf encoding of raw_data; raw_data_hex and txID from the client are not trusted.
      const encoded = encodeRawData(tx.raw_data);
      txid = encoded.txID;
      const normalised: SignedTransaction = { ...tx, txID: encoded.txID, raw_data_hex: encoded.rawDataHex };
      const owner = String(tx.raw_data.contract[0]?.parameter.value.owner_address ?? '').toLowerCase();
      const signer = tx.signature.length === 1 && typeof tx.signature[0] === 'string' ? recoverSigner(encoded.txID, tx.signature[0]) : null;
      if (signer === null || signer !== owner) {
        throw new TxRefusal('SIGERROR', `Validate signature error: ${encoded.txID} is signed by ${signer ?? 'nobody'} but it is not contained of permission.`);
      }
      if (this.#index.has(encoded.txID) || this.#pool.some((p) => p.txID === encoded.txID)) throw new TxRefusal('DUP_TRANSACTION_ERROR', 'Dup transaction.');
      this.#checkTapos(normalised);
      this.#checkExpiration(normalised, this.head.timestamp);
      this.#pending.apply(normalised, this.head.timestamp, this.parameters);
      this.#pool.push(normalised);
      return { ok: true, txid };
    } catch (error: unknown) {
      if (error instanceof TxRefusal) return { ok: false, txid, code: error.code, message: error.message };
      return { ok: false, txid, code: 'OTHER_ERROR', message: error instanceof Error ? error.message : String(error) };
    }
  }

  #checkTapos(tx: SignedTransaction): void {
    const refBytes = Number.parseInt(tx.raw_data.ref_block_bytes, 16);
    const low = Math.max(0, this.head.number - TAPOS_WINDOW + 1);
    for (let n = this.head.number; n >= low; n--) {
      if ((n & 0xffff) !== refBytes) continue;
      const block = this.blocks[n];
      if (block !== undefined && block.id.slice(16, 32) === tx.raw_data.ref_block_hash) return;
      break;
    }
    throw new TxRefusal('TAPOS_ERROR', `Tapos check error: no block ${tx.raw_data.ref_block_bytes}/${tx.raw_data.ref_block_hash} in the recent chain`);
  }

  #checkExpiration(tx: SignedTransaction, headTime: number): void {
    const expiration = tx.raw_data.expiration;
    if (typeof expiration !== 'number' || expiration <= headTime || expiration > headTime + MAX_EXPIRATION_MS) {
      throw new TxRefusal('TRANSACTION_EXPIRATION_ERROR', `Transaction expired (expiration ${expiration}, head block time ${headTime})`);
    }
  }

  /**
   * Produce one block on top of the head, `gapMs` after it (3 s by default). Pooled transactions
   * that no longer validate at the new height (expired, reference block forked away, funds
   * spent) are dropped, as a real producer would.
   */
  produce(gapMs = BLOCK_INTERVAL_MS, salt = '', withholdPool = false): Block {
    const parent = this.head;
    const parentState = parent.state;
    if (parentState === null) throw new Error('head state missing');
    const state = parentState.clone();
    const timestamp = parent.timestamp + gapMs;
    const number = parent.number + 1;
    const included: { tx: SignedTransaction; ret: ContractRet; info: Omit<TxInfo, 'blockNumber' | 'blockTimeStamp'> }[] = [];
    for (const tx of withholdPool ? [] : this.#pool) {
      try {
        this.#checkTapos(tx);
        this.#checkExpiration(tx, parent.timestamp);
        const { ret, info } = state.apply(tx, parent.timestamp, this.parameters);
        included.push({ tx, ret, info });
      } catch (_error: unknown) {
        // Not includable any more: the producer drops it.
      }
    }
    const ids = included.map((i) => i.tx.txID);
    const id = blockId(number, parent.id, timestamp, txTrieRoot(ids), `${salt}${this.#forks}`);
    const block: Block = {
      number,
      id,
      parentId: parent.id,
      timestamp,
      transactions: included.map((i) => ({ tx: i.tx, ret: i.ret, info: { ...i.info, blockNumber: number, blockTimeStamp: timestamp } })),
      state,
    };
    this.blocks.push(block);
    block.transactions.forEach((t, position) => {
      this.#index.set(t.tx.txID, { block: number, position });
    });
    if (withholdPool) {
      this.#pending = state.clone();
      this.#pool = this.#pool.filter((tx) => {
        try {
          this.#pending.apply(tx, timestamp, this.parameters);
          return true;
        } catch (_error: unknown) {
          return false;
        }
      });
    } else {
      this.#pool = [];
      this.#pending = state.clone();
    }
    this.#prune();
    return block;
  }

  /** Keep states only where a fork could still restore them (unsolidified blocks and their parent). */
  #prune(): void {
    const keepFrom = this.solidHeight - 1;
    for (let n = keepFrom - 1; n >= 0; n--) {
      const block = this.blocks[n];
      if (block === undefined || block.state === null) break;
      block.state = null;
    }
  }

  /**
   * Replace the last `depth` blocks (all unsolidified) with `depth + 1` new ones. Their
   * transactions are dropped unless `reinclude` (then they go back to the pool and, if still
   * valid, land in the new first block).
   */
  fork(depth: number, options: { readonly reinclude?: boolean } = {}): void {
    if (depth < 1) throw new Error('fork depth must be at least 1');
    if (this.head.number - depth < this.solidHeight)
      throw new Error(`cannot fork ${depth} blocks: only ${this.head.number - this.solidHeight} are unsolidified`);
    this.#forks++;
    const removed = this.blocks.splice(this.blocks.length - depth, depth);
    for (const block of removed) for (const t of block.transactions) this.#index.delete(t.tx.txID);
    const pool = this.#pool;
    this.#pool = options.reinclude === true ? [...removed.flatMap((b) => b.transactions.map((t) => t.tx)), ...pool] : [...pool];
    if (this.head.state === null) throw new Error('fork base state was pruned');
    this.#pending = this.headState().clone();
    for (let i = 0; i <= depth; i++) this.produce(BLOCK_INTERVAL_MS, 'fork');
  }
}

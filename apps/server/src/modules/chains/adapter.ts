/**
 * The chain-adapter boundary. Everything chain-specific (Ethereum JSON-RPC through viem,
 * java-tron HTTP through tronweb, the sandbox simulator) sits behind these interfaces; the
 * scanner, the payout pipeline and the payments core are written once against them and never
 * ask which chain, or whether it is real.
 *
 * Two halves:
 * - {@link ChainReader}: what the deposit scanner needs — heads, block headers for reorg
 *   walking, and the candidate transfers in a block range (native coin + the configured token
 *   only, successful transactions only). Matching against Paygate's deposit addresses is the
 *   scanner's job (one database query per batch), not the adapter's.
 * - {@link PayoutSigner}: what the payout pipeline needs — build and sign a transfer locally,
 *   broadcast the stored bytes, and look a hash up. Replacement (Ethereum) and rebuild after
 *   expiry (Tron) are decided by the pipeline from {@link PayoutSigner.policy}.
 */

/** Wire symbol of a network (AkashicPay's `coinSymbol`); testnets have their own. */
export type NetworkSymbol = 'ETH' | 'SEP' | 'TRX' | 'TRX-SHASTA';

/** A block header as the scanner keeps it (recent hashes detect reorgs). */
export interface ChainBlock {
  readonly number: bigint;
  /** Canonical hash text of the chain (Ethereum: 0x-hex; Tron: the 64-hex block id). */
  readonly hash: string;
  readonly parentHash: string;
  readonly timestamp: Date;
}

/**
 * One incoming transfer seen in a canonical block. Identity is (network, txHash, position):
 * `position` is -1 for a transaction's own native value and otherwise the log's index within
 * its transaction — unlike a block-wide log index, it does not change when a reorg moves the
 * transaction into another block, so a re-included deposit keeps its id.
 */
export interface TransferObservation {
  readonly network: NetworkSymbol;
  /** null = the native coin (ETH/TRX); 'USDT' = a Transfer log of the configured contract. */
  readonly token: 'USDT' | null;
  readonly txHash: string;
  readonly position: number;
  readonly blockNumber: bigint;
  readonly blockHash: string;
  /** Addresses in the chain's canonical text form (EIP-55 checksummed / base58check). */
  readonly from: string;
  readonly to: string;
  /** Base units (wei, sun, USDT micro-units). Always > 0: zero-value transfers are dropped. */
  readonly amount: bigint;
}

export interface BlockScan {
  readonly block: ChainBlock;
  /** Every candidate transfer in the block, to any address (the scanner matches them). */
  readonly transfers: readonly TransferObservation[];
}

export interface ChainHead {
  /** The node's latest block. */
  readonly latest: bigint;
  /**
   * The highest block Paygate treats as irreversible: Ethereum latest − (confirmations − 1);
   * Tron the solidified height. A deposit in a block ≤ final is Confirmed.
   */
  readonly final: bigint;
}

/** The node answers for another network than the one configured (refuse to start). */
export class NetworkMismatchError extends Error {
  override readonly name = 'NetworkMismatchError';
  constructor(
    readonly network: NetworkSymbol,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`The node configured for ${network} serves chain ${actual}, not ${expected}. Point the URL at a ${network} node, or fix the network setting.`);
  }
}

/** A node call failed (network error, timeout, 5xx, malformed answer): retry later, never skip. */
export class ChainRpcError extends Error {
  override readonly name = 'ChainRpcError';
  constructor(
    readonly network: NetworkSymbol,
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(`${network} node call ${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export interface ChainReader {
  readonly network: NetworkSymbol;
  /** Check the node serves `network` (Ethereum eth_chainId; Tron genesis block id). Throws NetworkMismatchError. */
  verifyNetwork(): Promise<void>;
  head(): Promise<ChainHead>;
  /** A canonical block header by number; null above the head. */
  block(number: bigint): Promise<ChainBlock | null>;
  /**
   * Scan `from`..`to` inclusive (the caller bounds the range). Blocks come back in order; each
   * block's `parentHash` lets the caller detect a reorg between calls.
   */
  scan(from: bigint, to: bigint): Promise<readonly BlockScan[]>;
}

/** What a payout moves, as the pipeline hands it to the signer. */
export interface PayoutOrder {
  readonly transactionId: string;
  readonly network: NetworkSymbol;
  readonly token: 'USDT' | null;
  readonly to: string;
  readonly amount: bigint;
}

/**
 * A signed transaction, stored before it is broadcast. After any crash the pipeline
 * re-broadcasts exactly these bytes (never re-signs a fresh transfer while one may still land).
 */
export interface SignedPayout {
  readonly hash: string;
  /** The exact bytes to broadcast (Ethereum: 0x-hex RLP; Tron: the signed transaction JSON). */
  readonly raw: string;
  /** Ethereum: the hot wallet nonce; Tron: null. */
  readonly nonce: bigint | null;
  /** Tron: the transaction's `expiration`; after it (and absent from chain) it can never land. Ethereum: null. */
  readonly expiresAt: Date | null;
  /** The most the network fee can be, in the native coin's base units (for reservations and notices). */
  readonly maxFee: bigint;
}

export type BroadcastResult =
  | { readonly kind: 'accepted' }
  /** The node already has it, or its nonce is used: look for the receipt, never send a new one. */
  | { readonly kind: 'known' }
  /** Refused for a reason that will not change by retrying these bytes (e.g. insufficient funds). */
  | { readonly kind: 'rejected'; readonly reason: string };

export type OnChainStatus =
  | { readonly kind: 'absent' }
  | { readonly kind: 'pending' }
  | {
      readonly kind: 'mined';
      readonly blockNumber: bigint;
      readonly blockHash: string;
      readonly success: boolean;
      /** What the transfer actually burned, in the native coin's base units (gasUsed × effectiveGasPrice; Tron energy + bandwidth as TRX). */
      readonly feePaid: bigint;
      /** Why it failed on chain (reverted, OUT_OF_ENERGY), when it did. */
      readonly failure?: string;
    };

export interface PayoutSigner {
  readonly network: NetworkSymbol;
  /** The hot wallet's address (canonical text form). */
  readonly address: string;
  /** Ethereum: true (the pipeline allocates nonces in the database); Tron: false (expiry-based). */
  readonly usesNonces: boolean;
  /**
   * Build and sign `order` locally (node reads only: gas/energy estimate, fees, ref block).
   * `nonce` is the allocated nonce when {@link usesNonces}; `replacing` is the stuck attempt this
   * one replaces (Ethereum: same nonce, fees raised ≥ 10 %; Tron: only after it provably expired).
   */
  sign(order: PayoutOrder, context: { readonly nonce: bigint | null; readonly replacing: SignedPayout | null }): Promise<SignedPayout>;
  /** The most `order` can cost in network fees, in the native coin's base units (before signing). */
  estimateFee(order: PayoutOrder): Promise<bigint>;
  /** Spendable balances of the hot wallet: native coin and the token, base units. */
  balances(): Promise<{ readonly native: bigint; readonly token: bigint }>;
  broadcast(raw: string): Promise<BroadcastResult>;
  status(hash: string): Promise<OnChainStatus>;
}

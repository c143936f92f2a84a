import type { Logger } from 'pino';
import type { Clock } from '../../../lib/clock.js';
import type { DepositTransitions, ObservedDeposit } from '../../payments/deposit-transitions.js';
import type { BlockScan, ChainHead, ChainReader, TransferObservation } from '../adapter.js';
import type { ChainMetrics } from '../metrics.js';
import type { ScannerStore } from './store.js';

export interface ScannerSettings {
  readonly confirmations: number;
  /** First block on the very first start; undefined = the head at that moment. */
  readonly startBlock: bigint | undefined;
  readonly batchBlocks: number;
}

export interface StepResult {
  readonly scanned: number;
  readonly caughtUp: boolean;
  readonly reorg: boolean;
}

/** Blocks kept below the final height, so a reorg slightly deeper than expected is still walked. */
const KEEP_BELOW_FINAL = 64n;

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/**
 * The deposit scanner of one network, written once against {@link ChainReader}. One step reads a
 * bounded batch of blocks after the durable cursor, matches transfers against deposit addresses
 * with one query, and commits the deposits, the block hashes, the new cursor and confirmation
 * progress in one database transaction — a crash before the commit rescans the batch, and the
 * observation key (network, txHash, position) makes the rescan a no-op.
 */
export class ChainScanner {
  constructor(
    private readonly reader: ChainReader,
    private readonly store: ScannerStore,
    private readonly deposits: DepositTransitions,
    private readonly settings: ScannerSettings,
    private readonly metrics: ChainMetrics,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  get network(): string {
    return this.reader.network;
  }

  async step(): Promise<StepResult> {
    const network = this.reader.network;
    const head = await this.reader.head();
    const now = this.clock.now();
    const cursor = await this.store.ensureCursor(network, this.settings.startBlock ?? (head.latest < 0n ? 0n : head.latest));
    await this.store.recordHead(network, head, now);
    const next = BigInt(cursor.next_block);
    this.metrics.head.set({ network }, Number(head.latest));
    if (next > head.latest) {
      // Nothing new to read: the chain may still have replaced (or dropped) our newest blocks.
      const top = min(head.latest, next - 1n);
      const stored = top >= 0n ? await this.store.blockHash(network, top) : undefined;
      if (stored !== undefined && (top < next - 1n || (await this.reader.block(top))?.hash !== stored)) {
        await this.#reorg(top, BigInt(cursor.start_block), cursor.final_block === null ? null : BigInt(cursor.final_block));
        return { scanned: 0, caughtUp: false, reorg: true };
      }
      // Caught up: confirmations still move as the head advances; reorged deposits settle their fate.
      await this.deposits.transaction(async (trx) => {
        await this.deposits.refreshConfirmations(trx, network, min(head.latest, next - 1n), min(head.final, next - 1n));
        await this.deposits.failDetached(trx, network);
      });
      this.#gauges(network, head, next - 1n, null);
      return { scanned: 0, caughtUp: true, reorg: false };
    }
    const to = min(head.latest, next + BigInt(this.settings.batchBlocks) - 1n);
    const scans = await this.reader.scan(next, to);
    const first = scans[0];
    const last = scans.at(-1);
    if (first === undefined || last === undefined) return { scanned: 0, caughtUp: false, reorg: false };
    const parent = await this.store.blockHash(network, next - 1n);
    if (parent !== undefined && parent !== first.block.parentHash) {
      await this.#reorg(next - 1n, BigInt(cursor.start_block), cursor.final_block === null ? null : BigInt(cursor.final_block));
      return { scanned: 0, caughtUp: false, reorg: true };
    }
    const tip = last.block.number;
    const caughtUp = tip >= head.latest;
    const matches = await this.#matches(scans);
    const wrote = await this.deposits.transaction(async (trx) => {
      const locked = await this.store.lockCursor(trx, network);
      // Another worker scanned (or rewound) meanwhile: its step stands, this one is dropped.
      if (BigInt(locked.next_block) !== next) return false;
      const recorded = await this.deposits.record(
        trx,
        matches.map(({ address, observation }) => ({ address, observed: this.#observed(observation) })),
      );
      for (const { outcome } of recorded) this.metrics.deposits.inc({ network, outcome });
      await this.store.saveBlocks(
        trx,
        network,
        scans.map((s) => s.block),
      );
      await this.store.advance(trx, network, tip + 1n, last.block.timestamp, this.clock.now());
      await this.deposits.refreshConfirmations(trx, network, tip, min(head.final, tip));
      if (caughtUp) await this.deposits.failDetached(trx, network);
      return true;
    });
    if (!wrote) return { scanned: 0, caughtUp: false, reorg: false };
    await this.store.prune(network, min(head.final, tip) - KEEP_BELOW_FINAL);
    this.#gauges(network, head, tip, caughtUp ? null : last.block.timestamp);
    return { scanned: scans.length, caughtUp, reorg: false };
  }

  async #matches(scans: readonly BlockScan[]) {
    const transfers = scans.flatMap((s) => s.transfers);
    const addresses = await this.deposits.addressesAmong(this.reader.network, [...new Set(transfers.map((t) => t.to))]);
    return transfers.flatMap((observation) => {
      const address = addresses.get(observation.to);
      return address === undefined ? [] : [{ address, observation }];
    });
  }

  #observed(t: TransferObservation): ObservedDeposit {
    return {
      network: t.network,
      tokenSymbol: t.token,
      txHash: t.txHash,
      position: t.position,
      fromAddress: t.from,
      toAddress: t.to,
      amount: t.amount,
      block: { number: t.blockNumber, hash: t.blockHash },
      requiredConfirmations: this.settings.confirmations,
    };
  }

  /**
   * The block after `from` no longer builds on our stored `from`: walk back to the highest block
   * whose stored hash the node still has, forget everything above it, detach the pending
   * deposits found there, and let the next steps rescan.
   */
  async #reorg(from: bigint, start: bigint, lastFinal: bigint | null): Promise<void> {
    const network = this.reader.network;
    let ancestor = from;
    for (; ancestor >= start; ancestor--) {
      const stored = await this.store.blockHash(network, ancestor);
      if (stored === undefined) break; // below what is kept: treat as the ancestor (logged as deep below)
      const canonical = await this.reader.block(ancestor);
      if (canonical !== null && canonical.hash === stored) break;
    }
    this.metrics.reorgs.inc({ network });
    const deep = lastFinal !== null && ancestor < lastFinal;
    if (deep) this.metrics.deepReorgs.inc({ network });
    const detached = await this.deposits.transaction(async (trx) => {
      await this.store.lockCursor(trx, network);
      await this.store.rewind(trx, network, ancestor, this.clock.now());
      return this.deposits.detachAbove(trx, network, ancestor);
    });
    const entry = { network, ancestor: ancestor.toString(), depth: (from - ancestor).toString(), detachedDeposits: detached };
    if (deep) this.logger.error(entry, 'reorg deeper than the final height: confirmed deposits are kept; check the node and the confirmation depth');
    else this.logger.warn(entry, 'reorg: rescanning from the common ancestor');
  }

  #gauges(network: string, head: ChainHead, scanned: bigint, behindSince: Date | null): void {
    this.metrics.scanned.set({ network }, Number(scanned));
    this.metrics.lagBlocks.set({ network }, Number(head.latest > scanned ? head.latest - scanned : 0n));
    this.metrics.lagSeconds.set({ network }, behindSince === null ? 0 : Math.max(0, (this.clock.now().getTime() - behindSince.getTime()) / 1000));
  }
}

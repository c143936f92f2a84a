import type { Logger } from 'pino';
import type { Clock } from '../../../lib/clock.js';
import type { ScannerStore } from './store.js';

/** A node's native-coin balance of an address at a block (Ethereum: eth_getBalance). */
export interface BalanceSource {
  readonly network: string;
  nativeBalance(address: string, block: bigint): Promise<bigint>;
}

export interface UnexplainedBalance {
  readonly address: string;
  readonly bpId: string;
  /** Base units on the address at the final height beyond what Paygate recorded arriving. */
  readonly unexplained: bigint;
}

/**
 * The safety net for what transaction scanning cannot see — native coin sent by a contract
 * ("internal transfers"): addresses with an open deposit request whose balance at the final
 * height exceeds the native deposits recorded to them are reported (warn log and metric), for
 * the operator to reconcile. Nothing is credited automatically: an internal transfer has no
 * observation identity Paygate could make exactly-once. A sweep lowers the balance, so this
 * never reports falsely, but cannot see an internal transfer smaller than what was swept.
 */
export class BalanceCheck {
  constructor(
    private readonly source: BalanceSource,
    private readonly store: ScannerStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly limit = 500,
  ) {}

  /** Check at the final height the scanner has reached (nothing before the first scan). */
  async runAtScannedFinal(): Promise<UnexplainedBalance[]> {
    const cursor = await this.store.cursor(this.source.network);
    if (cursor === undefined || cursor.final_block === null) return [];
    const scanned = BigInt(cursor.next_block) - 1n;
    const final = BigInt(cursor.final_block) < scanned ? BigInt(cursor.final_block) : scanned;
    return final < 0n ? [] : this.run(final);
  }

  async run(final: bigint): Promise<UnexplainedBalance[]> {
    const awaiting = await this.store.addressesAwaitingPayment(this.source.network, this.clock.now(), this.limit);
    const found: UnexplainedBalance[] = [];
    for (const row of awaiting) {
      const balance = await this.source.nativeBalance(row.address, final);
      if (balance > row.recorded) found.push({ address: row.address, bpId: row.bpId, unexplained: balance - row.recorded });
    }
    for (const f of found)
      this.logger.warn(
        { network: this.source.network, address: f.address, bpId: f.bpId, unexplained: f.unexplained.toString() },
        'deposit address holds native coin no scanned transaction brought (an internal transfer from a contract?): not credited; reconcile by hand',
      );
    return found;
  }
}

import type { Clock } from '../../../lib/clock.js';
import type { ScannerStore } from './store.js';

/** Where the deposit scanner of one network stands, as /readyz and operators see it. */
export interface ScannerStatus {
  readonly network: string;
  readonly headBlock: string | null;
  readonly scannedBlock: string;
  readonly lagBlocks: string | null;
  /** Age of the last scanned block while behind the head; 0 when caught up. */
  readonly lagSeconds: number | null;
  /** When the scanner last heard the node's head (a stale value means the node or the worker is down). */
  readonly headSeenAt: string | null;
}

/** Read from the database, so an API process reports the scanners its workers run. */
export async function scannerStatuses(store: ScannerStore, clock: Clock): Promise<ScannerStatus[]> {
  const rows = await store.cursors();
  return rows.map((row) => {
    const scanned = BigInt(row.next_block) - 1n;
    const head = row.head_block === null ? null : BigInt(row.head_block);
    const behind = head !== null && head > scanned;
    return {
      network: row.network,
      headBlock: head?.toString() ?? null,
      scannedBlock: scanned.toString(),
      lagBlocks: head === null ? null : (behind ? head - scanned : 0n).toString(),
      lagSeconds: !behind ? 0 : row.last_block_at === null ? null : Math.max(0, Math.round((clock.now().getTime() - row.last_block_at.getTime()) / 1000)),
      headSeenAt: row.head_seen_at?.toISOString() ?? null,
    };
  });
}

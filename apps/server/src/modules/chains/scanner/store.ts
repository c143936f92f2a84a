import type { Kysely, Selectable } from 'kysely';
import type { ChainCursorsTable, DB } from '../../../db/schema.js';
import type { ChainBlock, ChainHead } from '../adapter.js';

export type CursorRow = Selectable<ChainCursorsTable>;

/** All SQL of the deposit scanner: the per-network cursor and the recent block hashes. */
export class ScannerStore {
  constructor(private readonly db: Kysely<DB>) {}

  /** The network's cursor, created at `start` on the very first run (and then never moved back silently). */
  async ensureCursor(network: string, start: bigint): Promise<CursorRow> {
    await this.db
      .insertInto('chain_cursors')
      .values({ network, start_block: start.toString(), next_block: start.toString() })
      .onConflict((oc) => oc.column('network').doNothing())
      .execute();
    return this.db.selectFrom('chain_cursors').selectAll().where('network', '=', network).executeTakeFirstOrThrow();
  }

  async cursor(network: string): Promise<CursorRow | undefined> {
    return this.db.selectFrom('chain_cursors').selectAll().where('network', '=', network).executeTakeFirst();
  }

  /** Lock the cursor for one scan step (a second worker waits, then sees the step was done). */
  async lockCursor(trx: Kysely<DB>, network: string): Promise<CursorRow> {
    return trx.selectFrom('chain_cursors').selectAll().where('network', '=', network).forUpdate().executeTakeFirstOrThrow();
  }

  async recordHead(network: string, head: ChainHead, at: Date): Promise<void> {
    await this.db
      .updateTable('chain_cursors')
      .set({ head_block: head.latest.toString(), final_block: head.final.toString(), head_seen_at: at, updated_at: at })
      .where('network', '=', network)
      .execute();
  }

  async blockHash(network: string, number: bigint): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('chain_blocks')
      .select('hash')
      .where('network', '=', network)
      .where('number', '=', number.toString())
      .executeTakeFirst();
    return row?.hash;
  }

  async saveBlocks(trx: Kysely<DB>, network: string, blocks: readonly ChainBlock[]): Promise<void> {
    if (blocks.length === 0) return;
    await trx
      .insertInto('chain_blocks')
      .values(blocks.map((b) => ({ network, number: b.number.toString(), hash: b.hash, parent_hash: b.parentHash })))
      .onConflict((oc) =>
        oc.columns(['network', 'number']).doUpdateSet((eb) => ({ hash: eb.ref('excluded.hash'), parent_hash: eb.ref('excluded.parent_hash') })),
      )
      .execute();
  }

  async advance(trx: Kysely<DB>, network: string, next: bigint, lastBlockAt: Date, at: Date): Promise<void> {
    await trx
      .updateTable('chain_cursors')
      .set({ next_block: next.toString(), last_block_at: lastBlockAt, updated_at: at })
      .where('network', '=', network)
      .execute();
  }

  /** Forget the blocks above `ancestor` and scan again from just after it. */
  async rewind(trx: Kysely<DB>, network: string, ancestor: bigint, at: Date): Promise<void> {
    await trx.deleteFrom('chain_blocks').where('network', '=', network).where('number', '>', ancestor.toString()).execute();
    await trx
      .updateTable('chain_cursors')
      .set({ next_block: (ancestor + 1n).toString(), updated_at: at })
      .where('network', '=', network)
      .execute();
  }

  async prune(network: string, below: bigint): Promise<void> {
    await this.db.deleteFrom('chain_blocks').where('network', '=', network).where('number', '<', below.toString()).execute();
  }

  /**
   * Deposit addresses of `network` with an open (unmatched, unexpired) deposit request, with the
   * native-coin amount already recorded as arriving there on chain (Pending or Confirmed).
   */
  async addressesAwaitingPayment(network: string, now: Date, limit: number): Promise<{ address: string; bpId: string; recorded: bigint }[]> {
    const rows = await this.db
      .selectFrom('deposit_addresses as da')
      .leftJoin('transactions as t', (join) =>
        join
          .onRef('t.deposit_address_id', '=', 'da.id')
          .on('t.type', '=', 'Deposit')
          .on('t.layer', '=', 'L1')
          .on('t.token_symbol', 'is', null)
          .on('t.status', '!=', 'Failed'),
      )
      .select(['da.address', 'da.bp_id', (eb) => eb.fn.coalesce(eb.fn.sum<string>('t.amount'), eb.val('0')).as('recorded')])
      .where('da.network', '=', network)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('deposit_requests as r')
            .select('r.id')
            .whereRef('r.deposit_address_id', '=', 'da.id')
            .where('r.matched_tx_id', 'is', null)
            .where('r.expires_at', '>', now),
        ),
      )
      .groupBy(['da.id', 'da.address', 'da.bp_id'])
      .orderBy('da.id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ address: r.address, bpId: r.bp_id, recorded: BigInt(String(r.recorded).split('.')[0] ?? '0') }));
  }

  async cursors(): Promise<CursorRow[]> {
    return this.db.selectFrom('chain_cursors').selectAll().orderBy('network').execute();
  }
}

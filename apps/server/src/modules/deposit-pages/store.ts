import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, DepositUrlOptionsTable, DepositUrlsTable } from '../../db/schema.js';

export type DepositUrlRow = Selectable<DepositUrlsTable>;
export type DepositUrlOptionRow = Selectable<DepositUrlOptionsTable> & { readonly address: string };

/** A deposit seen on one of a link's addresses, as the payments core recorded it. */
export interface LinkDepositRow {
  readonly id: string;
  readonly currency: string;
  readonly amount: string;
  readonly status: 'Pending' | 'Confirmed' | 'Failed';
  readonly settled: boolean;
  readonly confirmations: number;
  readonly required_confirmations: number;
  readonly deposit_request_id: string | null;
  readonly tx_hash: string | null;
  readonly initiated_at: Date;
}

/** All SQL of the hosted deposit pages. */
export class DepositUrlStore {
  constructor(
    private readonly db: Kysely<DB>,
    /** Connection for the rate-limit counters (relaxed durability: a lost hit is harmless). */
    private readonly counters: Kysely<DB>,
  ) {}

  /** The link and the currencies it offers, in one transaction. */
  async insert(url: Omit<DepositUrlRow, 'created_at'>, options: readonly Omit<Selectable<DepositUrlOptionsTable>, 'deposit_url_id'>[]): Promise<DepositUrlRow> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('deposit_urls').values(url).returningAll().executeTakeFirstOrThrow();
      await trx
        .insertInto('deposit_url_options')
        .values(options.map((o) => ({ ...o, deposit_url_id: url.id })))
        .execute();
      return row;
    });
  }

  /** The id of the permanent deposit address the payments core issued to (BP, network, identifier). */
  async addressId(bpId: string, network: string, identifier: string): Promise<string> {
    const row = await this.db
      .selectFrom('deposit_addresses')
      .select('id')
      .where('bp_id', '=', bpId)
      .where('network', '=', network)
      .where('identifier', '=', identifier)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** The link with its Business Partner's name and environment (what the public page may show). */
  findByTokenHash(tokenHash: string): Promise<(DepositUrlRow & { bp_name: string; environment: 'sandbox' | 'live' }) | undefined> {
    return this.db
      .selectFrom('deposit_urls as u')
      .innerJoin('bps as b', 'b.id', 'u.bp_id')
      .selectAll('u')
      .select(['b.name as bp_name', 'b.environment'])
      .where('u.token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  options(depositUrlId: string): Promise<DepositUrlOptionRow[]> {
    return this.db
      .selectFrom('deposit_url_options as o')
      .innerJoin('deposit_addresses as a', 'a.id', 'o.deposit_address_id')
      .select(['o.deposit_url_id', 'o.position', 'o.currency', 'o.deposit_address_id', 'o.deposit_request_id', 'a.address'])
      .where('o.deposit_url_id', '=', depositUrlId)
      .orderBy('o.position')
      .execute();
  }

  /** Deposits of the offered currencies to the link's addresses while the link was open, oldest first. */
  deposits(url: DepositUrlRow, options: readonly DepositUrlOptionRow[]): Promise<LinkDepositRow[]> {
    const pairs = options.map((o) => sql`(${o.deposit_address_id}, ${o.currency})`);
    if (pairs.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('transactions')
      .select(['id', 'currency', 'amount', 'status', 'settled', 'confirmations', 'required_confirmations', 'deposit_request_id', 'tx_hash', 'initiated_at'])
      .where('bp_id', '=', url.bp_id)
      .where('type', '=', 'Deposit')
      .where(sql<boolean>`(deposit_address_id, currency) in (${sql.join(pairs)})`)
      .where('initiated_at', '>=', url.created_at)
      .where('initiated_at', '<=', url.expires_at)
      .orderBy('initiated_at')
      .orderBy('id')
      .limit(50)
      .execute();
  }

  /** Count one hit in `bucket`'s current fixed window; returns the hits so far in it (atomic under concurrency). */
  async hit(bucket: string, windowStart: Date): Promise<number> {
    const row = await this.counters
      .insertInto('public_rate_limits')
      .values({ bucket, window_start: windowStart, hits: 1 })
      .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql`public_rate_limits.hits + 1` }))
      .returning('hits')
      .executeTakeFirstOrThrow();
    return row.hits;
  }

  /** Forget windows that ended before `before`. */
  async pruneCounters(before: Date): Promise<number> {
    const result = await this.counters.deleteFrom('public_rate_limits').where('window_start', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

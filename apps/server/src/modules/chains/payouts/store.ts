import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, PayoutAttemptsTable } from '../../../db/schema.js';
import { newId } from '../../../lib/ids.js';
import type { SignedPayout } from '../adapter.js';

export type AttemptRow = Selectable<PayoutAttemptsTable>;

export interface OpenPayout {
  readonly transactionId: string;
  readonly bpId: string;
  readonly state: 'queued' | 'waiting_funds' | 'sent';
  readonly token: 'USDT' | null;
  readonly to: string;
  readonly amount: bigint;
  readonly nonce: bigint | null;
  readonly fundsNotified: boolean;
  readonly createdAt: Date;
}

/** All SQL of the payout pipeline: the hot wallet's nonce counter, payouts and their attempts. */
export class PayoutStore {
  constructor(private readonly db: Kysely<DB>) {}

  async ensureWallet(network: string, address: string): Promise<void> {
    const row = await this.db
      .insertInto('hot_wallets')
      .values({ network, address })
      .onConflict((oc) => oc.column('network').doNothing())
      .returning('address')
      .executeTakeFirst();
    if (row !== undefined) return;
    const existing = await this.db.selectFrom('hot_wallets').select('address').where('network', '=', network).executeTakeFirstOrThrow();
    if (existing.address.toLowerCase() !== address.toLowerCase()) {
      // A new wallet starts its own nonce sequence; the old wallet's unfinished payouts would be stranded.
      const open = await this.db.selectFrom('payouts').select('transaction_id').where('network', '=', network).where('state', '=', 'sent').executeTakeFirst();
      if (open !== undefined)
        throw new Error(
          `The ${network} hot wallet changed from ${existing.address} to ${address} while payouts from the old one are unconfirmed; restore the old keystore until they confirm.`,
        );
      await this.db.updateTable('hot_wallets').set({ address, next_nonce: 0, updated_at: new Date() }).where('network', '=', network).execute();
    }
  }

  /** Unfinished payouts of a network, oldest first. */
  async open(network: string, limit: number): Promise<OpenPayout[]> {
    const rows = await this.db
      .selectFrom('payouts as p')
      .innerJoin('transactions as t', 't.id', 'p.transaction_id')
      .select(['p.transaction_id', 't.bp_id', 'p.state', 't.token_symbol', 't.to_address', 't.amount', 'p.nonce', 'p.funds_notified_at', 'p.created_at'])
      .where('p.network', '=', network)
      .where('p.state', 'in', ['queued', 'waiting_funds', 'sent'])
      .orderBy('p.created_at')
      .orderBy('p.transaction_id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      transactionId: r.transaction_id,
      bpId: r.bp_id,
      state: r.state as OpenPayout['state'],
      token: r.token_symbol === 'USDT' ? 'USDT' : null,
      to: r.to_address,
      amount: BigInt(r.amount),
      nonce: r.nonce === null ? null : BigInt(r.nonce),
      fundsNotified: r.funds_notified_at !== null,
      createdAt: r.created_at,
    }));
  }

  /** Lock the hot wallet's counter (serialises every signer of the network) and read it. */
  async lockNonce(trx: Kysely<DB>, network: string): Promise<bigint> {
    const row = await trx.selectFrom('hot_wallets').select('next_nonce').where('network', '=', network).forUpdate().executeTakeFirstOrThrow();
    return BigInt(row.next_nonce);
  }

  async setNextNonce(trx: Kysely<DB>, network: string, next: bigint): Promise<void> {
    await trx.updateTable('hot_wallets').set({ next_nonce: next.toString(), updated_at: new Date() }).where('network', '=', network).execute();
  }

  /** The payout row, locked, if it is still in one of `states`. */
  async lockPayout(trx: Kysely<DB>, transactionId: string, states: readonly string[]): Promise<{ nonce: bigint | null } | undefined> {
    const row = await trx.selectFrom('payouts').select(['state', 'nonce']).where('transaction_id', '=', transactionId).forUpdate().executeTakeFirst();
    if (row === undefined || !states.includes(row.state)) return undefined;
    return { nonce: row.nonce === null ? null : BigInt(row.nonce) };
  }

  async recordSigned(trx: Kysely<DB>, transactionId: string, network: string, signed: SignedPayout, now: Date): Promise<AttemptRow> {
    await trx
      .updateTable('payouts')
      .set({ state: 'sent', nonce: signed.nonce?.toString() ?? null, last_error: null, updated_at: new Date() })
      .where('transaction_id', '=', transactionId)
      .execute();
    return trx
      .insertInto('payout_attempts')
      .values({
        id: newId('pa'),
        transaction_id: transactionId,
        network,
        hash: signed.hash,
        raw: signed.raw,
        nonce: signed.nonce?.toString() ?? null,
        max_fee: signed.maxFee.toString(),
        expires_at: signed.expiresAt,
        state: 'signed',
        // The injected clock decides when a stuck attempt is replaced, so it also stamps the attempt.
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async attempts(transactionId: string): Promise<AttemptRow[]> {
    return this.db.selectFrom('payout_attempts').selectAll().where('transaction_id', '=', transactionId).orderBy('created_at').orderBy('id').execute();
  }

  async markBroadcast(attemptId: string, now: Date): Promise<void> {
    await this.db
      .updateTable('payout_attempts')
      .set({ state: 'broadcast', broadcast_at: now })
      .where('id', '=', attemptId)
      .where('state', '=', 'signed')
      .execute();
  }

  async markMined(attemptId: string, blockNumber: bigint): Promise<void> {
    await this.db.updateTable('payout_attempts').set({ state: 'mined', block_number: blockNumber.toString() }).where('id', '=', attemptId).execute();
  }

  /** A mined attempt left the chain (reorg): it is followed again like the others. */
  async markUnmined(attemptId: string): Promise<void> {
    await this.db
      .updateTable('payout_attempts')
      .set({ state: 'broadcast', block_number: null })
      .where('id', '=', attemptId)
      .where('state', '=', 'mined')
      .execute();
  }

  async setState(transactionId: string, state: 'queued' | 'waiting_funds' | 'sent', error: string | null): Promise<void> {
    await this.db.updateTable('payouts').set({ state, last_error: error, updated_at: new Date() }).where('transaction_id', '=', transactionId).execute();
  }

  /** Mark the team notified; true only for the caller that did it first (exactly one notice). */
  async claimFundsNotice(trx: Kysely<DB>, transactionId: string, now: Date): Promise<boolean> {
    const result = await trx
      .updateTable('payouts')
      .set({ funds_notified_at: now })
      .where('transaction_id', '=', transactionId)
      .where('funds_notified_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** A foreign transaction used the payout's nonce, so none of its attempts can land: sign afresh. */
  async requeue(trx: Kysely<DB>, transactionId: string, reason: string): Promise<void> {
    await trx
      .updateTable('payouts')
      .set({ state: 'queued', nonce: null, last_error: reason, updated_at: new Date() })
      .where('transaction_id', '=', transactionId)
      .execute();
    await trx.updateTable('payout_attempts').set({ state: 'superseded' }).where('transaction_id', '=', transactionId).execute();
  }

  /** For the operator's metrics: payouts by state, and the oldest unfinished one. */
  async summary(): Promise<{ network: string; state: string; n: number; oldest: Date | null }[]> {
    const { rows } = await sql<{ network: string; state: string; n: string; oldest: Date | null }>`
      select network, state, count(*) as n, min(created_at) filter (where state in ('queued', 'waiting_funds', 'sent')) as oldest
      from payouts group by network, state`.execute(this.db);
    return rows.map((r) => ({ network: r.network, state: r.state, n: Number(r.n), oldest: r.oldest === null ? null : new Date(r.oldest) }));
  }
}

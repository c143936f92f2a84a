import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { formatAmount } from './amounts.js';
import { currencyByCode } from './currencies.js';

export type Account = 'available' | 'pending' | 'reserved';
export type Movement = Partial<Record<Account, bigint>>;

/**
 * Post balance movements for one transaction: append journal entries and apply them to the
 * balance row in the caller's database transaction. The balance CHECKs (≥ 0) are the last line
 * of defence against overdrawing; callers check first to give a clear error.
 */
export async function post(trx: Kysely<DB>, bpId: string, currency: string, transactionId: string, reason: string, movement: Movement): Promise<void> {
  const entries = (['available', 'pending', 'reserved'] as const).flatMap((account) => {
    const amount = movement[account] ?? 0n;
    return amount === 0n ? [] : [{ bp_id: bpId, currency, account, amount: amount.toString(), transaction_id: transactionId, reason }];
  });
  if (entries.length === 0) return;
  await trx
    .insertInto('balances')
    .values({ bp_id: bpId, currency })
    .onConflict((oc) => oc.columns(['bp_id', 'currency']).doNothing())
    .execute();
  try {
    await sql`
      update balances set
        available = available + ${(movement.available ?? 0n).toString()}::numeric,
        pending = pending + ${(movement.pending ?? 0n).toString()}::numeric,
        reserved = reserved + ${(movement.reserved ?? 0n).toString()}::numeric
      where bp_id = ${bpId} and currency = ${currency}`.execute(trx);
  } catch (error: unknown) {
    if (error instanceof Error && /balances_(available|pending|reserved)_check/.test(error.message)) {
      throw new AppError('insufficient_balance', `Not enough ${currency} available for this operation.`);
    }
    throw error;
  }
  await trx.insertInto('ledger_entries').values(entries).execute();
}

/** Lock the BP's balance row of a currency for the rest of the transaction and read it. */
export async function lockBalance(trx: Kysely<DB>, bpId: string, currency: string): Promise<{ available: bigint; pending: bigint; reserved: bigint }> {
  await trx
    .insertInto('balances')
    .values({ bp_id: bpId, currency })
    .onConflict((oc) => oc.columns(['bp_id', 'currency']).doNothing())
    .execute();
  const row = await trx
    .selectFrom('balances')
    .select(['available', 'pending', 'reserved'])
    .where('bp_id', '=', bpId)
    .where('currency', '=', currency)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { available: BigInt(row.available), pending: BigInt(row.pending), reserved: BigInt(row.reserved) };
}

export interface BalanceView {
  readonly currency: string;
  readonly network: string;
  readonly coinSymbol: string;
  readonly tokenSymbol: string | null;
  readonly available: string;
  readonly pending: string;
  readonly reserved: string;
}

export function renderBalance(row: { currency: string; available: string; pending: string; reserved: string }): BalanceView {
  const c = currencyByCode(row.currency);
  return {
    currency: c.code,
    network: c.network,
    coinSymbol: c.coinSymbol,
    tokenSymbol: c.tokenSymbol,
    available: formatAmount(BigInt(row.available), c.decimals),
    pending: formatAmount(BigInt(row.pending), c.decimals),
    reserved: formatAmount(BigInt(row.reserved), c.decimals),
  };
}

export interface Posting {
  readonly bpId: string;
  readonly currency: string;
  readonly transactionId: string;
  readonly reason: string;
  readonly movement: Movement;
}

/**
 * {@link post} for many transactions at once (a scanned batch): one journal insert and one
 * balance update per (BP, currency) instead of three statements per transaction.
 */
export async function postMany(trx: Kysely<DB>, postings: readonly Posting[]): Promise<void> {
  const entries = postings.flatMap((p) =>
    (['available', 'pending', 'reserved'] as const).flatMap((account) => {
      const amount = p.movement[account] ?? 0n;
      return amount === 0n
        ? []
        : [{ bp_id: p.bpId, currency: p.currency, account, amount: amount.toString(), transaction_id: p.transactionId, reason: p.reason }];
    }),
  );
  if (entries.length === 0) return;
  const groups = new Map<string, { bpId: string; currency: string; movement: Record<Account, bigint> }>();
  for (const p of postings) {
    const key = `${p.bpId}\u0000${p.currency}`;
    const group = groups.get(key) ?? { bpId: p.bpId, currency: p.currency, movement: { available: 0n, pending: 0n, reserved: 0n } };
    for (const account of ['available', 'pending', 'reserved'] as const) group.movement[account] += p.movement[account] ?? 0n;
    groups.set(key, group);
  }
  await trx
    .insertInto('balances')
    .values([...groups.values()].map((g) => ({ bp_id: g.bpId, currency: g.currency })))
    .onConflict((oc) => oc.columns(['bp_id', 'currency']).doNothing())
    .execute();
  for (const g of groups.values()) {
    try {
      await sql`
        update balances set
          available = available + ${g.movement.available.toString()}::numeric,
          pending = pending + ${g.movement.pending.toString()}::numeric,
          reserved = reserved + ${g.movement.reserved.toString()}::numeric
        where bp_id = ${g.bpId} and currency = ${g.currency}`.execute(trx);
    } catch (error: unknown) {
      if (error instanceof Error && /balances_(available|pending|reserved)_check/.test(error.message)) {
        throw new AppError('insufficient_balance', `Not enough ${g.currency} available for this operation.`);
      }
      throw error;
    }
  }
  for (let i = 0; i < entries.length; i += 5_000)
    await trx
      .insertInto('ledger_entries')
      .values(entries.slice(i, i + 5_000))
      .execute();
}

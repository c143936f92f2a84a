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

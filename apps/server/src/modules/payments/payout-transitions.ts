import type { Kysely } from 'kysely';
import type { DB, PayoutAttemptsTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { PayoutConfig } from '../../payout-config.js';
import type { Currency } from './currencies.js';
import { post } from './ledger.js';
import { enqueueCallback } from './outbox.js';
import { failureReasonText } from './texts.js';
import type { TransactionRow } from './views.js';

/**
 * Where a Layer 1 payout goes: today's simulator (sandbox networks without a node), the chain
 * pipeline (a node is configured), or nowhere — a live network without a node refuses payouts at
 * once rather than accepting money it cannot move.
 */
export type PayoutRoute =
  | { readonly kind: 'simulator' }
  /** `nativeFeeReserve`: what a native-coin payout reserves for the network fee (gas limit × max fee cap). */
  | { readonly kind: 'node'; readonly nativeFeeReserve: bigint }
  | { readonly kind: 'unavailable'; readonly variable: string };

export interface PayoutRouting {
  route(currency: Currency): PayoutRoute;
}

/** Every network simulated (tests and tools that wire services without a configuration). */
export const simulatedPayouts: PayoutRouting = { route: () => ({ kind: 'simulator' }) };

/** Node variable of the networks whose node another part of the configuration provides. */
const NODE_VARIABLE: Record<string, string> = { ETH: 'PAYGATE_ETHEREUM_RPC_URL', SEP: 'PAYGATE_SEPOLIA_RPC_URL', TRX: 'PAYGATE_TRON_API_URL' };

export function payoutRoutingFrom(config: PayoutConfig): PayoutRouting {
  return {
    route: (currency) => {
      const node = currency.network === 'ETH' || currency.network === 'SEP' ? config.ethereumNodes[currency.network] : undefined;
      if (node !== undefined) {
        if (currency.tokenSymbol !== null && node.usdtContract === null) {
          return { kind: 'unavailable', variable: currency.network === 'SEP' ? 'PAYGATE_SEPOLIA_USDT_CONTRACT' : 'PAYGATE_ETHEREUM_USDT_CONTRACT' };
        }
        return { kind: 'node', nativeFeeReserve: config.nativeGasLimit * config.maxFeePerGasWei };
      }
      // Sandbox networks without a node stay on the simulator, as before.
      if (currency.environment === 'sandbox') return { kind: 'simulator' };
      return { kind: 'unavailable', variable: NODE_VARIABLE[currency.network] ?? 'a node URL' };
    },
  };
}

export function networkUnavailable(network: string, variable: string): AppError {
  return new AppError(
    'network_unavailable',
    `Payouts on ${network} are not available: this Paygate has no ${network} node configured (the operator sets ${variable}).`,
    {
      network,
      variable,
    },
  );
}

/** In createPayout's transaction: hand a new Layer 1 payout to the chain pipeline. */
export async function queueChainPayout(trx: Kysely<DB>, transactionId: string, network: string, reservedFee: bigint): Promise<void> {
  await trx.insertInto('payouts').values({ transaction_id: transactionId, network, state: 'queued', reserved_fee: reservedFee.toString() }).execute();
}

async function lockPending(trx: Kysely<DB>, transactionId: string) {
  const tx = await trx.selectFrom('transactions').selectAll().where('id', '=', transactionId).forUpdate().executeTakeFirst();
  const payout = await trx.selectFrom('payouts').selectAll().where('transaction_id', '=', transactionId).forUpdate().executeTakeFirst();
  if (tx === undefined || payout === undefined) throw new AppError('not_found', `No chain payout ${transactionId}.`);
  if (tx.type !== 'Withdrawal' || tx.status !== 'Pending' || payout.state === 'confirmed' || payout.state === 'failed') {
    throw new AppError('transaction_state_invalid', `Payout ${tx.id} is already ${tx.status}.`);
  }
  return { tx, payout, native: tx.token_symbol === null, reservedFee: BigInt(payout.reserved_fee), amount: BigInt(tx.amount) };
}

/**
 * The chain pipeline saw a payout's transaction succeed at the confirmation depth. Native
 * payouts are charged exactly what the transaction burned (gasUsed × effectiveGasPrice) and
 * the rest of the reserved fee is released; token payouts are charged the flat token fee and
 * the ETH burned is recorded for the operator. One database transaction with its ledger
 * entries and the `payout` callback.
 */
export async function confirmChainPayout(
  db: Kysely<DB>,
  clock: Clock,
  transactionId: string,
  mined: { hash: string; feePaid: bigint },
): Promise<TransactionRow> {
  return db.transaction().execute(async (trx) => {
    const { tx, native, reservedFee, amount } = await lockPending(trx, transactionId);
    // biome-ignore lint/complexity/useMathMinMax: Math.min does not take bigints.
    const charged = native ? (mined.feePaid < reservedFee ? mined.feePaid : reservedFee) : reservedFee;
    const now = clock.now();
    await trx
      .updateTable('transactions')
      .set({
        status: 'Confirmed',
        tx_hash: mined.hash,
        fees_paid: charged.toString(),
        confirmations: tx.required_confirmations,
        confirmed_at: now,
        updated_at: now,
      })
      .where('id', '=', tx.id)
      .execute();
    await finishPayout(trx, transactionId, 'confirmed', mined.hash, mined.feePaid, now);
    await post(trx, tx.bp_id, tx.currency, tx.id, 'payout.confirmed', { reserved: -(amount + reservedFee), available: reservedFee - charged });
    const updated = await trx.selectFrom('transactions').selectAll().where('id', '=', tx.id).executeTakeFirstOrThrow();
    await enqueueCallback(trx, 'payout', updated);
    return updated;
  });
}

/**
 * The payout failed: reverted on chain (`mined` given) or refused before anything was sent.
 * `reason` is a node's or signer's message, made portable for the callback (texts.ts).
 * The BP gets the amount back. A reverted native payout is charged the network fee it burned
 * (it was spent); a token payout is never charged its flat fee when it fails.
 */
export async function failChainPayout(
  db: Kysely<DB>,
  clock: Clock,
  transactionId: string,
  reason: string,
  mined: { hash: string; feePaid: bigint } | null,
): Promise<TransactionRow> {
  return db.transaction().execute(async (trx) => {
    const { tx, native, reservedFee, amount } = await lockPending(trx, transactionId);
    const burned = mined?.feePaid ?? 0n;
    const charged = native ? (burned < reservedFee ? burned : reservedFee) : 0n;
    const now = clock.now();
    await trx
      .updateTable('transactions')
      .set({ status: 'Failed', failure_reason: failureReasonText(reason), tx_hash: mined?.hash ?? tx.tx_hash, fees_paid: charged.toString(), updated_at: now })
      .where('id', '=', tx.id)
      .execute();
    await finishPayout(trx, transactionId, 'failed', mined?.hash ?? null, burned, now);
    await post(trx, tx.bp_id, tx.currency, tx.id, 'payout.failed', { reserved: -(amount + reservedFee), available: amount + reservedFee - charged });
    const updated = await trx.selectFrom('transactions').selectAll().where('id', '=', tx.id).executeTakeFirstOrThrow();
    await enqueueCallback(trx, 'failedPayout', updated);
    return updated;
  });
}

async function finishPayout(
  trx: Kysely<DB>,
  transactionId: string,
  state: 'confirmed' | 'failed',
  hash: string | null,
  burned: bigint,
  now: Date,
): Promise<void> {
  await trx.updateTable('payouts').set({ state, network_fee_paid: burned.toString(), updated_at: now }).where('transaction_id', '=', transactionId).execute();
  await trx.updateTable('payout_attempts').set({ state: 'superseded' }).where('transaction_id', '=', transactionId).execute();
  if (hash !== null) {
    await trx
      .updateTable('payout_attempts')
      .set({ state: state === 'confirmed' ? 'mined' : 'reverted' })
      .where('transaction_id', '=', transactionId)
      .where('hash', '=', hash)
      .execute();
  }
}

/** Pending payout: its shown hash is the latest signed attempt, its sender the hot wallet. */
export async function showAttempt(trx: Kysely<DB>, clock: Clock, transactionId: string, hash: string, from: string): Promise<void> {
  await trx.updateTable('transactions').set({ tx_hash: hash, from_address: from, updated_at: clock.now() }).where('id', '=', transactionId).execute();
}

export interface PayoutAttemptView {
  readonly hash: string;
  readonly nonce: string | null;
  /** signed (stored, not yet accepted by a node), broadcast, mined, reverted, superseded (another attempt settled it). */
  readonly state: PayoutAttemptsTable['state'];
  readonly blockNumber: string | null;
  readonly createdAt: string;
  readonly broadcastAt: string | null;
}

/** Every signed transaction of one of the BP's payouts, oldest first (empty for simulated and Layer 2 payouts). */
export async function listPayoutAttempts(db: Kysely<DB>, bpId: string, transactionId: string): Promise<PayoutAttemptView[] | null> {
  const owned = await db
    .selectFrom('transactions')
    .select('id')
    .where('id', '=', transactionId)
    .where('bp_id', '=', bpId)
    .where('type', '=', 'Withdrawal')
    .executeTakeFirst();
  if (owned === undefined) return null;
  const rows = await db.selectFrom('payout_attempts').selectAll().where('transaction_id', '=', transactionId).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({
    hash: r.hash,
    nonce: r.nonce,
    state: r.state,
    blockNumber: r.block_number,
    createdAt: r.created_at.toISOString(),
    broadcastAt: r.broadcast_at?.toISOString() ?? null,
  }));
}

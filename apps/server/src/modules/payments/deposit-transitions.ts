import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, DepositAddressesTable, DepositRequestsTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { formatAmount, scaled } from './amounts.js';
import { type Currency, currenciesFor, currencyByCode, resolveCurrency } from './currencies.js';
import { depositFee, isSettledDeposit } from './fees.js';
import { post, postMany } from './ledger.js';
import { enqueueCallback, enqueueCallbacks } from './outbox.js';
import type { ExchangeRateProvider } from './rates.js';
import { usdMicros } from './rates.js';
import { failureReasonText } from './texts.js';
import type { TransactionRow } from './views.js';

export type DepositAddressRow = Selectable<DepositAddressesTable>;

/**
 * One incoming transfer as a chain reports it. Identity is (network, txHash, position):
 * position -1 is the transaction's own native value, otherwise the log's index in its receipt.
 * `block` is null for the simulator, which has no blocks.
 */
export interface ObservedDeposit {
  readonly network: string;
  readonly tokenSymbol: 'USDT' | null;
  readonly txHash: string;
  readonly position: number;
  readonly fromAddress: string;
  readonly toAddress: string;
  readonly amount: bigint;
  readonly block: { readonly number: bigint; readonly hash: string } | null;
  readonly requiredConfirmations: number;
}

export type RecordOutcome = 'new' | 'reattached' | 'revived' | 'unchanged';

/** Why a deposit failed when its transaction left the canonical chain. */
export const REORGED = 'reorged';

/**
 * The chain-facing half of the payments core for deposits: what both the real scanner and the
 * sandbox simulator call. Every state change commits with its ledger entries and callback
 * messages in the caller's database transaction.
 */
export class DepositTransitions {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly rates: ExchangeRateProvider,
    private readonly clock: Clock,
  ) {}

  /** Run `work` in one database transaction (the scanner records a whole batch in one). */
  transaction<T>(work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Deposit addresses of `network` among `addresses` — one query for a whole scanned batch. */
  async addressesAmong(network: string, addresses: readonly string[]): Promise<Map<string, DepositAddressRow>> {
    if (addresses.length === 0) return new Map();
    const rows = await this.db.selectFrom('deposit_addresses').selectAll().where('network', '=', network).where('address', 'in', addresses).execute();
    return new Map(rows.map((r) => [r.address, r]));
  }

  /** Record one observation in its own transaction, looking the address up (the simulator's path). */
  async recordOne(observed: ObservedDeposit): Promise<TransactionRow | null> {
    const anyCurrency = currenciesFor('sandbox')
      .concat(currenciesFor('live'))
      .find((c) => c.network === observed.network && c.tokenSymbol === observed.tokenSymbol);
    if (anyCurrency === undefined) throw new AppError('network_unsupported', `Unknown network/token ${observed.network}/${observed.tokenSymbol ?? ''}`);
    return this.transaction(async (trx) => {
      const address = await trx
        .selectFrom('deposit_addresses')
        .selectAll()
        .where('chain', '=', anyCurrency.chain)
        .where('address', '=', observed.toAddress)
        .executeTakeFirst();
      if (!address) return null;
      const [recorded] = await this.record(trx, [{ address, observed }]);
      return recorded?.row ?? null;
    });
  }

  /**
   * Record observations to Paygate addresses, in the caller's transaction, with a fixed number
   * of statements for the new ones. New → Pending (pendingDeposit callback; a Layer 1 deposit
   * under 1 USDT is kept unsettled, silently). Seen before → nothing, except: a deposit detached
   * by a reorg is re-attached to its new block (same id), and one failed as reorged goes back to
   * Pending (same id, a new pendingDeposit) — arrived money is never left uncredited.
   */
  async record(
    trx: Kysely<DB>,
    items: readonly { readonly address: DepositAddressRow; readonly observed: ObservedDeposit }[],
  ): Promise<{ row: TransactionRow; outcome: RecordOutcome }[]> {
    if (items.length === 0) return [];
    const key = (network: string, hash: string | null, position: number | null) => `${network}\u0000${hash ?? ''}\u0000${position ?? ''}`;
    const existing = new Map<string, TransactionRow>();
    for (const network of new Set(items.map((i) => i.observed.network))) {
      const hashes = [...new Set(items.filter((i) => i.observed.network === network).map((i) => i.observed.txHash))];
      for (let i = 0; i < hashes.length; i += 5_000) {
        const rows = await trx
          .selectFrom('transactions')
          .selectAll()
          .where('type', '=', 'Deposit')
          .where('network', '=', network)
          .where('tx_hash', 'in', hashes.slice(i, i + 5_000))
          .forUpdate()
          .execute();
        for (const row of rows) existing.set(key(row.network, row.tx_hash, row.tx_position), row);
      }
    }
    const now = this.clock.now();
    const results: { row: TransactionRow; outcome: RecordOutcome }[] = [];
    const fresh: { address: DepositAddressRow; observed: ObservedDeposit }[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      const k = key(item.observed.network, item.observed.txHash, item.observed.position);
      const found = existing.get(k);
      if (found === undefined) {
        if (!seen.has(k)) fresh.push(item);
        seen.add(k);
      } else results.push(await this.#again(trx, found, item.observed, now));
    }
    return results.concat(await this.#insert(trx, fresh, now));
  }

  async #again(trx: Kysely<DB>, existing: TransactionRow, observed: ObservedDeposit, now: Date): Promise<{ row: TransactionRow; outcome: RecordOutcome }> {
    const at = { block_number: observed.block?.number ?? null, block_hash: observed.block?.hash ?? null, detached_at: null, updated_at: now };
    if (existing.status === 'Pending' && (existing.block_hash !== at.block_hash || existing.detached_at !== null)) {
      const row = await trx.updateTable('transactions').set(at).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
      return { row, outcome: 'reattached' };
    }
    if (existing.status === 'Failed' && existing.failure_reason === REORGED) {
      const row = await trx
        .updateTable('transactions')
        .set({ ...at, status: 'Pending', failure_reason: null, confirmations: 0 })
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (row.settled) {
        await post(trx, row.bp_id, row.currency, row.id, 'deposit.pending', { pending: BigInt(row.amount) });
        await enqueueCallback(trx, 'pendingDeposit', row);
      }
      return { row, outcome: 'revived' };
    }
    return { row: existing, outcome: 'unchanged' };
  }

  async #insert(trx: Kysely<DB>, fresh: readonly { address: DepositAddressRow; observed: ObservedDeposit }[], now: Date) {
    if (fresh.length === 0) return [];
    const bps = await trx
      .selectFrom('bps')
      .select(['id', 'environment'])
      .where('id', 'in', [...new Set(fresh.map((f) => f.address.bp_id))])
      .execute();
    const environment = new Map(bps.map((b) => [b.id, b.environment]));
    const rates = await this.rates.rates();
    const requests = await this.#openRequests(
      trx,
      fresh.map((f) => f.address.id),
    );
    const rows = [];
    for (const { address, observed } of fresh) {
      const currency = resolveCurrency(environment.get(address.bp_id) ?? 'sandbox', observed.network, observed.tokenSymbol);
      const rate = rates[currency.rateSymbol];
      const id = newId('tx');
      rows.push({
        id,
        bp_id: address.bp_id,
        type: 'Deposit' as const,
        layer: 'L1' as const,
        network: currency.network,
        currency: currency.code,
        coin_symbol: currency.coinSymbol,
        token_symbol: currency.tokenSymbol,
        amount: observed.amount.toString(),
        fee_deposit: '0',
        fees_paid: null,
        usd_value: formatAmount(usdMicros(observed.amount, currency.decimals, rate), 6),
        status: 'Pending' as const,
        settled: isSettledDeposit(observed.amount, currency.decimals, rate),
        from_address: observed.fromAddress,
        to_address: observed.toAddress,
        tx_hash: observed.txHash,
        tx_position: observed.position,
        block_number: observed.block?.number ?? null,
        block_hash: observed.block?.hash ?? null,
        detached_at: null,
        updated_at: now,
        l2_txn_hash: null,
        identifier: address.identifier,
        reference_id: address.reference_id,
        deposit_address_id: address.id,
        deposit_request_id: this.#matchRequest(requests.get(address.id), currency, observed.amount, rate),
        counterparty_tx_id: null,
        confirmations: 0,
        required_confirmations: observed.requiredConfirmations,
        request_fingerprint: null,
        failure_reason: null,
        confirmed_at: null,
      });
    }
    const inserted: TransactionRow[] = [];
    for (let i = 0; i < rows.length; i += 1_000)
      inserted.push(
        ...(await trx
          .insertInto('transactions')
          .values(rows.slice(i, i + 1_000))
          .returningAll()
          .execute()),
      );
    for (const row of inserted) {
      if (row.deposit_request_id !== null)
        await trx.updateTable('deposit_requests').set({ matched_tx_id: row.id }).where('id', '=', row.deposit_request_id).execute();
    }
    const settled = inserted.filter((r) => r.settled);
    await postMany(
      trx,
      settled.map((r) => ({ bpId: r.bp_id, currency: r.currency, transactionId: r.id, reason: 'deposit.pending', movement: { pending: BigInt(r.amount) } })),
    );
    await enqueueCallbacks(trx, 'pendingDeposit', settled);
    return inserted.map((row) => ({ row, outcome: 'new' as const }));
  }

  /** Open, unexpired deposit requests of the addresses, oldest first (locked: each matches once). */
  async #openRequests(trx: Kysely<DB>, addressIds: readonly string[]): Promise<Map<string, Selectable<DepositRequestsTable>[]>> {
    const open = await trx
      .selectFrom('deposit_requests')
      .selectAll()
      .where('deposit_address_id', 'in', [...new Set(addressIds)])
      .where('matched_tx_id', 'is', null)
      .where('expires_at', '>', this.clock.now())
      .orderBy('created_at')
      .forUpdate()
      .execute();
    const byAddress = new Map<string, Selectable<DepositRequestsTable>[]>();
    for (const r of open) byAddress.set(r.deposit_address_id, [...(byAddress.get(r.deposit_address_id) ?? []), r]);
    return byAddress;
  }

  /** The first open request on the address whose value the deposit covers (taken off the list). */
  #matchRequest(open: Selectable<DepositRequestsTable>[] | undefined, currency: Currency, amount: bigint, rate: string): string | null {
    if (open === undefined) return null;
    const index = open.findIndex((request) => {
      const wanted = request.requested_currency === 'USD' || request.requested_currency === 'USDT' ? scaled(request.requested_amount, 6) : null;
      return wanted === null ? amount >= scaled(request.requested_amount, currency.decimals) : usdMicros(amount, currency.decimals, rate) >= wanted;
    });
    const [matched] = index < 0 ? [] : open.splice(index, 1);
    return matched?.id ?? null;
  }

  /** Confirm pending deposits and credit them (less the deposit fee): `deposit` callbacks. */
  async settle(trx: Kysely<DB>, txs: readonly TransactionRow[]): Promise<TransactionRow[]> {
    if (txs.length === 0) return [];
    const rates = await this.rates.rates();
    const fees = new Map(
      txs.map((tx) => {
        const currency = currencyByCode(tx.currency);
        return [tx.id, tx.settled ? depositFee(BigInt(tx.amount), currency.decimals, rates[currency.rateSymbol]) : 0n];
      }),
    );
    const now = this.clock.now();
    const updated: TransactionRow[] = [];
    const list = [...txs];
    for (let i = 0; i < list.length; i += 1_000) {
      const chunk = list.slice(i, i + 1_000);
      const values = sql.join(chunk.map((tx) => sql`(${tx.id}, ${(fees.get(tx.id) ?? 0n).toString()}::numeric)`));
      const result = await sql<TransactionRow>`
        update transactions t set status = 'Confirmed', confirmations = t.required_confirmations, fee_deposit = v.fee,
          confirmed_at = ${now}, updated_at = ${now}
        from (values ${values}) as v(id, fee)
        where t.id = v.id
        returning t.*`.execute(trx);
      updated.push(...result.rows);
    }
    const settled = updated.filter((r) => r.settled);
    await postMany(
      trx,
      settled.map((r) => ({
        bpId: r.bp_id,
        currency: r.currency,
        transactionId: r.id,
        reason: 'deposit.confirmed',
        movement: { pending: -BigInt(r.amount), available: BigInt(r.amount) - BigInt(r.fee_deposit) },
      })),
    );
    await enqueueCallbacks(trx, 'deposit', settled);
    return updated;
  }

  /** Fail a pending deposit: its pending amount is released, `failedDeposit` callback. */
  async fail(trx: Kysely<DB>, tx: TransactionRow, reason: string): Promise<TransactionRow> {
    const updated = await trx
      .updateTable('transactions')
      .set({ status: 'Failed', failure_reason: failureReasonText(reason), updated_at: this.clock.now() })
      .where('id', '=', tx.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (tx.settled) {
      await post(trx, tx.bp_id, tx.currency, tx.id, 'deposit.failed', { pending: -BigInt(tx.amount) });
      await enqueueCallback(trx, 'failedDeposit', updated);
    }
    return updated;
  }

  /**
   * Bring the pending deposits of `network` in line with the scanned chain: confirmations =
   * min(required, tip − block + 1); those in a block ≤ `final` are Confirmed and credited.
   * Returns how many were confirmed.
   */
  async refreshConfirmations(trx: Kysely<DB>, network: string, tip: bigint, final: bigint): Promise<number> {
    const pending = await trx
      .selectFrom('transactions')
      .selectAll()
      .where('type', '=', 'Deposit')
      .where('status', '=', 'Pending')
      .where('network', '=', network)
      .where('block_number', 'is not', null)
      .where('block_number', '<=', tip.toString())
      .orderBy('block_number')
      .forUpdate()
      .execute();
    const due = pending.filter((tx) => BigInt(tx.block_number ?? '0') <= final);
    await this.settle(trx, due);
    const byCount = new Map<number, string[]>();
    for (const tx of pending) {
      const block = BigInt(tx.block_number ?? '0');
      if (block <= final) continue;
      const seen = tip - block + 1n;
      const confirmations = Number(seen < BigInt(tx.required_confirmations) ? seen : BigInt(tx.required_confirmations));
      if (confirmations !== tx.confirmations) byCount.set(confirmations, [...(byCount.get(confirmations) ?? []), tx.id]);
    }
    for (const [confirmations, ids] of byCount)
      await trx.updateTable('transactions').set({ confirmations, updated_at: this.clock.now() }).where('id', 'in', ids).execute();
    const confirmed = due.length;
    return confirmed;
  }

  /** A reorg removed every block above `ancestor`: detach the pending deposits found there. */
  async detachAbove(trx: Kysely<DB>, network: string, ancestor: bigint): Promise<number> {
    const rows = await trx
      .updateTable('transactions')
      .set({ block_number: null, block_hash: null, confirmations: 0, detached_at: this.clock.now(), updated_at: this.clock.now() })
      .where('type', '=', 'Deposit')
      .where('status', '=', 'Pending')
      .where('network', '=', network)
      .where('block_number', '>', ancestor.toString())
      .returning('id')
      .execute();
    return rows.length;
  }

  /** After the rescan reached the head: detached deposits that did not reappear fail as `reorged`. */
  async failDetached(trx: Kysely<DB>, network: string): Promise<TransactionRow[]> {
    const detached = await trx
      .selectFrom('transactions')
      .selectAll()
      .where('type', '=', 'Deposit')
      .where('status', '=', 'Pending')
      .where('network', '=', network)
      .where('detached_at', 'is not', null)
      .forUpdate()
      .execute();
    const failed: TransactionRow[] = [];
    for (const tx of detached) failed.push(await this.fail(trx, { ...tx }, REORGED));
    return failed;
  }
}

import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { BpAccess, RequestOrigin } from '../accounts/service.js';
import type { AuditService } from '../audit/service.js';
import { formatAmount, parseAmount } from './amounts.js';
import { validateAddress } from './chain/index.js';
import type { ChainKeyStore } from './chain-keys.js';
import { type Currency, currenciesFor, type Environment, resolveCurrency } from './currencies.js';
import type { DepositTransitions, ObservedDeposit } from './deposit-transitions.js';
import { type BalanceView, lockBalance, post, renderBalance } from './ledger.js';
import { enqueueCallback } from './outbox.js';
import {
  listPayoutAttempts,
  networkUnavailable,
  type PayoutAttemptView,
  type PayoutRouting,
  queueChainPayout,
  simulatedPayouts,
} from './payout-transitions.js';
import type { ExchangeRateProvider } from './rates.js';
import { usdMicros } from './rates.js';
import { failureReasonText, IDENTIFIER, REFERENCE } from './texts.js';
import { type TransactionRow, type TransactionView, toTransactionView } from './views.js';

export interface Bp {
  readonly bpId: string;
  readonly environment: Environment;
}

export interface DepositAddressView {
  readonly address: string;
  readonly network: string;
  readonly identifier: string;
  readonly referenceId: string | null;
  readonly createdAt: string;
  readonly depositRequest: { readonly id: string; readonly requestedAmount: string; readonly requestedCurrency: string; readonly expiresAt: string } | null;
}

export interface TransactionFilters {
  readonly layer?: 'L1' | 'L2' | undefined;
  readonly status?: 'Pending' | 'Confirmed' | 'Failed' | undefined;
  readonly type?: 'Deposit' | 'Withdrawal' | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  readonly hideSmall?: boolean | undefined;
  readonly page: number;
  readonly limit: 10 | 25 | 50 | 100;
}

function invalidAddress(network: string, reason: 'format' | 'checksum', field = 'body.to'): AppError {
  return new AppError(
    'address_invalid',
    reason === 'checksum' ? `The address fails its ${network} checksum; copy it again (a character is wrong).` : `That is not a ${network} address.`,
    { reason, errors: [{ field, message: reason === 'checksum' ? 'Checksum mismatch' : 'Not an address of this network' }] },
  );
}

function txHash(chain: 'ethereum' | 'tron'): string {
  const hex = randomBytes(32).toString('hex');
  return chain === 'ethereum' ? `0x${hex}` : hex;
}

/**
 * The payments core: deposit addresses, deposits reported by a chain adapter, payouts, the
 * ledger and the callback outbox. Every state change, its ledger entries and its callback
 * messages commit in one database transaction.
 */
export class PaymentsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly chainKeys: ChainKeyStore,
    private readonly rates: ExchangeRateProvider,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly deposits: DepositTransitions,
    private readonly payoutRouting: PayoutRouting = simulatedPayouts,
  ) {}

  async settings(bpId: string): Promise<{ depositRequestTtlSeconds: number }> {
    const row = await this.db.selectFrom('bps').select('deposit_request_ttl_seconds').where('id', '=', bpId).executeTakeFirstOrThrow();
    return { depositRequestTtlSeconds: row.deposit_request_ttl_seconds };
  }

  async updateSettings(access: BpAccess, input: { depositRequestTtlSeconds: number }, origin: RequestOrigin): Promise<{ depositRequestTtlSeconds: number }> {
    await this.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('bps').select('deposit_request_ttl_seconds').where('id', '=', access.bpId).forUpdate().executeTakeFirstOrThrow();
      await trx.updateTable('bps').set({ deposit_request_ttl_seconds: input.depositRequestTtlSeconds }).where('id', '=', access.bpId).execute();
      await this.audit.record(trx, {
        bpId: access.bpId,
        actor: access.actor,
        action: 'payment_settings.updated',
        target: { type: 'bp', id: access.bpId },
        details: { depositRequestTtlSeconds: { from: before.deposit_request_ttl_seconds, to: input.depositRequestTtlSeconds } },
        requestId: origin.requestId,
        ip: origin.ip,
      });
    });
    return this.settings(access.bpId);
  }

  supportedCurrencies(environment: Environment): Currency[] {
    return currenciesFor(environment);
  }

  async exchangeRates(): Promise<{ symbol: string; usd: string }[]> {
    const rates = await this.rates.rates();
    return Object.entries(rates).map(([symbol, usd]) => ({ symbol, usd }));
  }

  /**
   * The permanent address of (BP, identifier, network) — derived once from the chain's account
   * xpub, then the same every time. With `requested`, also opens a deposit request (amount +
   * currency or USD, expiring after the BP's default or `expiresInSeconds`).
   */
  async getDepositAddress(
    bp: Bp,
    input: {
      network: string;
      identifier: string;
      referenceId?: string | undefined;
      requestedAmount?: string | undefined;
      requestedCurrency?: string | undefined;
      expiresInSeconds?: number | undefined;
    },
  ): Promise<DepositAddressView> {
    const currency = resolveCurrency(bp.environment, input.network, null);
    if (!IDENTIFIER.test(input.identifier)) {
      throw new AppError('identifier_invalid', 'identifier may use ASCII letters, digits and . _ : @ - (1–64 characters), e.g. your user id.', {
        errors: [{ field: 'body.identifier', message: 'Not allowed characters or length' }],
      });
    }
    if (input.referenceId !== undefined && !REFERENCE.test(input.referenceId)) {
      throw new AppError('identifier_invalid', 'referenceId may use ASCII letters, digits and . _ : @ / - (1–128 characters).', {
        errors: [{ field: 'body.referenceId', message: 'Not allowed characters or length' }],
      });
    }
    let requestedUnits: { amount: string; currency: string } | undefined;
    if (input.requestedAmount !== undefined) {
      const code = input.requestedCurrency ?? 'USD';
      const decimals = code === 'USD' ? 2 : resolveCurrency(bp.environment, input.network, code === 'USDT' ? 'USDT' : null).decimals;
      if (code !== 'USD' && code !== 'USDT' && code !== currency.coinSymbol) {
        throw new AppError('token_unsupported', `requestedCurrency must be USD, USDT or ${currency.coinSymbol}.`, {
          errors: [{ field: 'body.requestedCurrency', message: 'Unsupported' }],
        });
      }
      parseAmount(input.requestedAmount, decimals, 'body.requestedAmount');
      requestedUnits = { amount: input.requestedAmount, currency: code };
    }
    const address = await this.#addressFor(bp, currency, input.identifier, input.referenceId ?? null);
    let depositRequest: DepositAddressView['depositRequest'] = null;
    if (requestedUnits !== undefined) {
      const bpRow = await this.db.selectFrom('bps').select('deposit_request_ttl_seconds').where('id', '=', bp.bpId).executeTakeFirstOrThrow();
      const expiresAt = new Date(this.clock.now().getTime() + (input.expiresInSeconds ?? bpRow.deposit_request_ttl_seconds) * 1000);
      const id = newId('dr');
      await this.db
        .insertInto('deposit_requests')
        .values({
          id,
          bp_id: bp.bpId,
          deposit_address_id: address.id,
          requested_amount: requestedUnits.amount,
          requested_currency: requestedUnits.currency,
          reference_id: input.referenceId ?? null,
          expires_at: expiresAt,
          matched_tx_id: null,
        })
        .execute();
      depositRequest = { id, requestedAmount: requestedUnits.amount, requestedCurrency: requestedUnits.currency, expiresAt: expiresAt.toISOString() };
    }
    return {
      address: address.address,
      network: currency.network,
      identifier: input.identifier,
      referenceId: address.reference_id,
      createdAt: address.created_at.toISOString(),
      depositRequest,
    };
  }

  async #addressFor(bp: Bp, currency: Currency, identifier: string, referenceId: string | null) {
    const find = () =>
      this.db
        .selectFrom('deposit_addresses')
        .selectAll()
        .where('bp_id', '=', bp.bpId)
        .where('network', '=', currency.network)
        .where('identifier', '=', identifier)
        .executeTakeFirst();
    const existing = await find();
    if (existing) return existing;
    try {
      return await this.db.transaction().execute(async (trx) => {
        const { index, xpub } = await this.chainKeys.nextIndex(trx, currency.chain);
        const row = {
          id: newId('da'),
          bp_id: bp.bpId,
          network: currency.network,
          chain: currency.chain,
          identifier,
          reference_id: referenceId,
          address: this.chainKeys.derive(currency.chain, xpub, index),
          derivation_index: index,
        };
        await trx.insertInto('deposit_addresses').values(row).execute();
        return { ...row, created_at: this.clock.now() };
      });
    } catch (error: unknown) {
      // Two concurrent first requests for one identifier: the loser reads the winner's address.
      const raced = await find();
      if (raced) return raced;
      throw error;
    }
  }

  // ── the chain adapter boundary: incoming transfers and their confirmations ──────────────

  /**
   * A chain adapter saw a transfer to one of Paygate's addresses (the simulator's entry; the
   * scanner records whole batches through {@link DepositTransitions} directly). Idempotent per
   * (network, txHash, position).
   */
  async recordIncomingTransfer(input: ObservedDeposit): Promise<TransactionRow | null> {
    return this.deposits.recordOne(input);
  }

  /** Add confirmations to a pending deposit; it is confirmed once it has its network's count. */
  async addConfirmations(transactionId: string, count: number): Promise<TransactionRow> {
    return this.db.transaction().execute(async (trx) => {
      const tx = await this.#lockTx(trx, transactionId);
      if (tx.type !== 'Deposit' || tx.status !== 'Pending')
        throw new AppError('transaction_state_invalid', `Transaction ${tx.id} is a ${tx.status} ${tx.type}; only pending deposits gain confirmations.`);
      const confirmations = Math.min(tx.required_confirmations, tx.confirmations + count);
      await trx.updateTable('transactions').set({ confirmations, updated_at: this.clock.now() }).where('id', '=', tx.id).execute();
      if (confirmations >= tx.required_confirmations) {
        const [settled] = await this.deposits.settle(trx, [tx]);
        if (settled !== undefined) return settled;
      }
      return { ...tx, confirmations };
    });
  }

  /** The chain reports a deposit as failed (reorg, reverted token transfer…). */
  async failDeposit(transactionId: string, reason: string): Promise<TransactionRow> {
    return this.db.transaction().execute(async (trx) => {
      const tx = await this.#lockTx(trx, transactionId);
      if (tx.type !== 'Deposit' || tx.status !== 'Pending')
        throw new AppError('transaction_state_invalid', `Transaction ${tx.id} is a ${tx.status} ${tx.type}; only pending deposits can fail.`);
      return this.deposits.fail(trx, tx, reason);
    });
  }

  // ── payouts ───────────────────────────────────────────────────────────────

  /**
   * Request a payout. `referenceId` makes it idempotent: the same request returns the original
   * payout; the same referenceId with other parameters is a 409. A payout to an address Paygate
   * issued is settled at once as Layer 2 (no network fee; both BPs see it); otherwise funds
   * (amount + network fee) are reserved and the payout is Pending until the chain confirms it.
   */
  async createPayout(
    bp: Bp,
    input: { referenceId: string; to: string; amount: string; network: string; token?: string | null | undefined },
  ): Promise<{ transaction: TransactionRow; replayed: boolean }> {
    if (!REFERENCE.test(input.referenceId)) {
      throw new AppError('identifier_invalid', 'referenceId may use ASCII letters, digits and . _ : @ / - (1–128 characters).', {
        errors: [{ field: 'body.referenceId', message: 'Not allowed characters or length' }],
      });
    }
    const currency = resolveCurrency(bp.environment, input.network, input.token ?? null);
    const checked = validateAddress(currency.chain, input.to);
    if (!checked.ok) throw invalidAddress(currency.network, checked.reason);
    const amount = parseAmount(input.amount, currency.decimals);
    const route = this.payoutRouting.route(currency);
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([currency.code, checked.address, amount.toString()]))
      .digest('hex');

    const existing = await this.db
      .selectFrom('transactions')
      .selectAll()
      .where('bp_id', '=', bp.bpId)
      .where('type', '=', 'Withdrawal')
      .where('reference_id', '=', input.referenceId)
      .executeTakeFirst();
    if (existing) return this.#replay(existing, fingerprint, input.referenceId);

    try {
      const transaction = await this.db.transaction().execute(async (trx) => {
        const internal = await trx
          .selectFrom('deposit_addresses')
          .selectAll()
          .where('chain', '=', currency.chain)
          .where('address', '=', checked.address)
          .executeTakeFirst();
        if (!internal && route.kind === 'unavailable') throw networkUnavailable(currency.network, route.variable);
        const balance = await lockBalance(trx, bp.bpId, currency.code);
        // On a node-backed network a native payout reserves the most its gas can cost; the exact burn is charged on confirmation.
        const nativeOnNode = route.kind === 'node' && currency.tokenSymbol === null;
        const fee = internal ? 0n : nativeOnNode ? route.nativeFeeReserve : currency.payoutFee;
        if (balance.available < amount + fee) {
          throw new AppError(
            'insufficient_balance',
            `Available ${formatAmount(balance.available, currency.decimals)} ${currency.code} is less than ${formatAmount(amount + fee, currency.decimals)} (amount${fee > 0n ? ` + network fee ${formatAmount(fee, currency.decimals)}` : ''}).`,
            { available: formatAmount(balance.available, currency.decimals), required: formatAmount(amount + fee, currency.decimals) },
          );
        }
        const now = this.clock.now();
        const id = newId('tx');
        const base = {
          bp_id: bp.bpId,
          network: currency.network,
          currency: currency.code,
          coin_symbol: currency.coinSymbol,
          token_symbol: currency.tokenSymbol,
          amount: amount.toString(),
          usd_value: formatAmount(usdMicros(amount, currency.decimals, (await this.rates.rates())[currency.rateSymbol]), 6),
          to_address: checked.address,
          deposit_request_id: null,
          failure_reason: null,
          confirmations: 0,
          required_confirmations: 0,
        };
        if (internal) {
          const l2 = `l2_${randomBytes(16).toString('hex')}`;
          const receiverId = newId('tx');
          await trx
            .insertInto('transactions')
            .values({
              ...base,
              id,
              type: 'Withdrawal',
              layer: 'L2',
              status: 'Confirmed',
              settled: true,
              fee_deposit: '0',
              fees_paid: '0',
              from_address: null,
              tx_hash: null,
              l2_txn_hash: l2,
              identifier: null,
              reference_id: input.referenceId,
              deposit_address_id: null,
              counterparty_tx_id: receiverId,
              request_fingerprint: fingerprint,
              confirmed_at: now,
            })
            .execute();
          await trx
            .insertInto('transactions')
            .values({
              ...base,
              id: receiverId,
              bp_id: internal.bp_id,
              type: 'Deposit',
              layer: 'L2',
              status: 'Confirmed',
              settled: true,
              fee_deposit: '0',
              fees_paid: null,
              from_address: null,
              tx_hash: null,
              l2_txn_hash: l2,
              identifier: internal.identifier,
              reference_id: internal.reference_id,
              deposit_address_id: internal.id,
              counterparty_tx_id: id,
              request_fingerprint: null,
              confirmed_at: now,
            })
            .execute();
          await post(trx, bp.bpId, currency.code, id, 'payout.l2', { available: -amount });
          await post(trx, internal.bp_id, currency.code, receiverId, 'deposit.l2', { available: amount });
          await enqueueCallback(trx, 'payout', await trx.selectFrom('transactions').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
          await enqueueCallback(trx, 'deposit', await trx.selectFrom('transactions').selectAll().where('id', '=', receiverId).executeTakeFirstOrThrow());
        } else {
          await trx
            .insertInto('transactions')
            .values({
              ...base,
              id,
              type: 'Withdrawal',
              layer: 'L1',
              status: 'Pending',
              settled: true,
              fee_deposit: '0',
              fees_paid: nativeOnNode ? null : fee.toString(),
              from_address: null,
              // A real payout has no hash until it is signed; the simulator invents one.
              tx_hash: route.kind === 'node' ? null : txHash(currency.chain),
              l2_txn_hash: null,
              identifier: null,
              reference_id: input.referenceId,
              deposit_address_id: null,
              counterparty_tx_id: null,
              request_fingerprint: fingerprint,
              confirmed_at: null,
            })
            .execute();
          if (route.kind === 'node') await queueChainPayout(trx, id, currency.network, fee);
          await post(trx, bp.bpId, currency.code, id, 'payout.reserve', { available: -(amount + fee), reserved: amount + fee });
          await enqueueCallback(trx, 'pendingPayout', await trx.selectFrom('transactions').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
        }
        return trx.selectFrom('transactions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      });
      return { transaction, replayed: false };
    } catch (error: unknown) {
      // A concurrent request with the same referenceId won the unique index: answer as a replay.
      if (error instanceof Error && /transactions_payout_reference_key/.test(error.message)) {
        const winner = await this.db
          .selectFrom('transactions')
          .selectAll()
          .where('bp_id', '=', bp.bpId)
          .where('type', '=', 'Withdrawal')
          .where('reference_id', '=', input.referenceId)
          .executeTakeFirstOrThrow();
        return this.#replay(winner, fingerprint, input.referenceId);
      }
      throw error;
    }
  }

  #replay(existing: TransactionRow, fingerprint: string, referenceId: string): { transaction: TransactionRow; replayed: boolean } {
    if (existing.request_fingerprint !== fingerprint) {
      throw new AppError(
        'reference_conflict',
        `referenceId "${referenceId}" was already used for payout ${existing.id} with different parameters. Use a new referenceId for a new payout.`,
        { transactionId: existing.id },
      );
    }
    return { transaction: existing, replayed: true };
  }

  /** The chain confirmed a payout: release the reservation, record the fee paid. */
  async confirmPayout(transactionId: string): Promise<TransactionRow> {
    return this.db.transaction().execute(async (trx) => {
      const tx = await this.#lockTx(trx, transactionId);
      if (tx.type !== 'Withdrawal' || tx.status !== 'Pending')
        throw new AppError('transaction_state_invalid', `Transaction ${tx.id} is a ${tx.status} ${tx.type}; only pending payouts can be confirmed.`);
      const total = BigInt(tx.amount) + BigInt(tx.fees_paid ?? '0');
      const now = this.clock.now();
      await trx.updateTable('transactions').set({ status: 'Confirmed', confirmed_at: now, updated_at: now }).where('id', '=', tx.id).execute();
      await post(trx, tx.bp_id, tx.currency, tx.id, 'payout.confirmed', { reserved: -total });
      const updated = await trx.selectFrom('transactions').selectAll().where('id', '=', tx.id).executeTakeFirstOrThrow();
      await enqueueCallback(trx, 'payout', updated);
      return updated;
    });
  }

  /** The payout failed: release the funds back to available. `reason` is made portable (texts.ts). */
  async failPayout(transactionId: string, reason: string): Promise<TransactionRow> {
    return this.db.transaction().execute(async (trx) => {
      const tx = await this.#lockTx(trx, transactionId);
      if (tx.type !== 'Withdrawal' || tx.status !== 'Pending')
        throw new AppError('transaction_state_invalid', `Transaction ${tx.id} is a ${tx.status} ${tx.type}; only pending payouts can fail.`);
      const total = BigInt(tx.amount) + BigInt(tx.fees_paid ?? '0');
      await trx
        .updateTable('transactions')
        .set({ status: 'Failed', failure_reason: failureReasonText(reason), fees_paid: '0', updated_at: this.clock.now() })
        .where('id', '=', tx.id)
        .execute();
      await post(trx, tx.bp_id, tx.currency, tx.id, 'payout.failed', { reserved: -total, available: total });
      const updated = await trx.selectFrom('transactions').selectAll().where('id', '=', tx.id).executeTakeFirstOrThrow();
      await enqueueCallback(trx, 'failedPayout', updated);
      return updated;
    });
  }

  async #lockTx(trx: Kysely<DB>, id: string): Promise<TransactionRow> {
    const tx = await trx.selectFrom('transactions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!tx) throw new AppError('not_found', `No transaction ${id}.`);
    return tx;
  }

  // ── reading ───────────────────────────────────────────────────────────────

  async balances(bp: Bp): Promise<BalanceView[]> {
    const rows = await this.db.selectFrom('balances').select(['currency', 'available', 'pending', 'reserved']).where('bp_id', '=', bp.bpId).execute();
    return currenciesFor(bp.environment).map((c) =>
      renderBalance(rows.find((r) => r.currency === c.code) ?? { currency: c.code, available: '0', pending: '0', reserved: '0' }),
    );
  }

  async listTransactions(bp: Bp, f: TransactionFilters): Promise<{ items: TransactionView[]; page: number; limit: number; total: number }> {
    let q = this.db.selectFrom('transactions').where('bp_id', '=', bp.bpId);
    if (f.layer !== undefined) q = q.where('layer', '=', f.layer);
    if (f.status !== undefined) q = q.where('status', '=', f.status);
    if (f.type !== undefined) q = q.where('type', '=', f.type);
    if (f.from !== undefined) q = q.where('initiated_at', '>=', f.from);
    if (f.to !== undefined) q = q.where('initiated_at', '<', f.to);
    if (f.hideSmall === true) q = q.where('settled', '=', true);
    const [rows, count] = await Promise.all([
      q
        .selectAll()
        .orderBy('initiated_at', 'desc')
        .orderBy('id', 'desc')
        .limit(f.limit)
        .offset((f.page - 1) * f.limit)
        .execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toTransactionView), page: f.page, limit: f.limit, total: Number(count.n) };
  }

  async getTransaction(bp: Bp, id: string): Promise<TransactionView> {
    const row = await this.db.selectFrom('transactions').selectAll().where('bp_id', '=', bp.bpId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('not_found', `No transaction ${id} for this Business Partner.`);
    return toTransactionView(row);
  }

  /** The chain transactions of one of the BP's payouts (hashes, nonce, state), oldest first. */
  async payoutAttempts(bp: Bp, id: string): Promise<PayoutAttemptView[]> {
    const attempts = await listPayoutAttempts(this.db, bp.bpId, id);
    if (attempts === null) throw new AppError('not_found', `No payout ${id} for this Business Partner.`);
    return attempts;
  }

  /** Journal sums per account, for checking the balances table against the ledger. */
  async journalSums(bpId: string, currency: string): Promise<{ available: bigint; pending: bigint; reserved: bigint }> {
    const rows = await sql<{
      account: string;
      s: string;
    }>`select account, sum(amount)::text as s from ledger_entries where bp_id = ${bpId} and currency = ${currency} group by account`.execute(this.db);
    const get = (a: string) => BigInt(rows.rows.find((r) => r.account === a)?.s ?? '0');
    return { available: get('available'), pending: get('pending'), reserved: get('reserved') };
  }
}

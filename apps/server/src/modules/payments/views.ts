import type { Transaction, TransactionCallbackKind, TransactionCallbackPayload } from '@paygate/protocol';
import type { Selectable } from 'kysely';
import type { TransactionsTable } from '../../db/schema.js';
import { formatAmount } from './amounts.js';
import { currencyByCode } from './currencies.js';

export type TransactionRow = Selectable<TransactionsTable>;

/**
 * A transaction as BPs see it — in API responses and in callback payloads alike — with the
 * AkashicPay-style field names existing integrations expect (the wire type lives in
 * @paygate/protocol, shared with the SDK).
 */
export type TransactionView = Transaction;

export function toTransactionView(row: TransactionRow): TransactionView {
  const currency = currencyByCode(row.currency);
  const fmt = (v: string | null) => (v === null ? null : formatAmount(BigInt(v), currency.decimals));
  const depositFee = BigInt(row.fee_deposit);
  return {
    id: row.id,
    type: row.type,
    layer: row.layer,
    status: row.status,
    fromAddress: row.from_address,
    toAddress: row.to_address,
    amount: formatAmount(BigInt(row.amount), currency.decimals),
    coinSymbol: row.coin_symbol,
    tokenSymbol: row.token_symbol,
    network: row.network,
    txHash: row.tx_hash,
    l2TxnHash: row.l2_txn_hash,
    feesPaid: fmt(row.fees_paid),
    internalFee: row.type === 'Deposit' && depositFee > 0n ? { deposit: formatAmount(depositFee, currency.decimals) } : {},
    usdValue: row.usd_value,
    settled: row.settled,
    identifier: row.identifier,
    referenceId: row.reference_id,
    depositRequestId: row.deposit_request_id,
    confirmations: row.confirmations,
    requiredConfirmations: row.required_confirmations,
    failureReason: row.failure_reason,
    initiatedAt: row.initiated_at.toISOString(),
    confirmedAt: row.confirmed_at?.toISOString() ?? null,
  };
}

/**
 * A transaction as its callbacks carry it: the same fields as {@link toTransactionView}, under the
 * portable body profile (docs/callbacks.md) — a field without a value is left out rather than sent
 * as `null`, and `internalFee` appears only when it has a member (as AkashicPay sends it), because
 * PHP SDKs re-encode `{}` as `[]` and then reject the signature.
 */
export function toCallbackPayload(row: TransactionRow, kind: TransactionCallbackKind): TransactionCallbackPayload {
  const { internalFee, ...view } = toTransactionView(row);
  return {
    ...withoutNulls(view),
    ...(internalFee.deposit !== undefined ? { internalFee: { deposit: internalFee.deposit } } : {}),
    callbackType: kind,
  };
}

type NullableKey<T> = { [K in keyof T]-?: null extends T[K] ? K : never }[keyof T];
/** `T` with every nullable member optional instead: what {@link withoutNulls} returns. */
type AbsentIfNull<T> = { [K in Exclude<keyof T, NullableKey<T>>]: T[K] } & { [K in NullableKey<T>]?: Exclude<T[K], null> };

function withoutNulls<T extends object>(value: T): AbsentIfNull<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) as AbsentIfNull<T>;
}

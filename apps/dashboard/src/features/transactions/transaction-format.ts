import type { Balance, Transaction, TransactionType } from './transactions-api';

/** Integrators call them payouts (the SDK's `payout()`); the API's `Withdrawal` is shown in the details. */
export const TYPE_LABELS: Record<TransactionType, string> = { Deposit: 'Deposit', Withdrawal: 'Payout' };

/** What the amount is counted in: the token when there is one, else the network's coin. */
export function assetSymbol(item: Pick<Transaction | Balance, 'tokenSymbol' | 'coinSymbol'>): string {
  return item.tokenSymbol ?? item.coinSymbol;
}

/** "250 USDT": the server's decimal string as it is — never through a float, which could change it. */
export function formatMoney(amount: string, symbol: string): string {
  return `${amount} ${symbol}`;
}

/**
 * "250.000000" → "250": the USD estimate always comes with six places. Trailing zeros go as
 * text; the value is never parsed into a float.
 */
export function trimZeros(decimal: string): string {
  return decimal.includes('.') ? decimal.replace(/\.?0+$/, '') : decimal;
}

/** "USDT · TRX-SHASTA" for a token; the network's coin carries the network's name already. */
export function currencyLabel(balance: Balance): string {
  return balance.tokenSymbol === null ? balance.coinSymbol : `${balance.tokenSymbol} · ${balance.network}`;
}

/** Addresses and hashes are long; tables show both ends (the part people compare), the title the whole. */
export function shortenMiddle(value: string, head = 6, tail = 4): string {
  return value.length <= head + tail + 1 ? value : `${value.slice(0, head)}…${value.slice(-tail)}`;
}

/** The hash a transaction is known by on its chain, or inside Paygate for Layer 2. */
export function hashOf(tx: Transaction): string | null {
  return tx.txHash ?? tx.l2TxnHash;
}

/** A decimal string is zero when it has no non-zero digit; compared as text, not as a number. */
export function isZeroAmount(amount: string): boolean {
  return !/[1-9]/.test(amount);
}

const time = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const fullTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long' });

/** "May 3, 14:02:11" in the browser's zone: deposits and their confirmations are seconds apart. */
export function formatTxTime(iso: string): string {
  return time.format(new Date(iso));
}

/** With the year and the zone, for the detail view. */
export function formatTxTimeFull(iso: string): string {
  return fullTime.format(new Date(iso));
}

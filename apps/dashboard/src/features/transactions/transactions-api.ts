import { useQuery } from '@tanstack/react-query';
import { api, queryString } from '../../app/api-client';
import { type TransactionFilters, transactionQueryParams } from './transaction-filters';

export type TransactionType = 'Deposit' | 'Withdrawal';
export type TransactionStatus = 'Pending' | 'Confirmed' | 'Failed';
export type TransactionLayer = 'L1' | 'L2';

/** A deposit or payout as the API and the callbacks describe it. Amounts are decimal strings, never numbers. */
export interface Transaction {
  /** `tx_…` */
  readonly id: string;
  readonly type: TransactionType;
  readonly layer: TransactionLayer;
  readonly status: TransactionStatus;
  readonly fromAddress: string | null;
  readonly toAddress: string;
  readonly amount: string;
  readonly coinSymbol: string;
  /** `USDT`, or null for the network's own coin. */
  readonly tokenSymbol: string | null;
  readonly network: string;
  readonly txHash: string | null;
  /** Set instead of `txHash` for payouts settled inside Paygate (Layer 2). */
  readonly l2TxnHash: string | null;
  /** The network fee of a confirmed Layer 1 payout. */
  readonly feesPaid: string | null;
  readonly internalFee: { readonly deposit?: string };
  readonly usdValue: string | null;
  /** False for a Layer 1 deposit worth less than 1 USDT: recorded, but not credited and without callbacks. */
  readonly settled: boolean;
  readonly identifier: string | null;
  readonly referenceId: string | null;
  readonly depositRequestId: string | null;
  readonly confirmations: number;
  readonly requiredConfirmations: number;
  readonly failureReason: string | null;
  readonly initiatedAt: string;
  readonly confirmedAt: string | null;
}

export interface TransactionPage {
  readonly items: Transaction[];
  readonly page: number;
  readonly limit: number;
  readonly total: number;
}

/** What a Business Partner holds of one currency (a coin or USDT on one network). */
export interface Balance {
  /** Ledger key, e.g. `USDT-TRX-SHASTA`. */
  readonly currency: string;
  readonly network: string;
  readonly coinSymbol: string;
  readonly tokenSymbol: string | null;
  readonly available: string;
  /** Incoming deposits awaiting confirmation. */
  readonly pending: string;
  /** Outgoing payouts in flight (amount plus network fee). */
  readonly reserved: string;
}

/** How often lists with a Pending transaction ask again: the sandbox and real chains move in seconds. */
export const PENDING_REFRESH_MS = 5_000;

export const paymentsKeys = {
  transactions: (bpId: string) => ['bp', bpId, 'transactions'] as const,
  balances: (bpId: string) => ['bp', bpId, 'balances'] as const,
};

export const paymentsApi = {
  transactions: (bpId: string, params: Record<string, string | number | undefined>) =>
    api.get<TransactionPage>(`/api/bps/${bpId}/transactions${queryString(params)}`),
  balances: (bpId: string) => api.get<{ items: Balance[] }>(`/api/bps/${bpId}/balances`),
};

export function hasPending(page: TransactionPage | undefined): boolean {
  return page?.items.some((tx) => tx.status === 'Pending') ?? false;
}

/**
 * One page of transactions; polls while any transaction on it is still Pending, or all the time
 * with `alwaysPoll` (for lists that wait for transactions started elsewhere, e.g. SDK payouts).
 */
export function useTransactions(bpId: string, filters: TransactionFilters, alwaysPoll = false) {
  return useQuery({
    queryKey: [...paymentsKeys.transactions(bpId), filters],
    queryFn: () => paymentsApi.transactions(bpId, transactionQueryParams(filters)),
    // Paging and filtering keep the previous rows on screen instead of flashing an empty table —
    // but never another Business Partner's rows after a switch.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === bpId ? previous : undefined),
    refetchInterval: (query) => (alwaysPoll || hasPending(query.state.data) ? PENDING_REFRESH_MS : false),
  });
}

export function useBalances(bpId: string) {
  return useQuery({ queryKey: paymentsKeys.balances(bpId), queryFn: () => paymentsApi.balances(bpId), select: (result) => result.items });
}

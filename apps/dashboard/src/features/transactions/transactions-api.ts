// The wire types are declared once, in @paygate/protocol (shared with the server and the SDK).
import type { Balance, Transaction, TransactionPage } from '@paygate/protocol';
import { useQuery } from '@tanstack/react-query';
import { api, queryString } from '../../app/api-client';
import { type TransactionFilters, transactionQueryParams } from './transaction-filters';

export type { Balance, Transaction, TransactionPage };
export type TransactionType = Transaction['type'];
export type TransactionStatus = Transaction['status'];
export type TransactionLayer = Transaction['layer'];

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

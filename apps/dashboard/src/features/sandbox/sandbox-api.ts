import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api-client';
import { paymentsKeys, type Transaction } from '../transactions/transactions-api';

export type SandboxNetwork = 'SEP' | 'TRX-SHASTA';
export type DepositOutcome = 'confirm' | 'pending' | 'fail';

export interface SimulateDepositRequest {
  readonly network: SandboxNetwork;
  /** Omitted for the network's own coin. */
  readonly token?: 'USDT';
  /** The server sends the deposit to this identifier's permanent address, creating it if needed. */
  readonly identifier: string;
  readonly amount: string;
  readonly outcome: DepositOutcome;
}

const base = (bpId: string) => `/api/bps/${bpId}/sandbox`;

export const sandboxApi = {
  simulateDeposit: (bpId: string, request: SimulateDepositRequest) => api.post<Transaction>(`${base(bpId)}/deposits`, request),
  addConfirmations: (bpId: string, transactionId: string, count: number) =>
    api.post<Transaction>(`${base(bpId)}/transactions/${transactionId}/confirmations`, { count }),
  confirmPayout: (bpId: string, transactionId: string) => api.post<Transaction>(`${base(bpId)}/payouts/${transactionId}/confirm`),
  failPayout: (bpId: string, transactionId: string, reason: string) =>
    api.post<Transaction>(`${base(bpId)}/payouts/${transactionId}/fail`, reason === '' ? {} : { reason }),
};

/**
 * A simulated chain event. Whatever it did shows up in every transaction list and in the
 * balances, so both are refetched once it settles — failed calls included, since a 409 means the
 * list on screen was out of date.
 */
export function useSandboxAction<TVariables>(bpId: string, action: (variables: TVariables) => Promise<Transaction>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: action,
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: paymentsKeys.transactions(bpId) }),
        client.invalidateQueries({ queryKey: paymentsKeys.balances(bpId) }),
      ]),
  });
}

/** How the sandbox behaves on this server (its automatic confirmation delay). */
export function useSandboxSettings(bpId: string) {
  return useQuery({
    queryKey: ['bp', bpId, 'sandbox-settings'],
    queryFn: () => api.get<{ autoConfirmSeconds: number }>(`/api/bps/${bpId}/sandbox/settings`),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

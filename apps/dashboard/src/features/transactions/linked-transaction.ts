import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'wouter';
import { api } from '../../app/api-client';
import { paymentsKeys, type Transaction } from './transactions-api';

const TX_ID = /^tx_[0-9a-z]{26}$/;

/**
 * `?open=tx_…` (the link from a callback delivery) opens that transaction's details, wherever it
 * is in the list. `close()` drops the parameter again.
 */
export function useLinkedTransaction(bpId: string): { readonly tx: Transaction | undefined; close(): void } {
  const [params, setParams] = useSearchParams();
  const id = params.get('open') ?? '';
  const query = useQuery({
    queryKey: [...paymentsKeys.transactions(bpId), 'one', id],
    queryFn: () => api.get<Transaction>(`/api/bps/${bpId}/transactions/${id}`),
    enabled: TX_ID.test(id),
  });
  return {
    tx: TX_ID.test(id) ? query.data : undefined,
    close: () =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          next.delete('open');
          return next;
        },
        { replace: true },
      ),
  };
}

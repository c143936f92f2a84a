import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { PageHeader } from '../../ui/page-header';
import { ProblemAlert } from '../../ui/problem-alert';
import { useActiveBp } from '../auth/current-session';
import { BalancesStrip } from './balances-strip';
import { useLinkedTransaction } from './linked-transaction';
import { TransactionDetailDialog } from './transaction-detail-dialog';
import { filtersFromSearch, filtersToSearch, hasFilters, type TransactionFilters } from './transaction-filters';
import { TransactionFiltersBar } from './transaction-filters-bar';
import { hasPending, paymentsKeys, type Transaction, useTransactions } from './transactions-api';
import { TransactionsPagination } from './transactions-pagination';
import { TransactionsTable } from './transactions-table';

export function TransactionsPage() {
  const bp = useActiveBp();
  // Keyed by BP so an open detail dialog never carries over to another Business Partner.
  return <Transactions key={bp.bpId} />;
}

function Transactions() {
  const bp = useActiveBp();
  // Filters live in the address, so a filtered view survives a reload and can be shared.
  const [params, setParams] = useSearchParams();
  const filters = filtersFromSearch(params);
  const transactions = useTransactions(bp.bpId, filters);
  // The snapshot clicked; while the list refreshes, the dialog follows the newer copy of it.
  const [opened, setOpened] = useState<Transaction | null>(null);

  useBalancesFollow(bp.bpId, transactions.dataUpdatedAt);

  const setFilters = (next: TransactionFilters) => setParams(filtersToSearch(next), { replace: true });
  const page = transactions.data;
  const items = page?.items ?? [];
  const pending = hasPending(page);
  const linked = useLinkedTransaction(bp.bpId);
  const clicked = opened ?? linked.tx ?? null;
  const shownDetail = clicked === null ? null : (items.find((tx) => tx.id === clicked.id) ?? clicked);
  const client = useQueryClient();
  const refreshAll = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: paymentsKeys.transactions(bp.bpId) }),
      client.invalidateQueries({ queryKey: paymentsKeys.balances(bp.bpId) }),
    ]);

  return (
    <>
      <PageHeader title="Transactions" description={`Deposits and payouts of ${bp.bpName}, newest first. Amounts are exact, as the API reports them.`} />
      <BalancesStrip bpId={bp.bpId} />
      <section className="panel panel-flush" aria-labelledby="transactions-title">
        <div className="panel-header">
          <div className="panel-title">
            <h2 id="transactions-title">History</h2>
            {pending && (
              <span className="tx-live" role="status">
                <span className={transactions.isFetching ? 'tx-live-dot fetching' : 'tx-live-dot'} aria-hidden="true" />
                Pending transactions: refreshing every 5 s
              </span>
            )}
          </div>
          {/* A steady label: while transactions are pending the list refreshes itself, and a flickering button would distract. */}
          <button type="button" className="btn btn-small" onClick={() => void refreshAll()}>
            Refresh
          </button>
        </div>
        <TransactionFiltersBar filters={filters} onChange={setFilters} />
        <ProblemAlert error={transactions.error} />
        {transactions.isPending && <p className="muted panel-body">Loading transactions…</p>}
        {page !== undefined && items.length === 0 && (
          <EmptyTransactions
            filtered={hasFilters(filters)}
            beyondEnd={filters.page > 1 && page.total > 0}
            onFirstPage={() => setFilters({ ...filters, page: 1 })}
          />
        )}
        {items.length > 0 && (
          <div className={transactions.isPlaceholderData ? 'tx-stale' : undefined}>
            <TransactionsTable transactions={items} onOpen={setOpened} />
          </div>
        )}
        {page !== undefined && page.total > 0 && (
          <TransactionsPagination
            page={filters.page}
            limit={filters.limit}
            total={page.total}
            shown={items.length}
            busy={transactions.isPlaceholderData}
            onPage={(next) => setFilters({ ...filters, page: next })}
            onLimit={(limit) => setFilters({ ...filters, limit, page: 1 })}
          />
        )}
      </section>
      {shownDetail !== null && (
        <TransactionDetailDialog
          key={shownDetail.id}
          tx={shownDetail}
          onClose={() => {
            setOpened(null);
            linked.close();
          }}
        />
      )}
    </>
  );
}

/**
 * Whenever the list brings new data (a poll that finds a deposit confirmed, another page), the
 * balances are asked again, so the cards never disagree with the rows under them. The first
 * load is skipped: the balances are being fetched for the first time anyway.
 */
function useBalancesFollow(bpId: string, transactionsUpdatedAt: number): void {
  const client = useQueryClient();
  const previous = useRef(transactionsUpdatedAt);
  useEffect(() => {
    const before = previous.current;
    previous.current = transactionsUpdatedAt;
    if (before !== 0 && before !== transactionsUpdatedAt) void client.invalidateQueries({ queryKey: paymentsKeys.balances(bpId) });
  }, [client, bpId, transactionsUpdatedAt]);
}

interface EmptyTransactionsProps {
  readonly filtered: boolean;
  /** The address asks for a page past the last one (e.g. after a page size change elsewhere). */
  readonly beyondEnd: boolean;
  readonly onFirstPage: () => void;
}

function EmptyTransactions({ filtered, beyondEnd, onFirstPage }: EmptyTransactionsProps) {
  const bp = useActiveBp();
  return (
    <div className="panel-body tx-empty" data-testid="transactions-empty">
      {beyondEnd ? (
        <p className="muted">
          This page is past the end of the list.{' '}
          <button type="button" className="btn-link inline" onClick={onFirstPage}>
            Go to the first page
          </button>
        </p>
      ) : filtered ? (
        <p className="muted">No transactions match these filters.</p>
      ) : (
        <>
          <p className="tx-empty-title">No transactions yet</p>
          <p className="muted">
            Deposits to your addresses and the payouts you send appear here.
            {bp.environment === 'sandbox' && ' To see some now, simulate a deposit in the Sandbox.'}
          </p>
          {bp.environment === 'sandbox' && (
            <Link to="/developers/sandbox" className="btn btn-primary">
              Open the Sandbox
            </Link>
          )}
        </>
      )}
    </div>
  );
}

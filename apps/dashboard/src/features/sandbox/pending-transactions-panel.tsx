import { ProblemAlert } from '../../ui/problem-alert';
import { ConfirmationsMeter } from '../transactions/confirmations-meter';
import { NO_FILTERS, type TransactionFilters } from '../transactions/transaction-filters';
import { assetSymbol, formatMoney, formatTxTime, shortenMiddle, TYPE_LABELS } from '../transactions/transaction-format';
import { type Transaction, useTransactions } from '../transactions/transactions-api';
import { PendingDepositActions } from './pending-deposit-actions';
import { PendingPayoutActions } from './pending-payout-actions';

/** The most the API returns at once; more pending than this at a time is unusual in a sandbox. */
const PENDING_FILTERS: TransactionFilters = { ...NO_FILTERS, status: 'Pending', limit: 100 };

interface PendingTransactionsPanelProps {
  readonly bpId: string;
  readonly canAct: boolean;
}

export function PendingTransactionsPanel({ bpId, canAct }: PendingTransactionsPanelProps) {
  // Payouts start in the SDK, not here, so the list keeps looking for new ones.
  const pending = useTransactions(bpId, PENDING_FILTERS, true);
  const items = pending.data?.items ?? [];
  return (
    <section className="panel panel-flush" aria-labelledby="pending-title">
      <div className="panel-header">
        <div className="panel-title">
          <h2 id="pending-title">Pending transactions</h2>
          {pending.data !== undefined && <span className="badge">{pending.data.total}</span>}
        </div>
        <div className="pending-header-end">
          <span className="muted">{canAct ? 'Drive them as the chain would.' : 'Read-only: developers, admins and owners can act on these.'}</span>
          {/* A steady label: the list also refreshes by itself every few seconds, and a flickering button would distract. */}
          <button type="button" className="btn btn-small" onClick={() => void pending.refetch()}>
            Refresh
          </button>
        </div>
      </div>
      <ProblemAlert error={pending.error} />
      {pending.isPending && <p className="muted panel-body">Loading pending transactions…</p>}
      {pending.data !== undefined && items.length === 0 && (
        <div className="panel-body tx-empty" data-testid="pending-empty">
          <p className="muted">
            Nothing pending. Simulate a deposit with “Leave pending”, or send a payout with the SDK’s <code>payout()</code>: it waits here until you confirm it
            or make it fail.
          </p>
        </div>
      )}
      {items.length > 0 && (
        <div className="table-scroll">
          <table className="table table-compact" data-testid="pending-table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Transaction</th>
                <th scope="col" className="cell-number">
                  Amount
                </th>
                <th scope="col">Identifier / Ref.</th>
                <th scope="col">Confirmations</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((tx) => (
                <PendingRow key={tx.id} bpId={bpId} tx={tx} canAct={canAct} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function PendingRow({ bpId, tx, canAct }: { readonly bpId: string; readonly tx: Transaction; readonly canAct: boolean }) {
  return (
    <tr data-testid="pending-row">
      <td className="cell-nowrap">{formatTxTime(tx.initiatedAt)}</td>
      <td className="cell-nowrap">
        {/* Every row here is Pending, so the type is all the first line needs. */}
        <div className="cell-primary">{TYPE_LABELS[tx.type]}</div>
        <div className="cell-secondary mono" title={tx.id}>
          {shortenMiddle(tx.id, 9, 4)}
        </div>
      </td>
      <td className="cell-number">
        <span className="tx-amount">{formatMoney(tx.amount, assetSymbol(tx))}</span>
        {/* A coin's symbol is its network already; a token's network is worth saying. */}
        {tx.tokenSymbol !== null && <div className="cell-secondary">{tx.network}</div>}
      </td>
      <td>{tx.identifier ?? tx.referenceId ?? <span className="muted">—</span>}</td>
      <td className="cell-nowrap">{tx.type === 'Deposit' ? <ConfirmationsMeter tx={tx} /> : <span className="muted">Awaiting the chain</span>}</td>
      <td className="cell-actions">
        {tx.type === 'Deposit' ? <PendingDepositActions bpId={bpId} tx={tx} canAct={canAct} /> : <PendingPayoutActions bpId={bpId} tx={tx} canAct={canAct} />}
      </td>
    </tr>
  );
}

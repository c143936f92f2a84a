import type { MouseEvent } from 'react';
import { CopyIconButton } from '../../ui/copy-icon-button';
import { LayerBadge, NotSettledBadge, TransactionStatusBadge } from './transaction-badges';
import { assetSymbol, formatMoney, formatTxTime, hashOf, shortenMiddle, TYPE_LABELS } from './transaction-format';
import type { Transaction } from './transactions-api';

interface TransactionsTableProps {
  readonly transactions: readonly Transaction[];
  readonly onOpen: (tx: Transaction) => void;
}

export function TransactionsTable({ transactions, onOpen }: TransactionsTableProps) {
  // The whole row is a large target for the mouse; the buttons inside it (copy, details) do their own thing.
  const openRow = (event: MouseEvent<HTMLTableRowElement>, tx: Transaction) => {
    if (event.target instanceof Element && event.target.closest('button') !== null) return;
    onOpen(tx);
  };
  return (
    <div className="table-scroll">
      <table className="table table-compact tx-table" data-testid="transactions-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Type and layer</th>
            <th scope="col">Status</th>
            <th scope="col" className="cell-number">
              Amount
            </th>
            <th scope="col">Network</th>
            <th scope="col">Identifier / Ref.</th>
            <th scope="col">To address</th>
            <th scope="col">Hash</th>
          </tr>
        </thead>
        <tbody>
          {transactions.map((tx) => (
            <TransactionRow key={tx.id} tx={tx} onClick={(event) => openRow(event, tx)} onOpen={() => onOpen(tx)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface TransactionRowProps {
  readonly tx: Transaction;
  readonly onClick: (event: MouseEvent<HTMLTableRowElement>) => void;
  readonly onOpen: () => void;
}

function TransactionRow({ tx, onClick, onOpen }: TransactionRowProps) {
  const hash = hashOf(tx);
  const label = TYPE_LABELS[tx.type];
  const money = formatMoney(tx.amount, assetSymbol(tx));
  return (
    <tr className="row-clickable" onClick={onClick} data-testid="transaction-row">
      <td className="cell-nowrap">
        {/* The keyboard path to the details the row opens on click. */}
        <button type="button" className="tx-open" onClick={onOpen} aria-label={`Details of ${label.toLowerCase()} ${money}, ${tx.status.toLowerCase()}`}>
          {formatTxTime(tx.initiatedAt)}
        </button>
      </td>
      {/* Type and layer share a cell: the table has nine facts per row and must fit beside the sidebar. */}
      <td className="cell-nowrap">
        <span className="tx-type-layer">
          <span className={`tx-type tx-type-${tx.type === 'Deposit' ? 'in' : 'out'}`}>{label}</span>
          <LayerBadge layer={tx.layer} />
        </span>
      </td>
      <td>
        <TransactionStatusBadge status={tx.status} />
      </td>
      <td className="cell-number">
        <span className="tx-amount">{money}</span>
        {!tx.settled && (
          <div>
            <NotSettledBadge />
          </div>
        )}
      </td>
      <td className="cell-nowrap">{tx.network}</td>
      <td>
        <IdentifierCell tx={tx} />
      </td>
      <td className="cell-nowrap">
        <code className="tx-code" title={tx.toAddress}>
          {shortenMiddle(tx.toAddress)}
        </code>
      </td>
      <td className="cell-nowrap">
        {hash === null ? (
          <span className="muted">—</span>
        ) : (
          <span className="tx-hash">
            <code className="tx-code" title={hash}>
              {shortenMiddle(hash)}
            </code>
            <CopyIconButton text={hash} label={tx.txHash === null ? 'Copy L2 transaction hash' : 'Copy transaction hash'} />
          </span>
        )}
      </td>
    </tr>
  );
}

/** Deposits are known by the payer's identifier, payouts by the BP's reference id. */
function IdentifierCell({ tx }: { readonly tx: Transaction }) {
  const primary = tx.identifier ?? tx.referenceId;
  if (primary === null) return <span className="muted">—</span>;
  return (
    <>
      <div className="tx-identifier">{primary}</div>
      {tx.identifier !== null && tx.referenceId !== null && <div className="cell-secondary">ref {tx.referenceId}</div>}
    </>
  );
}

import { Link } from 'wouter';
import { LayerBadge, TransactionStatusBadge } from '../transactions/transaction-badges';
import { assetSymbol, formatMoney } from '../transactions/transaction-format';
import type { Transaction } from '../transactions/transactions-api';
import { depositCallbacks } from './deposit-callbacks';

/** What the simulation did: the transaction the server recorded and the callbacks it queued. */
export function SimulatedDepositResult({ tx, onDismiss }: { readonly tx: Transaction; readonly onDismiss: () => void }) {
  const callbacks = depositCallbacks(tx);
  return (
    <div className="simulate-result" role="status" data-testid="simulate-result">
      <div className="simulate-result-head">
        <div>
          <p className="simulate-result-amount">{formatMoney(tx.amount, assetSymbol(tx))}</p>
          <p className="muted">
            Deposit to <strong>{tx.identifier ?? tx.toAddress}</strong> on {tx.network} · <code>{tx.id}</code>
          </p>
        </div>
        <div className="tx-detail-badges">
          <LayerBadge layer={tx.layer} />
          <TransactionStatusBadge status={tx.status} />
        </div>
      </div>
      <div className="simulate-result-callbacks">
        <span className="simulate-result-label">Callbacks</span>
        {callbacks.kinds.length === 0 ? (
          <span className="callback-chip callback-chip-none">none</span>
        ) : (
          callbacks.kinds.map((kind) => (
            <code key={kind} className="callback-chip">
              {kind}
            </code>
          ))
        )}
      </div>
      <p className="muted">{callbacks.note}</p>
      <div className="simulate-result-actions">
        <Link to="/developers/transactions" className="btn btn-small">
          View in Transactions
        </Link>
        <button type="button" className="btn-link" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}

import type { ReactNode } from 'react';
import { CopyIconButton } from '../../ui/copy-icon-button';
import { Dialog } from '../../ui/dialog';
import { ConfirmationsMeter } from './confirmations-meter';
import { LayerBadge, NotSettledBadge, TransactionStatusBadge } from './transaction-badges';
import { TransactionDeliveriesLink } from './transaction-deliveries-link';
import { assetSymbol, formatMoney, formatTxTimeFull, TYPE_LABELS, trimZeros } from './transaction-format';
import type { Transaction } from './transactions-api';

interface TransactionDetailDialogProps {
  readonly tx: Transaction;
  readonly onClose: () => void;
}

export function TransactionDetailDialog({ tx, onClose }: TransactionDetailDialogProps) {
  const symbol = assetSymbol(tx);
  return (
    <Dialog title={`${TYPE_LABELS[tx.type]} details`} onClose={onClose} wide>
      <div className="tx-detail" data-testid="transaction-detail">
        <div className="tx-detail-summary">
          <div>
            <p className="tx-detail-amount">{formatMoney(tx.amount, symbol)}</p>
            <p className="muted">
              {TYPE_LABELS[tx.type]} on {tx.network}
              {tx.usdValue !== null && <> · ≈ {trimZeros(tx.usdValue)} USD</>}
            </p>
          </div>
          <div className="tx-detail-badges">
            <LayerBadge layer={tx.layer} />
            <TransactionStatusBadge status={tx.status} />
          </div>
        </div>
        {tx.failureReason !== null && (
          <div className="alert alert-error">
            <p>
              <strong>Failed:</strong> {tx.failureReason}
            </p>
          </div>
        )}
        {!tx.settled && (
          <div className="alert alert-warning">
            <p>
              <NotSettledBadge /> Worth less than 1 USDT, so it was recorded but not credited to your balance, and no callbacks were sent.
            </p>
          </div>
        )}
        <dl className="tx-detail-list">
          <Row label="Transaction ID">
            <Copyable value={tx.id} what="transaction ID" />
          </Row>
          <Row label="Type">
            {TYPE_LABELS[tx.type]} <span className="muted">(API: {tx.type})</span>
          </Row>
          <Row label="Status">{tx.status}</Row>
          <Row label="Amount">{formatMoney(tx.amount, symbol)}</Row>
          {tx.type === 'Deposit' ? (
            <Row label="Deposit fee">
              {tx.internalFee.deposit === undefined ? <Muted>{depositFeeAbsent(tx)}</Muted> : formatMoney(tx.internalFee.deposit, symbol)}
            </Row>
          ) : (
            <Row label="Network fee paid">
              {tx.feesPaid === null ? <Muted>{tx.layer === 'L2' ? 'None (Layer 2)' : 'Known once confirmed'}</Muted> : formatMoney(tx.feesPaid, symbol)}
            </Row>
          )}
          <Row label="Confirmations">
            <ConfirmationsMeter tx={tx} />
          </Row>
          <Row label="Network">
            {tx.network} <span className="muted">· {tx.tokenSymbol === null ? 'native coin' : `${tx.tokenSymbol} token`}</span>
          </Row>
          <Row label="Identifier">{optional(tx.identifier)}</Row>
          <Row label="Reference ID">{optional(tx.referenceId)}</Row>
          {tx.depositRequestId !== null && (
            <Row label="Deposit request">
              <code>{tx.depositRequestId}</code>
            </Row>
          )}
          <Row label="From address">{tx.fromAddress === null ? <Muted>—</Muted> : <Copyable value={tx.fromAddress} what="from address" />}</Row>
          <Row label="To address">
            <Copyable value={tx.toAddress} what="to address" />
          </Row>
          <Row label={tx.layer === 'L2' ? 'L2 transaction hash' : 'Transaction hash'}>
            {tx.txHash !== null ? (
              <Copyable value={tx.txHash} what="transaction hash" />
            ) : tx.l2TxnHash !== null ? (
              <Copyable value={tx.l2TxnHash} what="L2 transaction hash" />
            ) : (
              <Muted>Not on chain yet</Muted>
            )}
          </Row>
          <Row label="Initiated">{formatTxTimeFull(tx.initiatedAt)}</Row>
          <Row label="Confirmed">{tx.confirmedAt === null ? <Muted>—</Muted> : formatTxTimeFull(tx.confirmedAt)}</Row>
          {tx.failureReason !== null && <Row label="Failure reason">{tx.failureReason}</Row>}
        </dl>
      </div>
      <div className="dialog-actions">
        <TransactionDeliveriesLink txId={tx.id} />
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

/** Why a deposit shows no fee: it is charged on confirmation, and never on what is not credited. */
function depositFeeAbsent(tx: Transaction): string {
  if (!tx.settled) return 'None (not settled)';
  if (tx.status === 'Pending') return 'Charged on confirmation';
  if (tx.status === 'Failed') return 'None (failed)';
  return 'None';
}

function Row({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Muted({ children }: { readonly children: ReactNode }) {
  return <span className="muted">{children}</span>;
}

function optional(value: string | null): ReactNode {
  return value === null ? <Muted>—</Muted> : value;
}

function Copyable({ value, what }: { readonly value: string; readonly what: string }) {
  return (
    <span className="tx-copyable">
      <code>{value}</code>
      <CopyIconButton text={value} label={`Copy ${what}`} />
    </span>
  );
}

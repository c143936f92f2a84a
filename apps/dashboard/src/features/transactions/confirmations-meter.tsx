import type { Transaction } from './transactions-api';

/** "7 / 19" with a bar: how far a deposit is from the confirmation that credits it. */
export function ConfirmationsMeter({ tx }: { readonly tx: Pick<Transaction, 'confirmations' | 'requiredConfirmations'> }) {
  const done = Math.min(tx.confirmations, tx.requiredConfirmations);
  const percent = tx.requiredConfirmations === 0 ? 100 : Math.round((done / tx.requiredConfirmations) * 100);
  return (
    <span className="tx-confirmations">
      <span>
        {tx.confirmations} / {tx.requiredConfirmations}
      </span>
      <span className="tx-progress" aria-hidden="true">
        <span style={{ width: `${percent}%` }} />
      </span>
    </span>
  );
}

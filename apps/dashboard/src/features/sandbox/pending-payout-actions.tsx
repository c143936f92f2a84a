import { type FormEvent, useState } from 'react';
import { fieldError } from '../../app/api-error';
import { Dialog } from '../../ui/dialog';
import { ProblemAlert } from '../../ui/problem-alert';
import { TextField } from '../../ui/text-field';
import { assetSymbol, formatMoney } from '../transactions/transaction-format';
import type { Transaction } from '../transactions/transactions-api';
import { sandboxApi, useSandboxAction } from './sandbox-api';

interface PendingPayoutActionsProps {
  readonly bpId: string;
  readonly tx: Transaction;
  readonly canAct: boolean;
}

/** The chain's two verdicts on a payout: confirmed (`payout`) or failed (`failedPayout`, funds released). */
export function PendingPayoutActions({ bpId, tx, canAct }: PendingPayoutActionsProps) {
  const confirm = useSandboxAction(bpId, () => sandboxApi.confirmPayout(bpId, tx.id));
  const [failing, setFailing] = useState(false);
  const hint = canAct ? undefined : 'Only developers, admins and owners can simulate chain events.';
  return (
    <div className="row-actions">
      <div className="row-actions-buttons">
        <button type="button" className="btn btn-small btn-primary" onClick={() => confirm.mutate()} disabled={!canAct || confirm.isPending} title={hint}>
          Confirm
        </button>
        <button type="button" className="btn btn-small btn-danger-quiet" onClick={() => setFailing(true)} disabled={!canAct || confirm.isPending} title={hint}>
          Make it fail
        </button>
      </div>
      <ProblemAlert error={confirm.error} />
      {failing && <FailPayoutDialog bpId={bpId} tx={tx} onClose={() => setFailing(false)} />}
    </div>
  );
}

function FailPayoutDialog({ bpId, tx, onClose }: { readonly bpId: string; readonly tx: Transaction; readonly onClose: () => void }) {
  const [reason, setReason] = useState('');
  const fail = useSandboxAction(bpId, (text: string) => sandboxApi.failPayout(bpId, tx.id, text));
  const name = tx.referenceId === null ? 'this payout' : `payout ${tx.referenceId}`;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    fail.mutate(reason.trim(), { onSuccess: onClose });
  }

  return (
    <Dialog
      title={`Make ${name} fail?`}
      description={`The chain reports the ${formatMoney(tx.amount, assetSymbol(tx))} payout as failed: the reserved amount and network fee return to available, and failedPayout is sent.`}
      onClose={onClose}
    >
      <form onSubmit={submit} className="stack">
        <TextField
          label="Reason (optional)"
          value={reason}
          onChange={setReason}
          placeholder="Simulated failure (sandbox)"
          hint="Shown as failureReason in the transaction and the callback."
          error={fieldError(fail.error, 'reason')}
          maxLength={200}
          autoFocus
        />
        <ProblemAlert error={fail.error} fields={['reason']} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-danger" disabled={fail.isPending}>
            {fail.isPending ? 'Working…' : 'Make it fail'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

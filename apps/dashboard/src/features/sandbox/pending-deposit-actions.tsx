import { ProblemAlert } from '../../ui/problem-alert';
import type { Transaction } from '../transactions/transactions-api';
import { sandboxApi, useSandboxAction } from './sandbox-api';

interface PendingDepositActionsProps {
  readonly bpId: string;
  readonly tx: Transaction;
  readonly canAct: boolean;
}

/** One more block, or all that are missing: the last one confirms it and sends `deposit`. */
export function PendingDepositActions({ bpId, tx, canAct }: PendingDepositActionsProps) {
  const confirm = useSandboxAction(bpId, (count: number) => sandboxApi.addConfirmations(bpId, tx.id, count));
  const missing = Math.max(1, tx.requiredConfirmations - tx.confirmations);
  const disabled = !canAct || confirm.isPending;
  const hint = canAct ? undefined : 'Only developers, admins and owners can simulate chain events.';
  return (
    <div className="row-actions">
      <div className="row-actions-buttons">
        <button type="button" className="btn btn-small" onClick={() => confirm.mutate(1)} disabled={disabled} title={hint}>
          Add confirmation
        </button>
        <button
          type="button"
          className="btn btn-small btn-primary"
          onClick={() => confirm.mutate(missing)}
          disabled={disabled}
          title={hint ?? `Adds ${missing}`}
        >
          Confirm fully
        </button>
      </div>
      <ProblemAlert error={confirm.error} />
    </div>
  );
}

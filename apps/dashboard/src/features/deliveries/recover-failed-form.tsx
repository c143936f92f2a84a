import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../../app/api-error';
import { fromLocalInputValue, toLocalInputValue } from '../../ui/datetime-local';
import { ProblemAlert } from '../../ui/problem-alert';
import { TextField } from '../../ui/text-field';
import { deliveriesApi, deliveriesKey } from './deliveries-api';

const DAY_MS = 86_400_000;

/**
 * After an outage of the BP's endpoint: send again every delivery that gave up since a time.
 * They go out with their original webhook-id, so a backend that de-duplicates is safe.
 */
export function RecoverFailedForm({ bpId }: { readonly bpId: string }) {
  const client = useQueryClient();
  // A day back covers the usual "our endpoint was down yesterday".
  const [since, setSince] = useState(() => toLocalInputValue(new Date(Date.now() - DAY_MS).toISOString()));
  const [error, setError] = useState<string | undefined>(undefined);
  const recover = useMutation({
    mutationFn: (instant: string) => deliveriesApi.recover(bpId, instant),
    onSuccess: () => client.invalidateQueries({ queryKey: deliveriesKey(bpId) }),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const instant = fromLocalInputValue(since);
    if (instant === null) {
      setError('Choose a date and time.');
      return;
    }
    setError(undefined);
    recover.mutate(instant);
  }

  const requeued = recover.data?.requeued;
  return (
    <div className="recover-failed">
      <form onSubmit={submit} className="recover-failed-form" aria-label="Recover failed deliveries">
        <TextField
          label="Recover failed deliveries since"
          type="datetime-local"
          value={since}
          onChange={(value) => {
            setSince(value);
            setError(undefined);
            recover.reset();
          }}
          error={error ?? fieldError(recover.error, 'since')}
          required
        />
        <button type="submit" className="btn" disabled={recover.isPending}>
          {recover.isPending ? 'Recovering…' : 'Recover'}
        </button>
      </form>
      {requeued !== undefined && (
        <p className="recover-failed-result" role="status">
          {requeued === 0 ? 'No failed deliveries since then.' : `${requeued} failed ${requeued === 1 ? 'delivery' : 'deliveries'} queued again.`}
        </p>
      )}
      <ProblemAlert error={recover.error} fields={['since']} />
    </div>
  );
}

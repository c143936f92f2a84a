import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../../app/api-error';
import { ProblemAlert } from '../../ui/problem-alert';
import { TextField } from '../../ui/text-field';
import { SESSION_KEY } from '../auth/session-query';
import { bpApi, bpKey } from './bp-api';

export function RenameBpForm({ bpId, currentName, onDone }: { readonly bpId: string; readonly currentName: string; readonly onDone: () => void }) {
  const client = useQueryClient();
  const [name, setName] = useState(currentName);
  const rename = useMutation({
    mutationFn: () => bpApi.rename(bpId, name.trim()),
    onSuccess: async (bp) => {
      client.setQueryData(bpKey(bpId), bp);
      // The BP switcher reads names from the session's memberships.
      await client.invalidateQueries({ queryKey: SESSION_KEY });
      onDone();
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    rename.mutate();
  }

  return (
    <form onSubmit={submit} className="inline-form">
      <TextField label="Business name" value={name} onChange={setName} error={fieldError(rename.error, 'name')} required maxLength={120} autoFocus />
      <div className="inline-form-actions">
        <button type="submit" className="btn btn-primary" disabled={rename.isPending}>
          Save name
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
      <ProblemAlert error={rename.error} fields={['name']} />
    </form>
  );
}

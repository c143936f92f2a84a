import { type FormEvent, useState } from 'react';
import { TextField } from '../../ui/text-field';
import { type DraftEntry, sameRange } from './draft-entry';

interface AddRangeFormProps {
  readonly draft: readonly DraftEntry[];
  readonly yourIp: string;
  readonly onAdd: (entry: { cidr: string; label: string }) => void;
  /** While a save is in flight; its result replaces the list, so additions now would be lost. */
  readonly busy: boolean;
}

/**
 * Adds to the list being edited; nothing is sent until "Save changes". The server checks the
 * syntax when saving and names the network that was probably meant, so it is not repeated here.
 */
export function AddRangeForm({ draft, yourIp, onAdd, busy }: AddRangeFormProps) {
  const [cidr, setCidr] = useState('');
  const [label, setLabel] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const hasYourIp = draft.some((entry) => sameRange(entry.cidr, yourIp));

  function add(range: string) {
    if (draft.some((entry) => sameRange(entry.cidr, range))) {
      setError(`${range} is already in the list.`);
      return;
    }
    onAdd({ cidr: range, label: label.trim() });
    setCidr('');
    setLabel('');
    setError(undefined);
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    add(cidr.trim());
  }

  return (
    <div className="add-range">
      <form onSubmit={submit} className="add-range-form">
        <TextField
          label="IP address or CIDR range"
          placeholder="203.0.113.0/24"
          autoComplete="off"
          spellCheck={false}
          maxLength={64}
          value={cidr}
          onChange={(value) => {
            setCidr(value);
            setError(undefined);
          }}
          error={error}
          required
        />
        <TextField label="Label (optional)" placeholder="e.g. Production API servers" maxLength={80} value={label} onChange={setLabel} />
        <button type="submit" className="btn" disabled={busy}>
          Add
        </button>
      </form>
      {!hasYourIp && (
        <button type="button" className="btn-link" onClick={() => add(yourIp)} disabled={busy}>
          Add my current IP ({yourIp})
        </button>
      )}
    </div>
  );
}

import { type FormEvent, useState } from 'react';
import { TextField } from '../../ui/text-field';

/** The server's bounds for a request id. */
const MIN_LENGTH = 8;
const MAX_LENGTH = 128;

/** Where BP engineers paste the x-request-id from their own logs. */
export function FindRequestForm({ onFind }: { readonly onFind: (requestId: string) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const id = value.trim();
    if (id.length < MIN_LENGTH || id.length > MAX_LENGTH) {
      setError('Paste the x-request-id header of a response, e.g. req_01j…');
      return;
    }
    setError(undefined);
    onFind(id);
  }

  return (
    <form onSubmit={submit} className="find-request" aria-label="Find a request">
      <TextField
        label="Find by request id"
        placeholder="req_…"
        value={value}
        onChange={(next) => {
          setValue(next);
          setError(undefined);
        }}
        error={error}
        className="find-request-field"
        autoComplete="off"
        spellCheck={false}
        maxLength={MAX_LENGTH}
      />
      <button type="submit" className="btn">
        Find
      </button>
    </form>
  );
}

import type { ApiError } from '../../app/api-error';

interface EntryProblemProps {
  readonly error: ApiError;
  /** Replace the refused entry with the server's suggestion. */
  readonly onUseSuggestion: (entry: string, suggestion: string) => void;
}

/** An `ip_entry_invalid` answer: what is wrong with which entry, and a one-click fix when the server has one. */
export function EntryProblem({ error, onUseSuggestion }: EntryProblemProps) {
  const entry = error.extraText('entry');
  const suggestion = error.extraText('suggestion');
  return (
    <div className="alert alert-error" role="alert">
      <p>{error.detail}</p>
      {entry !== undefined && suggestion !== undefined && (
        <p>
          <button type="button" className="btn btn-small" onClick={() => onUseSuggestion(entry, suggestion)}>
            Use {suggestion}
          </button>
        </p>
      )}
      {error.requestId !== null && <p className="request-id">Request id: {error.requestId}</p>}
    </div>
  );
}

import { formatDateTime } from '../../ui/format';
import { type DraftEntry, sameRange } from './draft-entry';

interface AllowedRangesTableProps {
  readonly draft: readonly DraftEntry[];
  /** The entry the server refused on the last save, to point at its row. */
  readonly invalidEntry: string | undefined;
  /** Absent for roles that may only look. */
  readonly onRemove?: (cidr: string) => void;
  /** While a save is in flight; its result replaces the list, so edits now would be lost. */
  readonly busy?: boolean;
}

export function AllowedRangesTable({ draft, invalidEntry, onRemove, busy = false }: AllowedRangesTableProps) {
  if (draft.length === 0) return <p className="muted panel-body">No ranges: signed requests are accepted from any address.</p>;
  return (
    <div className="table-scroll">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Range</th>
            <th scope="col">Label</th>
            <th scope="col">Saved</th>
            {onRemove !== undefined && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {draft.map((entry) => {
            const invalid = invalidEntry !== undefined && sameRange(entry.cidr, invalidEntry);
            return (
              <tr key={entry.cidr} className={invalid ? 'row-invalid' : undefined}>
                <td>
                  <code className="mono">{entry.cidr}</code>
                </td>
                <td>{entry.label === '' ? <span className="muted">—</span> : entry.label}</td>
                <td className="cell-nowrap">
                  {entry.saved === null ? (
                    <span className="badge badge-info">Not saved yet</span>
                  ) : (
                    <>
                      <div>{formatDateTime(entry.saved.createdAt)}</div>
                      <div className="cell-secondary">by {entry.saved.createdBy}</div>
                    </>
                  )}
                </td>
                {onRemove !== undefined && (
                  <td className="cell-actions">
                    <button
                      type="button"
                      className="btn btn-small btn-danger-quiet"
                      aria-label={`Remove ${entry.cidr}`}
                      onClick={() => onRemove(entry.cidr)}
                      disabled={busy}
                    >
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

import { formatMs } from '../usage/usage-format';
import type { RequestLogEntry } from './request-log-api';
import { formatRequestTime, shortKeyId } from './request-time';
import { StatusBadge } from './status-badge';

interface RequestLogTableProps {
  readonly entries: readonly RequestLogEntry[];
  readonly onOpen: (entry: RequestLogEntry) => void;
}

export function RequestLogTable({ entries, onOpen }: RequestLogTableProps) {
  return (
    <div className="table-scroll">
      <table className="table table-compact request-table" data-testid="request-log-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Method</th>
            <th scope="col">Route</th>
            <th scope="col">Status</th>
            <th scope="col" className="cell-number">
              Duration
            </th>
            <th scope="col">Error code</th>
            <th scope="col">Key ID</th>
            <th scope="col">Request ID</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            // The request id button is the keyboard path to the same detail; the row is a larger target for the mouse.
            <tr key={entry.requestId} className="row-clickable" onClick={() => onOpen(entry)}>
              <td className="cell-nowrap">{formatRequestTime(entry.occurredAt)}</td>
              <td>
                <span className="method-badge">{entry.method}</span>
              </td>
              <td>
                <code className="route">{entry.route}</code>
              </td>
              <td>
                <StatusBadge status={entry.status} />
              </td>
              <td className="cell-number cell-nowrap">{formatMs(entry.durationMs)}</td>
              <td>{entry.errorCode === null ? <span className="muted">—</span> : <code className="error-code">{entry.errorCode}</code>}</td>
              <td className="cell-nowrap">
                {entry.keyId === null ? (
                  <span className="muted">—</span>
                ) : (
                  <code className="mono" title={entry.keyId}>
                    {shortKeyId(entry.keyId)}
                  </code>
                )}
              </td>
              <td className="request-id-cell">
                <button
                  type="button"
                  className="link-button mono"
                  onClick={(event) => {
                    // The row would open it a second time.
                    event.stopPropagation();
                    onOpen(entry);
                  }}
                >
                  {entry.requestId}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

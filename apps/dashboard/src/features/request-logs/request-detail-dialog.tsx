import { CopyButton } from '../../ui/copy-button';
import { Dialog } from '../../ui/dialog';
import { ProblemAlert } from '../../ui/problem-alert';
import { formatMs } from '../usage/usage-format';
import { type RequestLogEntry, useRequestLogEntry } from './request-log-api';
import { formatRequestTimePrecise } from './request-time';
import { StatusBadge } from './status-badge';

interface RequestDetailDialogProps {
  readonly bpId: string;
  readonly requestId: string;
  /** The row clicked, if any; a pasted id is looked up. */
  readonly initial: RequestLogEntry | undefined;
  readonly onFilterByKey: (keyId: string) => void;
  readonly onClose: () => void;
}

export function RequestDetailDialog({ bpId, requestId, initial, onFilterByKey, onClose }: RequestDetailDialogProps) {
  const entry = useRequestLogEntry(bpId, requestId, initial);
  return (
    <Dialog title="Request details" onClose={onClose} wide>
      {entry.isPending && <p className="muted">Looking up {requestId}…</p>}
      <ProblemAlert error={entry.error} />
      {entry.data !== undefined && <RequestDetails entry={entry.data} onFilterByKey={onFilterByKey} />}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

function RequestDetails({ entry, onFilterByKey }: { readonly entry: RequestLogEntry; readonly onFilterByKey: (keyId: string) => void }) {
  const keyId = entry.keyId;
  return (
    <div className="request-detail" data-testid="request-detail">
      <div className="request-detail-summary">
        <span className="method-badge">{entry.method}</span>
        <code className="route">{entry.route}</code>
        <StatusBadge status={entry.status} withText />
      </div>
      <dl className="detail-list">
        <div>
          <dt>Request ID</dt>
          <dd>
            <code data-testid="request-detail-id">{entry.requestId}</code>
            <CopyButton text={entry.requestId} />
          </dd>
        </div>
        <div>
          <dt>Time</dt>
          <dd>
            <span>
              {formatRequestTimePrecise(entry.occurredAt)}
              <span className="dd-secondary mono">{entry.occurredAt}</span>
            </span>
          </dd>
        </div>
        <div>
          <dt>Error code</dt>
          <dd>{entry.errorCode === null ? <span className="muted">None</span> : <code className="error-code">{entry.errorCode}</code>}</dd>
        </div>
        {entry.errorMessage !== null && (
          <div className="detail-wide">
            <dt>Error message</dt>
            <dd data-testid="request-detail-message">{entry.errorMessage}</dd>
          </div>
        )}
        <div>
          <dt>Duration</dt>
          <dd>{formatMs(entry.durationMs)}</dd>
        </div>
        <div>
          <dt>Key ID</dt>
          <dd>
            {keyId === null ? (
              <span className="muted">None</span>
            ) : (
              <>
                <code>{keyId}</code>
                <button type="button" className="btn btn-small" onClick={() => onFilterByKey(keyId)}>
                  Requests with this key
                </button>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Client IP</dt>
          <dd>{entry.clientIp === null ? <span className="muted">Unknown</span> : <code>{entry.clientIp}</code>}</dd>
        </div>
      </dl>
    </div>
  );
}

import type { MouseEvent } from 'react';
import { CopyIconButton } from '../../ui/copy-icon-button';
import { formatRelative } from '../../ui/format';
import { formatRequestTime } from '../request-logs/request-time';
import { shortenMiddle } from '../transactions/transaction-format';
import type { Delivery } from './deliveries-api';
import { DeliveryResult } from './delivery-result';
import { DeliveryStatusBadge } from './delivery-status-badge';

/** "in 5 minutes"; a retry whose time has come waits only for a worker to pick it up. */
function nextAttemptLabel(iso: string): string {
  return Date.parse(iso) <= Date.now() ? 'Due now' : formatRelative(iso);
}

interface DeliveriesTableProps {
  readonly deliveries: readonly Delivery[];
  readonly onOpen: (delivery: Delivery) => void;
}

export function DeliveriesTable({ deliveries, onOpen }: DeliveriesTableProps) {
  // The whole row is a large target for the mouse; the buttons inside it (copy, details) do their own thing.
  const openRow = (event: MouseEvent<HTMLTableRowElement>, delivery: Delivery) => {
    if (event.target instanceof Element && event.target.closest('button') !== null) return;
    onOpen(delivery);
  };
  return (
    <div className="table-scroll">
      <table className="table table-compact delivery-table" data-testid="deliveries-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col" className="cell-number">
              Attempts
            </th>
            <th scope="col">Last result</th>
            <th scope="col">Next attempt</th>
            <th scope="col">Webhook ID</th>
            <th scope="col">URL</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => (
            <DeliveryRow key={delivery.id} delivery={delivery} onClick={(event) => openRow(event, delivery)} onOpen={() => onOpen(delivery)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface DeliveryRowProps {
  readonly delivery: Delivery;
  readonly onClick: (event: MouseEvent<HTMLTableRowElement>) => void;
  readonly onOpen: () => void;
}

function DeliveryRow({ delivery, onClick, onOpen }: DeliveryRowProps) {
  return (
    <tr className="row-clickable" onClick={onClick} data-testid="delivery-row" data-status={delivery.status}>
      <td className="cell-nowrap">
        {/* The keyboard path to the details the row opens on click. */}
        <button type="button" className="tx-open" onClick={onOpen} aria-label={`Details of the ${delivery.kind} callback ${delivery.messageId}`}>
          {formatRequestTime(delivery.createdAt)}
        </button>
      </td>
      <td>
        <code className="callback-chip">{delivery.kind}</code>
      </td>
      <td>
        <DeliveryStatusBadge status={delivery.status} />
      </td>
      <td className="cell-number">{delivery.attempts}</td>
      <td className="cell-nowrap">
        <DeliveryResult statusCode={delivery.lastStatusCode} error={delivery.lastError} />
      </td>
      <td className="cell-nowrap">
        {delivery.nextAttemptAt === null ? (
          <span className="muted">—</span>
        ) : (
          <span title={formatRequestTime(delivery.nextAttemptAt)}>{nextAttemptLabel(delivery.nextAttemptAt)}</span>
        )}
      </td>
      <td className="cell-nowrap">
        <span className="tx-hash">
          <code className="tx-code" title={delivery.messageId}>
            {shortenMiddle(delivery.messageId, 10, 5)}
          </code>
          <CopyIconButton text={delivery.messageId} label="Copy webhook-id" />
        </span>
      </td>
      <td className="delivery-url-cell" title={delivery.url}>
        <UrlCell url={delivery.url} />
      </td>
    </tr>
  );
}

/** The path tells a BP's endpoints apart, so it leads; the host, usually the same for all, comes second. */
function UrlCell({ url }: { readonly url: string }) {
  const parts = splitUrl(url);
  if (parts === null) return <code className="delivery-url">{url}</code>;
  return (
    <>
      <code className="delivery-url">{parts.path}</code>
      <div className="cell-secondary delivery-url">{parts.origin}</div>
    </>
  );
}

function splitUrl(url: string): { readonly origin: string; readonly path: string } | null {
  try {
    const parsed = new URL(url);
    return { origin: parsed.host, path: `${parsed.pathname}${parsed.search}` };
  } catch (_error: unknown) {
    // Stored URLs were validated when saved; show anything else as it is.
    return null;
  }
}

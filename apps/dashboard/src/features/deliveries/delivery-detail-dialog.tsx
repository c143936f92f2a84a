import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Fragment, type ReactNode } from 'react';
import { Link } from 'wouter';
import { CopyButton } from '../../ui/copy-button';
import { CopyIconButton } from '../../ui/copy-icon-button';
import { Dialog } from '../../ui/dialog';
import { ProblemAlert } from '../../ui/problem-alert';
import { formatRequestTime, formatRequestTimePrecise } from '../request-logs/request-time';
import { AttemptItem } from './attempt-item';
import { type DeliveryAttempt, type DeliveryDetail, deliveriesApi, deliveriesKey, isActive, useDelivery } from './deliveries-api';
import { DeliveryResult } from './delivery-result';
import { DeliveryStatusBadge } from './delivery-status-badge';
import { prettyJson } from './pretty-json';

interface DeliveryDetailDialogProps {
  readonly bpId: string;
  readonly deliveryId: string;
  readonly onClose: () => void;
}

export function DeliveryDetailDialog({ bpId, deliveryId, onClose }: DeliveryDetailDialogProps) {
  const detail = useDelivery(bpId, deliveryId);
  return (
    <Dialog title="Callback delivery" onClose={onClose} wide>
      {detail.isPending && <p className="muted">Loading {deliveryId}…</p>}
      <ProblemAlert error={detail.error} />
      {detail.data !== undefined && <DeliveryDetails bpId={bpId} detail={detail.data} />}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

function DeliveryDetails({ bpId, detail }: { readonly bpId: string; readonly detail: DeliveryDetail }) {
  const { delivery } = detail;
  const client = useQueryClient();
  const resend = useMutation({
    mutationFn: () => deliveriesApi.resend(bpId, delivery.id),
    // The list and this detail both change (pending again, then a new attempt); refetch both.
    onSettled: () => client.invalidateQueries({ queryKey: deliveriesKey(bpId) }),
  });
  // The server lists attempts by number, which starts again at 1 after a resend; time is the true order.
  const attempts = [...detail.attempts].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));

  return (
    <div className="delivery-detail" data-testid="delivery-detail">
      <div className="delivery-detail-summary">
        <div className="delivery-detail-badges">
          <code className="callback-chip">{delivery.kind}</code>
          <DeliveryStatusBadge status={delivery.status} />
          <DeliveryResult statusCode={delivery.lastStatusCode} error={delivery.lastError} withText />
        </div>
        {!isActive(delivery.status) && (
          <button type="button" className="btn btn-small btn-primary" onClick={() => resend.mutate()} disabled={resend.isPending}>
            {resend.isPending ? 'Resending…' : 'Resend'}
          </button>
        )}
      </div>
      <p className="muted">{statusSentence(detail)}</p>
      <ProblemAlert error={resend.error} />
      <dl className="detail-list">
        <Row label="Webhook ID">
          <span className="tx-copyable">
            <code>{delivery.messageId}</code>
            <CopyIconButton text={delivery.messageId} label="Copy webhook-id" />
          </span>
        </Row>
        <Row label="Transaction">
          {delivery.transactionId === null ? (
            <span className="muted">—</span>
          ) : (
            <Link to={`/developers/transactions?open=${delivery.transactionId}`} className="mono">
              {delivery.transactionId}
            </Link>
          )}
        </Row>
        <Row label="Created">{formatRequestTimePrecise(delivery.createdAt)}</Row>
        <Row label="Finished">{delivery.completedAt === null ? <span className="muted">—</span> : formatRequestTimePrecise(delivery.completedAt)}</Row>
      </dl>

      <section className="delivery-section" aria-labelledby="delivery-request-title">
        <h3 id="delivery-request-title" className="subheading">
          Request
        </h3>
        <div className="request-line">
          <span className="method-badge">POST</span>
          <code className="request-line-url">{delivery.url}</code>
          <CopyIconButton text={delivery.url} label="Copy URL" />
        </div>
        <div className="code-block delivery-body">
          <pre>
            <code data-testid="delivery-body">{prettyJson(detail.body)}</code>
          </pre>
          <CopyButton text={detail.body} label="Copy body" />
        </div>
        <p className="field-hint">
          Sent as compact JSON with keys sorted: the exact bytes both signatures cover. Copy gives those bytes; the headers of each attempt are below.
        </p>
      </section>

      <section className="delivery-section" aria-labelledby="delivery-attempts-title">
        <h3 id="delivery-attempts-title" className="subheading">
          Attempts ({attempts.length})
        </h3>
        {attempts.length === 0 ? (
          <p className="muted">Not attempted yet.</p>
        ) : (
          <ol className="attempt-list">
            {attempts.map((attempt, index) => (
              <Fragment key={`${attempt.startedAt}-${attempt.attempt}`}>
                {isResend(attempts, index) && (
                  <li className="attempt-divider" aria-hidden="true">
                    Resent
                  </li>
                )}
                <AttemptItem attempt={attempt} latest={index === attempts.length - 1} />
              </Fragment>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

/** A series starts again at attempt 1 when the delivery was resent or recovered. */
function isResend(attempts: readonly DeliveryAttempt[], index: number): boolean {
  const previous = attempts[index - 1];
  const current = attempts[index];
  return previous !== undefined && current !== undefined && current.attempt <= previous.attempt;
}

function statusSentence({ delivery }: DeliveryDetail): string {
  const tries = `${delivery.attempts} ${delivery.attempts === 1 ? 'attempt' : 'attempts'}`;
  switch (delivery.status) {
    case 'succeeded':
      return `Delivered after ${tries}.`;
    case 'failed':
      return `Gave up after ${tries}. Fix the endpoint, then resend it: it goes out with the same webhook-id, so your backend can de-duplicate.`;
    case 'delivering':
      return 'An attempt is in progress.';
    case 'pending':
      return delivery.nextAttemptAt === null
        ? 'Waiting to be sent.'
        : `${delivery.attempts === 0 ? 'First attempt' : `Retry after ${tries}`} due ${formatRequestTime(delivery.nextAttemptAt)}.`;
  }
}

function Row({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

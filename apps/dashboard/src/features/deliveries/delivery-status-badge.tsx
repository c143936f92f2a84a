import type { DeliveryStatus } from './deliveries-api';

const LABELS: Record<DeliveryStatus, string> = { pending: 'Pending', delivering: 'Sending', succeeded: 'Succeeded', failed: 'Failed' };

const TITLES: Record<DeliveryStatus, string> = {
  pending: 'Waiting for its first attempt or its next retry',
  delivering: 'An attempt is in progress',
  succeeded: 'Your endpoint answered 2xx',
  failed: 'Every attempt of the retry schedule failed; resend it once the endpoint is fixed',
};

/** Pending amber, sending blue, succeeded green, failed red; the dot keeps them apart for colour-blind readers too. */
export function DeliveryStatusBadge({ status }: { readonly status: DeliveryStatus }) {
  return (
    <span className={`delivery-status delivery-status-${status}`} title={TITLES[status]}>
      {LABELS[status]}
    </span>
  );
}

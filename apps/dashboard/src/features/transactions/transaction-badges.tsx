import type { TransactionLayer, TransactionStatus } from './transactions-api';

const STATUS_CLASS: Record<TransactionStatus, string> = {
  Pending: 'tx-status tx-status-pending',
  Confirmed: 'tx-status tx-status-confirmed',
  Failed: 'tx-status tx-status-failed',
};

/** Pending amber, Confirmed green, Failed red; the dot keeps them apart for colour-blind readers too. */
export function TransactionStatusBadge({ status }: { readonly status: TransactionStatus }) {
  return <span className={STATUS_CLASS[status]}>{status}</span>;
}

const LAYER_TITLES: Record<TransactionLayer, string> = {
  L1: 'Layer 1: on the blockchain',
  L2: 'Layer 2: settled inside Paygate, no network fee',
};

export function LayerBadge({ layer }: { readonly layer: TransactionLayer }) {
  return (
    <span className={`tx-layer tx-layer-${layer.toLowerCase()}`} title={LAYER_TITLES[layer]}>
      {layer}
    </span>
  );
}

/** A Layer 1 deposit worth less than 1 USDT: recorded, but not credited and without callbacks. */
export function NotSettledBadge() {
  return (
    <span className="badge tx-unsettled" title="Worth less than 1 USDT: recorded, but not credited to your balance and no callbacks were sent.">
      not settled (&lt; 1 USDT)
    </span>
  );
}

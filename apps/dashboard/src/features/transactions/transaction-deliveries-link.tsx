import { Link } from 'wouter';

/** From a transaction to the callbacks Paygate sent about it. */
export function TransactionDeliveriesLink({ txId }: { readonly txId: string }) {
  return (
    <Link to={`/developers/deliveries?transaction=${txId}`} className="btn">
      Callback deliveries
    </Link>
  );
}

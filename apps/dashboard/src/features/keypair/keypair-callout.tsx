import { Link } from 'wouter';
import { useActiveBp } from '../auth/current-session';
import { roleAtLeast } from '../auth/roles';
import { useKeyPairs } from './keypair-api';

/** On the overview: a BP without an active KeyPair cannot call the API yet, so point at the fix. */
export function KeyPairCallout() {
  const bp = useActiveBp();
  // Viewers cannot read keypairs, so they would only get a 403 for asking.
  if (!roleAtLeast(bp.role, 'developer')) return null;
  return <MissingKeyPairCallout bpId={bp.bpId} canManage={roleAtLeast(bp.role, 'admin')} />;
}

function MissingKeyPairCallout({ bpId, canManage }: { readonly bpId: string; readonly canManage: boolean }) {
  const keypairs = useKeyPairs(bpId);
  // Errors and loading stay quiet here; the KeyPair page itself explains them.
  if (keypairs.data === undefined || keypairs.data.active !== null) return null;
  return (
    <section className="callout callout-info callout-row" aria-labelledby="keypair-callout-title">
      <div>
        <h2 id="keypair-callout-title">Set up your Secondary KeyPair</h2>
        <p className="muted">
          Your backend signs every Paygate API request with it, so it cannot call the API until the KeyPair exists.
          {canManage ? '' : ' Ask an admin or owner to generate it.'}
        </p>
      </div>
      <Link to="/developers/keypair" className={canManage ? 'btn btn-primary' : 'btn'}>
        {canManage ? 'Generate KeyPair' : 'View KeyPair'}
      </Link>
    </section>
  );
}

import { Link } from 'wouter';
import { CopyButton } from '../../ui/copy-button';
import { ProblemAlert } from '../../ui/problem-alert';
import { useIpAllowlist } from '../ip-allowlist/ip-allowlist-api';

/** Where callbacks come from, for the firewall in front of the BP's endpoints. */
export function CallbackSourcesPanel({ bpId }: { readonly bpId: string }) {
  // The allowlist document carries the addresses; the IP allowlist page reads the same query.
  const allowlist = useIpAllowlist(bpId);
  const addresses = allowlist.data?.callbackSourceIps ?? [];
  return (
    <section className="panel" aria-labelledby="callback-sources-title">
      <div className="panel-header">
        <h2 id="callback-sources-title">Where callbacks come from</h2>
        {addresses.length > 0 && <CopyButton text={addresses.join('\n')} label="Copy all" />}
      </div>
      <p className="muted">
        If your callback endpoint sits behind a firewall, allow these Paygate addresses there. They are also shown on the{' '}
        <Link to="/developers/ip-allowlist">IP allowlist</Link> page, and public at <code>GET /v1/meta/callback-ips</code> for your automation.
      </p>
      <ProblemAlert error={allowlist.error} />
      {allowlist.isPending && <p className="muted">Loading addresses…</p>}
      {allowlist.data !== undefined &&
        (addresses.length === 0 ? (
          <p className="muted">Not configured on this Paygate server: ask its operator which addresses callbacks are sent from.</p>
        ) : (
          <ul className="address-list" data-testid="callback-source-ips">
            {addresses.map((address) => (
              <li key={address}>
                <code>{address}</code>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}

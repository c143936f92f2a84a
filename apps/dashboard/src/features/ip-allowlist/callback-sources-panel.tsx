import { CopyButton } from '../../ui/copy-button';

/** The other direction: where Paygate's callbacks come from, for the BP's own firewall. */
export function CallbackSourcesPanel({ addresses }: { readonly addresses: readonly string[] }) {
  return (
    <section className="panel" aria-labelledby="callback-sources-title">
      <div className="panel-header">
        <h2 id="callback-sources-title">Paygate callback source addresses</h2>
        {addresses.length > 0 && <CopyButton text={addresses.join('\n')} label="Copy all" />}
      </div>
      <p className="muted">
        Paygate sends signed callbacks to your endpoints from these addresses. If your callback endpoint sits behind a firewall, allow them there. They are also
        public at <code>GET /v1/meta/callback-ips</code>, so your automation can keep the firewall up to date.
      </p>
      {addresses.length === 0 ? (
        <p className="muted">Not configured on this Paygate server: ask its operator which addresses callbacks are sent from.</p>
      ) : (
        <ul className="address-list">
          {addresses.map((address) => (
            <li key={address}>
              <code>{address}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

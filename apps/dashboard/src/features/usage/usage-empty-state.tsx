import { Link } from 'wouter';
import { CopyButton } from '../../ui/copy-button';
import { NavIconGlyph } from '../../ui/nav-icon';
import { useActiveBp } from '../auth/current-session';
import { roleAtLeast } from '../auth/roles';
import { keyFileName, useKeyPairs } from '../keypair/keypair-api';

function snippet(keyId: string): string {
  return ["import { Paygate } from '@paygate/sdk';", '', `const paygate = Paygate.fromKeyFile('./${keyFileName(keyId)}');`, 'await paygate.me();'].join('\n');
}

/** No traffic yet: say how traffic gets here, with the exact call to try. */
export function UsageEmptyState({ period }: { readonly period: string }) {
  const bp = useActiveBp();
  // Viewers cannot read keypairs; they get the placeholder rather than a 403.
  const canReadKeys = roleAtLeast(bp.role, 'developer');
  return (
    <section className="panel usage-empty" aria-labelledby="usage-empty-title" data-testid="usage-empty-state">
      <div className="onboarding-icon">
        <NavIconGlyph icon="overview" />
      </div>
      <h2 id="usage-empty-title">No API requests in {period}</h2>
      <p className="muted usage-empty-text">
        Every signed request your backend sends to the <code>/v1</code> API appears here within seconds — with its status, latency and endpoint, and in the
        request logs. Make a first call with the SDK and the key file from the KeyPair page:
      </p>
      {canReadKeys ? <ActiveKeySnippet bpId={bp.bpId} /> : <Snippet keyId="<keyId>" />}
      <div className="onboarding-actions">
        <Link to="/developers/keypair" className="btn btn-primary">
          Go to KeyPair
        </Link>
        <Link to="/developers/request-logs" className="btn">
          Open request logs
        </Link>
      </div>
    </section>
  );
}

function ActiveKeySnippet({ bpId }: { readonly bpId: string }) {
  const keypairs = useKeyPairs(bpId);
  return <Snippet keyId={keypairs.data?.active?.id ?? '<keyId>'} />;
}

function Snippet({ keyId }: { readonly keyId: string }) {
  const text = snippet(keyId);
  return (
    <div className="code-block usage-empty-snippet">
      <pre>
        <code>{text}</code>
      </pre>
      <CopyButton text={text} />
    </div>
  );
}

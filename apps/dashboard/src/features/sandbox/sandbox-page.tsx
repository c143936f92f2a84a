import { Link } from 'wouter';
import { PageHeader } from '../../ui/page-header';
import { useActiveBp } from '../auth/current-session';
import { roleAtLeast } from '../auth/roles';
import { CallbackGuide } from './callback-guide';
import { PendingTransactionsPanel } from './pending-transactions-panel';
import { SimulateDepositPanel } from './simulate-deposit-panel';

const TITLE = 'Sandbox';

export function SandboxPage() {
  const bp = useActiveBp();
  if (bp.environment !== 'sandbox') return <LiveBpExplanation bpName={bp.bpName} />;
  // The server allows simulation from the developer role up; viewers may watch.
  const canAct = roleAtLeast(bp.role, 'developer');
  return (
    <>
      <PageHeader
        title={TITLE}
        description={`Simulate chain activity for ${bp.bpName} and watch your integration react: deposits, confirmations, failures and every callback kind.`}
      />
      {!canAct && (
        <div className="alert alert-warning" role="note">
          <p>You can look around, but as a viewer you cannot simulate anything. Developers, admins and owners can.</p>
        </div>
      )}
      <div className="sandbox-columns">
        {/* Keyed by BP so a result shown for one Business Partner is not left on screen for another. */}
        <SimulateDepositPanel key={bp.bpId} bpId={bp.bpId} canAct={canAct} />
        <CallbackGuide />
      </div>
      <PendingTransactionsPanel bpId={bp.bpId} canAct={canAct} />
    </>
  );
}

/** Live money moves only when real chains say so; there is nothing to simulate. */
function LiveBpExplanation({ bpName }: { readonly bpName: string }) {
  return (
    <>
      <PageHeader title={TITLE} description="Simulated deposits, confirmations and failures for testing an integration." />
      <section className="panel empty-state" data-testid="sandbox-live">
        <h2>{bpName} is a live Business Partner</h2>
        <p className="muted">
          The sandbox is only for sandbox Business Partners, whose testnet networks (SEP, TRX-SHASTA) cannot carry real money. On a live Business Partner every
          deposit and payout comes from a real chain, so nothing here can be simulated. Test against a sandbox Business Partner, then switch your backend to
          this one’s KeyPair.
        </p>
        <Link to="/developers/transactions" className="btn">
          View transactions
        </Link>
      </section>
    </>
  );
}

import { PageHeader } from '../../ui/page-header';
import { useActiveBp } from '../auth/current-session';
import { KeyPairCallout } from '../keypair/keypair-callout';
import { UsageAnalytics } from '../usage/usage-analytics';
import { BpDetailsCard } from './bp-details-card';

/** The page BP engineers open first when something is wrong: is traffic arriving, and is it failing? */
export function OverviewPage() {
  const bp = useActiveBp();
  return (
    <>
      <PageHeader title="Overview" description={`Signed API traffic of ${bp.bpName}: volume, errors and latency.`} />
      {/* Only shown while there is no KeyPair, when it is the one thing that blocks all traffic. */}
      <KeyPairCallout />
      <UsageAnalytics bpId={bp.bpId} />
      <BpDetailsCard />
    </>
  );
}

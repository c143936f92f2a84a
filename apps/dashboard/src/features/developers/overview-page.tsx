import { PageHeader } from '../../ui/page-header';
import { KeyPairCallout } from '../keypair/keypair-callout';
import { BpDetailsCard } from './bp-details-card';
import { ComingSoonPanel } from './coming-soon-panel';
import { OVERVIEW_COMING_SOON } from './coming-soon-sections';

export function OverviewPage() {
  return (
    <>
      <PageHeader title="Overview" description="Your Business Partner and the state of its integration." />
      <KeyPairCallout />
      <BpDetailsCard />
      <ComingSoonPanel description={OVERVIEW_COMING_SOON} />
    </>
  );
}

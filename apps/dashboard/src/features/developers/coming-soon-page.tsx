import { PageHeader } from '../../ui/page-header';
import { ComingSoonPanel } from './coming-soon-panel';
import type { ComingSoonSection } from './coming-soon-sections';

export function ComingSoonPage({ section }: { readonly section: ComingSoonSection }) {
  return (
    <>
      <PageHeader title={section.title} />
      <ComingSoonPanel description={section.description} />
    </>
  );
}

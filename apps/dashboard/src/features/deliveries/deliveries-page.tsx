import { useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { isApiError } from '../../app/api-error';
import { browserTimeZone } from '../../ui/browser-time-zone';
import { PageHeader } from '../../ui/page-header';
import { ProblemAlert } from '../../ui/problem-alert';
import { useActiveBp } from '../auth/current-session';
import { roleAtLeast } from '../auth/roles';
import { isActive, useDeliveries } from './deliveries-api';
import { DeliveriesTable } from './deliveries-table';
import { DeliveryDetailDialog } from './delivery-detail-dialog';
import { type DeliveryFilters, filtersFromSearch, filtersToSearch, hasFilters } from './delivery-filters';
import { DeliveryFiltersBar } from './delivery-filters-bar';
import { RecoverFailedForm } from './recover-failed-form';

const TITLE = 'Deliveries';
const DESCRIPTION = 'Every callback sent to your endpoints, newest first, with each attempt and its answer.';

export function DeliveriesPage() {
  const bp = useActiveBp();
  // Viewers cannot read the delivery log; say so up front instead of showing an error from the server.
  if (!roleAtLeast(bp.role, 'developer')) return <RoleCannotView />;
  // Keyed by BP so an open detail dialog never carries over to another Business Partner.
  return <Deliveries key={bp.bpId} bpId={bp.bpId} />;
}

function RoleCannotView() {
  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <section className="panel empty-state">
        <h2>Your role cannot view deliveries</h2>
        <p className="muted">The delivery log is available to developers, admins and owners. Ask an admin of your team if you need access.</p>
      </section>
    </>
  );
}

/** "6 matching deliveries", or "Newest 25 deliveries" while older ones can still be loaded. */
function countLabel(count: number, filtered: boolean, more: boolean): string {
  const noun = `${filtered ? 'matching ' : ''}${count === 1 ? 'delivery' : 'deliveries'}`;
  return more ? `Newest ${count} ${noun}` : `${count} ${noun}`;
}

function Deliveries({ bpId }: { readonly bpId: string }) {
  // Filters live in the address, so a filtered view survives a reload and can be shared.
  const [params, setParams] = useSearchParams();
  const filters = filtersFromSearch(params);
  const log = useDeliveries(bpId, filters);
  // `?delivery=dlv_…` (e.g. from a test callback or a transaction) opens that delivery.
  const [openId, setOpenId] = useState<string | null>(() => (/^dlv_[0-9a-z]{26}$/.test(params.get('delivery') ?? '') ? params.get('delivery') : null));
  const [tz] = useState(browserTimeZone);

  if (isApiError(log.error, 'insufficient_role')) return <RoleCannotView />;

  const setFilters = (next: DeliveryFilters) => setParams(filtersToSearch(next), { replace: true });
  const deliveries = log.data?.pages.flatMap((page) => page.items) ?? [];
  const active = deliveries.some((d) => isActive(d.status));

  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} actions={<RecoverFailedForm bpId={bpId} />} />
      <section className="panel panel-flush" aria-labelledby="deliveries-title">
        <div className="panel-header">
          <div className="panel-title">
            <h2 id="deliveries-title">Callbacks</h2>
            {active ? (
              <span className="tx-live" role="status">
                <span className={log.isFetching ? 'tx-live-dot fetching' : 'tx-live-dot'} aria-hidden="true" />
                Deliveries in progress: refreshing every 5 s
              </span>
            ) : (
              <span className="muted">Times in {tz}</span>
            )}
          </div>
          {/* A steady label: while deliveries are in progress the list refreshes itself, and a flickering button would distract. */}
          <button type="button" className="btn btn-small" onClick={() => void log.refetch()}>
            Refresh
          </button>
        </div>
        <DeliveryFiltersBar filters={filters} onChange={setFilters} />
        <ProblemAlert error={log.error} />
        {log.isPending && <p className="muted panel-body">Loading deliveries…</p>}
        {log.isSuccess && deliveries.length === 0 && (
          <div className="panel-body tx-empty" data-testid="deliveries-empty">
            {hasFilters(filters) ? (
              <p className="muted">No deliveries match these filters.</p>
            ) : (
              <>
                <p className="tx-empty-title">No callbacks sent yet</p>
                <p className="muted">
                  Each deposit or payout event creates a delivery to the URL of its kind. Set your endpoints on{' '}
                  <Link to="/developers/callback-urls">Callback URLs</Link>, then simulate a deposit in the <Link to="/developers/sandbox">Sandbox</Link> to see
                  one here.
                </p>
              </>
            )}
          </div>
        )}
        {deliveries.length > 0 && (
          <div className={log.isPlaceholderData ? 'tx-stale' : undefined}>
            <DeliveriesTable deliveries={deliveries} onOpen={(delivery) => setOpenId(delivery.id)} />
          </div>
        )}
        {deliveries.length > 0 && (
          <div className="panel-footer footer-actions">
            <span className="muted" data-testid="deliveries-count">
              {countLabel(deliveries.length, hasFilters(filters), log.hasNextPage)}
            </span>
            {log.hasNextPage && (
              <button type="button" className="btn" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
                {log.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
        )}
      </section>
      {openId !== null && <DeliveryDetailDialog key={openId} bpId={bpId} deliveryId={openId} onClose={() => setOpenId(null)} />}
    </>
  );
}

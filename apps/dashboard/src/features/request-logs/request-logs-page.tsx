import { useState } from 'react';
import { useSearchParams } from 'wouter';
import { browserTimeZone } from '../../ui/browser-time-zone';
import { PageHeader } from '../../ui/page-header';
import { ProblemAlert } from '../../ui/problem-alert';
import { useActiveBp } from '../auth/current-session';
import { FindRequestForm } from './find-request-form';
import { RequestDetailDialog } from './request-detail-dialog';
import { filtersFromSearch, filtersToParams, hasFilters, type RequestFilters } from './request-filters';
import { RequestFiltersBar } from './request-filters-bar';
import { type RequestLogEntry, useRequestLog } from './request-log-api';
import { RequestLogTable } from './request-log-table';

/** The request open in the detail dialog: a clicked row comes with its data, a pasted id without. */
interface OpenRequest {
  readonly requestId: string;
  readonly entry: RequestLogEntry | undefined;
}

/** "6 matching requests", or "Newest 50 requests" while older ones can still be loaded. */
function countLabel(count: number, filtered: boolean, more: boolean): string {
  const noun = `${filtered ? 'matching ' : ''}${count === 1 ? 'request' : 'requests'}`;
  return more ? `Newest ${count} ${noun}` : `${count} ${noun}`;
}

export function RequestLogsPage() {
  const bp = useActiveBp();
  // Filters live in the address so links from the Overview (a route, a status code) land filtered.
  const [params, setParams] = useSearchParams();
  const filters = filtersFromSearch(params);
  const log = useRequestLog(bp.bpId, filters);
  const [open, setOpen] = useState<OpenRequest | null>(null);
  const [tz] = useState(browserTimeZone);

  const setFilters = (next: RequestFilters) => setParams(filtersToParams(next), { replace: true });
  const entries = log.data?.pages.flatMap((page) => page.items) ?? [];
  // The server lists routes from its rollups, which lag by a minute; routes on screen and the
  // selected one are offered too, so the select always holds what the table shows.
  const routes = [...new Set([...(log.data?.pages[0]?.routes ?? []), ...entries.map((e) => e.route), ...(filters.route === '' ? [] : [filters.route])])].sort();

  return (
    <>
      <PageHeader
        title="Request logs"
        description={`Every signed /v1 request attributed to ${bp.bpName}, newest first.`}
        actions={<FindRequestForm onFind={(requestId) => setOpen({ requestId, entry: undefined })} />}
      />
      <section className="panel panel-flush" aria-labelledby="requests-title">
        <div className="panel-header">
          <div className="panel-title">
            <h2 id="requests-title">Requests</h2>
            <span className="muted">Times in {tz}</span>
          </div>
          <button type="button" className="btn btn-small" onClick={() => void log.refetch()} disabled={log.isFetching}>
            {log.isFetching && !log.isFetchingNextPage ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
        <RequestFiltersBar key={filters.keyId} filters={filters} routes={routes} onChange={setFilters} />
        <ProblemAlert error={log.error} />
        {log.isPending && <p className="muted panel-body">Loading requests…</p>}
        {log.isSuccess && entries.length === 0 && (
          <div className="panel-body empty-table" data-testid="request-log-empty">
            {hasFilters(filters) ? (
              <p className="muted">No requests match these filters.</p>
            ) : (
              <p className="muted">
                No requests logged yet. Signed requests to the <code>/v1</code> API appear here within a second, including refused ones.
              </p>
            )}
          </div>
        )}
        {entries.length > 0 && <RequestLogTable entries={entries} onOpen={(entry) => setOpen({ requestId: entry.requestId, entry })} />}
        {entries.length > 0 && (
          <div className="panel-footer footer-actions">
            <span className="muted" data-testid="request-log-count">
              {countLabel(entries.length, hasFilters(filters), log.hasNextPage)}
            </span>
            {log.hasNextPage && (
              <button type="button" className="btn" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
                {log.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
        )}
      </section>
      {open !== null && (
        <RequestDetailDialog
          key={open.requestId}
          bpId={bp.bpId}
          requestId={open.requestId}
          initial={open.entry}
          onFilterByKey={(keyId) => {
            setOpen(null);
            setFilters({ ...filters, keyId });
          }}
          onClose={() => setOpen(null)}
        />
      )}
    </>
  );
}

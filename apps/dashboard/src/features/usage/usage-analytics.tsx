import { useState } from 'react';
import { useSearchParams } from 'wouter';
import { browserTimeZone } from '../../ui/browser-time-zone';
import { ProblemAlert } from '../../ui/problem-alert';
import { CustomRangeForm } from './custom-range-form';
import { OverviewSkeleton } from './overview-skeleton';
import { RangePicker } from './range-picker';
import { RefreshControl } from './refresh-control';
import { useUsageOverview } from './usage-api';
import { type OverviewRange, periodLabel, previousPeriodLabel, rangeFromSearch, rangeQuery } from './usage-range';
import { UsageReport } from './usage-report';

const HOUR_MS = 3_600_000;

/** Usage analytics of one BP: range picker, auto-refresh, KPIs, charts and endpoints. */
export function UsageAnalytics({ bpId }: { readonly bpId: string }) {
  // The range lives in the address so a link to an incident's window opens that window.
  const [params, setParams] = useSearchParams();
  const range = rangeFromSearch(params);
  const [editingCustom, setEditingCustom] = useState(false);
  const [autoRefresh, setAutoRefresh] = useState(true);
  const [tz] = useState(browserTimeZone);
  const overview = useUsageOverview(bpId, range, tz, autoRefresh);

  function select(next: OverviewRange) {
    setEditingCustom(false);
    setParams(rangeQuery(next), { replace: true });
  }

  const shown = overview.data?.range;
  const now = Date.now();
  return (
    <>
      <div className="usage-toolbar">
        <RangePicker range={range} editingCustom={editingCustom} onPreset={select} onCustom={() => setEditingCustom(true)} />
        <RefreshControl
          tz={tz}
          updatedAt={overview.dataUpdatedAt}
          fetching={overview.isFetching}
          autoRefresh={autoRefresh}
          onAutoRefreshChange={setAutoRefresh}
          onRefresh={() => void overview.refetch()}
        />
      </div>
      {editingCustom && (
        <CustomRangeForm
          initial={shown ?? { from: new Date(now - 24 * HOUR_MS).toISOString(), to: new Date(now).toISOString() }}
          tz={tz}
          onApply={select}
          onCancel={() => setEditingCustom(false)}
        />
      )}
      <ProblemAlert error={overview.error} />
      {overview.data === undefined ? (
        overview.isPending && <OverviewSkeleton />
      ) : (
        <UsageReport overview={overview.data} comparedWith={previousPeriodLabel(range)} period={periodLabel(range)} stale={overview.isPlaceholderData} />
      )}
    </>
  );
}

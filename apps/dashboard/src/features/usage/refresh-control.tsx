import { formatClockTime } from './bucket-time';

interface RefreshControlProps {
  readonly tz: string;
  /** When the data on screen was fetched; 0 before the first answer. */
  readonly updatedAt: number;
  readonly fetching: boolean;
  readonly autoRefresh: boolean;
  readonly onAutoRefreshChange: (on: boolean) => void;
  readonly onRefresh: () => void;
}

export function RefreshControl({ tz, updatedAt, fetching, autoRefresh, onAutoRefreshChange, onRefresh }: RefreshControlProps) {
  return (
    <div className="refresh-control">
      <span className="muted" data-testid="usage-time-zone">
        Times in {tz}
      </span>
      <span className="refresh-separator" aria-hidden="true" />
      {/* The time stays put while a refresh runs (the dot pulses instead), so the text does not flicker every 30 s. */}
      <span className="muted last-updated" data-testid="usage-last-updated">
        <span className={fetching ? 'live-dot fetching' : autoRefresh ? 'live-dot' : 'live-dot paused'} aria-hidden="true" />
        {updatedAt === 0 ? 'Loading…' : `Last updated ${formatClockTime(updatedAt)}`}
      </span>
      <label className="switch">
        <input type="checkbox" role="switch" aria-checked={autoRefresh} checked={autoRefresh} onChange={(event) => onAutoRefreshChange(event.target.checked)} />
        <span className="switch-track" aria-hidden="true" />
        <span>Auto-refresh</span>
      </label>
      <button type="button" className="btn btn-small" onClick={onRefresh} disabled={fetching}>
        Refresh
      </button>
    </div>
  );
}

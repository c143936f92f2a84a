import { Suspense, useMemo } from 'react';
import { Link } from 'wouter';
import { Skeleton } from '../../ui/skeleton';
import { requestLogsPath } from '../request-logs/request-filters';
import { STATUS_DONUT_SIZE } from './chart-theme';
import { statusText } from './http-status-text';
import { LazyStatusCodesDonut } from './lazy-charts';
import { statusCodeColors } from './status-code-colors';
import type { StatusCount } from './usage-api';
import { formatCount, formatRate } from './usage-format';

export function StatusCodesPanel({ statusCodes }: { readonly statusCodes: readonly StatusCount[] }) {
  const colors = useMemo(() => statusCodeColors(statusCodes.map((row) => row.status)), [statusCodes]);
  const total = statusCodes.reduce((sum, row) => sum + row.count, 0);
  return (
    <section className="panel" aria-labelledby="status-codes-title">
      <div className="panel-header">
        <h2 id="status-codes-title">HTTP status codes</h2>
      </div>
      <div className="status-codes">
        <Suspense fallback={<Skeleton className="donut-skeleton" width={STATUS_DONUT_SIZE} height={STATUS_DONUT_SIZE} />}>
          <LazyStatusCodesDonut statusCodes={statusCodes} colors={colors} total={total} />
        </Suspense>
        <div className="legend-table-frame">
          <table className="legend-table" data-testid="status-codes-table">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col" className="cell-number">
                  Requests
                </th>
                <th scope="col" className="cell-number">
                  Share
                </th>
              </tr>
            </thead>
            <tbody>
              {statusCodes.map((row) => (
                <tr key={row.status}>
                  <td>
                    <Link
                      to={requestLogsPath({ status: String(row.status) })}
                      className="legend-status"
                      title={`${row.status} ${statusText(row.status)}: open its request logs`}
                    >
                      <span className="status-dot" style={{ background: colors.get(row.status) }} aria-hidden="true" />
                      <span className="legend-code">{row.status}</span>
                      <span className="legend-reason">{statusText(row.status)}</span>
                    </Link>
                  </td>
                  <td className="cell-number">{formatCount(row.count)}</td>
                  <td className="cell-number muted">{formatRate(total === 0 ? null : row.count / total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

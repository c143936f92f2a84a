import { Link } from 'wouter';
import { requestLogsPath } from '../request-logs/request-filters';
import type { EndpointUsage } from './usage-api';
import { formatCount, formatMs, formatRate } from './usage-format';

/** Above this an endpoint's error rate is worth a look, so it is highlighted. */
const ERROR_RATE_ALERT = 0.05;

export function EndpointsTable({ endpoints, total }: { readonly endpoints: readonly EndpointUsage[]; readonly total: number }) {
  return (
    <section className="panel panel-flush" aria-labelledby="endpoints-title">
      <div className="panel-header">
        <h2 id="endpoints-title">Endpoints</h2>
        <span className="muted">{endpoints.length === 1 ? '1 endpoint' : `${endpoints.length} endpoints`}, busiest first</span>
      </div>
      <div className="table-scroll">
        <table className="table" data-testid="endpoints-table">
          <thead>
            <tr>
              <th scope="col">Endpoint</th>
              <th scope="col" className="cell-number">
                Requests
              </th>
              <th scope="col" className="cell-number">
                Error rate
              </th>
              <th scope="col" className="cell-number">
                p95
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {endpoints.map((endpoint) => {
              const alert = endpoint.errorRate > ERROR_RATE_ALERT;
              return (
                <tr key={`${endpoint.method} ${endpoint.route}`}>
                  <td>
                    <div className="endpoint">
                      <span className="method-badge">{endpoint.method}</span>
                      <code className="route">{endpoint.route}</code>
                    </div>
                  </td>
                  <td className="cell-number">
                    <div className="share">
                      <span className="share-bar" aria-hidden="true">
                        <span style={{ width: `${total === 0 ? 0 : (endpoint.count / total) * 100}%` }} />
                      </span>
                      <span className="share-count">{formatCount(endpoint.count)}</span>
                    </div>
                  </td>
                  <td className="cell-number">
                    <span className={alert ? 'rate-alert' : undefined} title={alert ? 'More than 5% of requests failed' : undefined}>
                      {formatRate(endpoint.errorRate)}
                    </span>
                  </td>
                  <td className="cell-number">{endpoint.p95Ms === null ? '—' : `≤ ${formatMs(endpoint.p95Ms)}`}</td>
                  <td className="cell-actions">
                    <Link to={requestLogsPath({ route: endpoint.route })} className="btn btn-small" aria-label={`Request logs for ${endpoint.route}`}>
                      Logs
                    </Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

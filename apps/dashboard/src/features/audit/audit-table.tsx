import { formatDateTime } from '../../ui/format';
import type { AuditRecord } from './audit-api';
import { AuditDetails } from './audit-details';

/** Where a change came from and which request made it sit under the time and action, to keep the table narrow. */
export function AuditTable({ records }: { readonly records: readonly AuditRecord[] }) {
  return (
    <div className="table-scroll">
      <table className="table audit-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">Actor</th>
            <th scope="col">Target</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {records.map((record) => (
            <tr key={record.id}>
              <td className="cell-nowrap">
                <div>{formatDateTime(record.createdAt)}</div>
                {record.ip !== null && <div className="cell-secondary">from {record.ip}</div>}
              </td>
              <td>
                <code className="action-code">{record.action}</code>
                {record.requestId !== null && <div className="cell-secondary mono">{record.requestId}</div>}
              </td>
              <td>
                <div className="cell-primary">{record.actor.label}</div>
                <div className="cell-secondary">{record.actor.type.replace('_', ' ')}</div>
              </td>
              <td>
                <div>{record.target.type}</div>
                {record.target.id !== null && <div className="cell-secondary mono">{record.target.id}</div>}
              </td>
              <td>
                <AuditDetails details={record.details} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

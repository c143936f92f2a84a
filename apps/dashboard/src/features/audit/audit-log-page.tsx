import { useState } from 'react';
import { isApiError } from '../../app/api-error';
import { PageHeader } from '../../ui/page-header';
import { ProblemAlert } from '../../ui/problem-alert';
import { SelectField } from '../../ui/select-field';
import { useActiveBp } from '../auth/current-session';
import { roleAtLeast } from '../auth/roles';
import { useAuditActions, useAuditLog } from './audit-api';
import { AuditTable } from './audit-table';

const DESCRIPTION = 'Security-relevant changes to this Business Partner, newest first.';

export function AuditLogPage() {
  const bp = useActiveBp();
  // Viewers cannot read the log; say so up front instead of showing an error from the server.
  if (!roleAtLeast(bp.role, 'developer')) return <RoleCannotView />;
  return <AuditLog bpId={bp.bpId} />;
}

function RoleCannotView() {
  return (
    <>
      <PageHeader title="Audit log" description={DESCRIPTION} />
      <section className="panel empty-state">
        <h2>Your role cannot view the audit log</h2>
        <p className="muted">The audit log is available to developers, admins and owners. Ask an admin of your team if you need access.</p>
      </section>
    </>
  );
}

function AuditLog({ bpId }: { readonly bpId: string }) {
  const [action, setAction] = useState('');
  const log = useAuditLog(bpId, action);
  const actions = useAuditActions(bpId);

  // The role may have changed since the session was loaded; the server has the final word.
  if (isApiError(log.error, 'insufficient_role')) return <RoleCannotView />;

  const records = log.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader title="Audit log" description={DESCRIPTION} />
      <section className="panel panel-flush">
        <div className="toolbar">
          {/* A choice of the actions this log holds: a typo can no longer hide everything. */}
          <SelectField
            label="Action"
            value={action}
            options={[{ value: '', label: 'All actions' }, ...(actions.data?.items ?? []).map((a) => ({ value: a, label: a }))]}
            onChange={setAction}
            className="field-inline"
          />
          {action !== '' && (
            <button type="button" className="btn-link" onClick={() => setAction('')}>
              Clear
            </button>
          )}
        </div>
        <ProblemAlert error={log.error} />
        {log.isPending && <p className="muted panel-body">Loading audit log…</p>}
        {log.isSuccess && records.length === 0 && (
          <p className="muted panel-body">{action === '' ? 'Nothing recorded yet.' : `No entries for action “${action}”.`}</p>
        )}
        {records.length > 0 && <AuditTable records={records} />}
        {log.hasNextPage && (
          <div className="panel-footer">
            <button type="button" className="btn" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
              {log.isFetchingNextPage ? 'Loading…' : 'Load older entries'}
            </button>
          </div>
        )}
      </section>
    </>
  );
}

import { type FormEvent, useState } from 'react';
import { isApiError } from '../../app/api-error';
import { PageHeader } from '../../ui/page-header';
import { ProblemAlert } from '../../ui/problem-alert';
import { TextField } from '../../ui/text-field';
import { useActiveBp } from '../auth/current-session';
import { roleAtLeast } from '../auth/roles';
import { useAuditLog } from './audit-api';
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
  const [draft, setDraft] = useState('');
  const [action, setAction] = useState('');
  const log = useAuditLog(bpId, action);

  // The role may have changed since the session was loaded; the server has the final word.
  if (isApiError(log.error, 'insufficient_role')) return <RoleCannotView />;

  function filter(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAction(draft.trim());
  }

  const records = log.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader title="Audit log" description={DESCRIPTION} />
      <section className="panel panel-flush">
        <form onSubmit={filter} className="toolbar">
          <TextField label="Filter by action" placeholder="e.g. member.invited" value={draft} onChange={setDraft} className="field-inline" />
          <button type="submit" className="btn">
            Apply filter
          </button>
          {action !== '' && (
            <button
              type="button"
              className="btn-link"
              onClick={() => {
                setDraft('');
                setAction('');
              }}
            >
              Clear
            </button>
          )}
        </form>
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

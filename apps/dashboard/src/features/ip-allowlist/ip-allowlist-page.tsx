import { isApiError } from '../../app/api-error';
import { PageHeader } from '../../ui/page-header';
import { ProblemAlert } from '../../ui/problem-alert';
import { useActiveBp } from '../auth/current-session';
import { roleAtLeast } from '../auth/roles';
import { AllowlistEditor } from './allowlist-editor';
import { CallbackSourcesPanel } from './callback-sources-panel';
import { useIpAllowlist } from './ip-allowlist-api';

const TITLE = 'IP allowlist';
const DESCRIPTION = 'Limit signed API requests to the addresses your backend servers call from, so a leaked key is useless elsewhere.';

export function IpAllowlistPage() {
  const bp = useActiveBp();
  // Viewers cannot read the allowlist; say so up front instead of showing an error from the server.
  if (!roleAtLeast(bp.role, 'developer')) return <RoleCannotView />;
  return <IpAllowlist bpId={bp.bpId} canManage={roleAtLeast(bp.role, 'admin')} />;
}

function RoleCannotView() {
  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <section className="panel empty-state">
        <h2>Your role cannot view the IP allowlist</h2>
        <p className="muted">The IP allowlist is available to developers, admins and owners. Ask an admin of your team if you need access.</p>
      </section>
    </>
  );
}

function IpAllowlist({ bpId, canManage }: { readonly bpId: string; readonly canManage: boolean }) {
  const allowlist = useIpAllowlist(bpId);
  // The role may have changed since the session was loaded; the server has the final word.
  if (isApiError(allowlist.error, 'insufficient_role')) return <RoleCannotView />;

  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <ProblemAlert error={allowlist.error} />
      {allowlist.isPending && <p className="muted">Loading IP allowlist…</p>}
      {allowlist.data !== undefined && (
        <>
          {allowlist.data.recommendation !== null && (
            <div className="callout callout-warning" role="note" data-testid="allowlist-recommendation">
              <h2>No IP restriction yet</h2>
              <p>{allowlist.data.recommendation}</p>
            </div>
          )}
          {/* Keyed by BP so switching Business Partner never carries one BP's unsaved edits to another. */}
          <AllowlistEditor key={bpId} bpId={bpId} allowlist={allowlist.data} canManage={canManage} />
          <CallbackSourcesPanel addresses={allowlist.data.callbackSourceIps} />
        </>
      )}
    </>
  );
}

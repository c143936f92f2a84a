import { Link } from 'wouter';
import { isApiError } from '../../app/api-error';
import { PageHeader } from '../../ui/page-header';
import { ProblemAlert } from '../../ui/problem-alert';
import { useActiveBp } from '../auth/current-session';
import { roleAtLeast } from '../auth/roles';
import { useCallbackSettings } from './callback-settings-api';
import { CallbackSettingsForm } from './callback-settings-form';
import { CallbackSourcesPanel } from './callback-sources-panel';
import { TestCallbacksPanel } from './test-callbacks-panel';

const TITLE = 'Callback URLs';
const DESCRIPTION = 'Where Paygate sends signed callbacks about your deposits and payouts, one URL per kind of event.';

export function CallbackUrlsPage() {
  const bp = useActiveBp();
  // Viewers cannot read the settings; say so up front instead of showing an error from the server.
  if (!roleAtLeast(bp.role, 'developer')) return <RoleCannotView />;
  return <CallbackUrls bpId={bp.bpId} canManage={roleAtLeast(bp.role, 'admin')} />;
}

function RoleCannotView() {
  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <section className="panel empty-state">
        <h2>Your role cannot view callback URLs</h2>
        <p className="muted">Callback URLs are available to developers, admins and owners. Ask an admin of your team if you need access.</p>
      </section>
    </>
  );
}

function CallbackUrls({ bpId, canManage }: { readonly bpId: string; readonly canManage: boolean }) {
  const settings = useCallbackSettings(bpId);
  // The role may have changed since the session was loaded; the server has the final word.
  if (isApiError(settings.error, 'insufficient_role')) return <RoleCannotView />;

  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <ProblemAlert error={settings.error} />
      {settings.isPending && <p className="muted">Loading callback URLs…</p>}
      {/* Keyed by BP so switching Business Partner never carries one BP's unsaved edits to another. */}
      {settings.data !== undefined && <CallbackSettingsForm key={bpId} bpId={bpId} settings={settings.data} canManage={canManage} />}
      {settings.data !== undefined && <TestCallbacksPanel key={`test-${bpId}`} bpId={bpId} settings={settings.data} />}
      <p className="muted callback-links">
        Every callback is signed with your <Link to="/developers/api-secret">API secret</Link>: verify it before acting. Each attempt and its answer are listed
        under <Link to="/developers/deliveries">Deliveries</Link>.
      </p>
      <CallbackSourcesPanel bpId={bpId} />
    </>
  );
}

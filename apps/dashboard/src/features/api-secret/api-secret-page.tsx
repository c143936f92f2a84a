import { useState } from 'react';
import { isApiError } from '../../app/api-error';
import { PageHeader } from '../../ui/page-header';
import { ProblemAlert } from '../../ui/problem-alert';
import { useActiveBp } from '../auth/current-session';
import { roleAtLeast } from '../auth/roles';
import { ActiveSecretsPanel } from './active-secrets-panel';
import { type RevealedSecret, useApiSecrets } from './api-secret-api';
import type { IssuedSecret } from './issued-secret';
import { IssuedSecretPanel } from './issued-secret-panel';
import { RotateSecretDialog } from './rotate-secret-dialog';
import { VerifyCallbacksPanel } from './verify-callbacks-panel';

const TITLE = 'API Secret';
const DESCRIPTION = 'Paygate signs every callback with this secret, so your backend can tell genuine callbacks from forged ones.';

export function ApiSecretPage() {
  const bp = useActiveBp();
  // Viewers cannot read the secrets' metadata; say so up front instead of showing an error from the server.
  if (!roleAtLeast(bp.role, 'developer')) return <RoleCannotView />;
  // Keyed by BP so values revealed for one Business Partner are never left on screen for another.
  return <ApiSecrets key={bp.bpId} bpId={bp.bpId} canManage={roleAtLeast(bp.role, 'admin')} />;
}

function RoleCannotView() {
  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <section className="panel empty-state">
        <h2>Your role cannot view the API secret</h2>
        <p className="muted">The API secret is available to developers, admins and owners. Ask an admin of your team if you need access.</p>
      </section>
    </>
  );
}

function ApiSecrets({ bpId, canManage }: { readonly bpId: string; readonly canManage: boolean }) {
  const secrets = useApiSecrets(bpId);
  // Secret values live here only, never in the query cache, and go when hidden or when the page closes.
  const [revealed, setRevealed] = useState<readonly RevealedSecret[] | null>(null);
  const [issued, setIssued] = useState<IssuedSecret | null>(null);
  const [rotating, setRotating] = useState(false);

  // The role may have changed since the session was loaded; the server has the final word.
  if (isApiError(secrets.error, 'insufficient_role')) return <RoleCannotView />;

  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      {issued !== null && <IssuedSecretPanel key={issued.id} issued={issued} onSaved={() => setIssued(null)} />}
      <ProblemAlert error={secrets.error} />
      {secrets.isPending && <p className="muted">Loading API secret…</p>}
      {secrets.data !== undefined && (
        <ActiveSecretsPanel
          bpId={bpId}
          secrets={secrets.data}
          canManage={canManage}
          revealed={revealed}
          onRevealed={setRevealed}
          onHide={() => setRevealed(null)}
          onRotate={() => setRotating(true)}
        />
      )}
      <VerifyCallbacksPanel />
      {rotating && secrets.data !== undefined && (
        <RotateSecretDialog
          bpId={bpId}
          secrets={secrets.data}
          onRotated={(next) => {
            // Values revealed before no longer match the list (a new secret, an end for the old one).
            setRevealed(null);
            setIssued(next);
          }}
          onClose={() => setRotating(false)}
        />
      )}
    </>
  );
}

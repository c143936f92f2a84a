import { useState } from 'react';
import { isApiError } from '../../app/api-error';
import { PageHeader } from '../../ui/page-header';
import { ProblemAlert } from '../../ui/problem-alert';
import { useActiveBp } from '../auth/current-session';
import { roleAtLeast } from '../auth/roles';
import { ActiveKeyCard } from './active-key-card';
import type { IssuedKey } from './issued-key';
import { useKeyPairs } from './keypair-api';
import { KeyPairHistoryTable } from './keypair-history-table';
import { KeyPairOnboarding } from './keypair-onboarding';
import { PrivateKeyPanel } from './private-key-panel';
import { UploadedKeyNotice } from './uploaded-key-notice';

const TITLE = 'KeyPair';
const DESCRIPTION = 'The Ed25519 Secondary KeyPair your backend signs API requests with. Paygate keeps only its public key.';

export function KeyPairPage() {
  const bp = useActiveBp();
  // Viewers cannot read keys; say so up front instead of showing an error from the server.
  if (!roleAtLeast(bp.role, 'developer')) return <RoleCannotView />;
  return <KeyPairs bpId={bp.bpId} canManage={roleAtLeast(bp.role, 'admin')} />;
}

function RoleCannotView() {
  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <section className="panel empty-state">
        <h2>Your role cannot view the KeyPair</h2>
        <p className="muted">The KeyPair is available to developers, admins and owners. Ask an admin of your team if you need access.</p>
      </section>
    </>
  );
}

function KeyPairs({ bpId, canManage }: { readonly bpId: string; readonly canManage: boolean }) {
  const keypairs = useKeyPairs(bpId);
  // Held here, not in the query cache, and dropped on "I have saved it" or when the page closes.
  const [issued, setIssued] = useState<IssuedKey | null>(null);

  // The role may have changed since the session was loaded; the server has the final word.
  if (isApiError(keypairs.error, 'insufficient_role')) return <RoleCannotView />;

  const active = keypairs.data?.active ?? null;
  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      {issued !== null &&
        (issued.secret === null ? (
          <UploadedKeyNotice key={issued.keyId} keyId={issued.keyId} onDismiss={() => setIssued(null)} />
        ) : (
          <PrivateKeyPanel
            key={issued.keyId}
            keyId={issued.keyId}
            privateKey={issued.secret.privateKey}
            keyFile={issued.secret.keyFile}
            onSaved={() => setIssued(null)}
          />
        ))}
      <ProblemAlert error={keypairs.error} />
      {keypairs.isPending && <p className="muted">Loading KeyPair…</p>}
      {keypairs.data !== undefined && (
        <>
          {active === null ? (
            <KeyPairOnboarding bpId={bpId} canManage={canManage} onIssued={setIssued} />
          ) : (
            <ActiveKeyCard bpId={bpId} keypair={active} canManage={canManage} onIssued={setIssued} />
          )}
          {(active !== null || keypairs.data.revoked.length > 0) && <KeyPairHistoryTable revoked={keypairs.data.revoked} />}
        </>
      )}
    </>
  );
}

import { useState } from 'react';
import { formatDate } from '../../ui/format';
import { ProblemAlert } from '../../ui/problem-alert';
import { useActiveBp } from '../auth/current-session';
import { ROLE_LABELS } from '../auth/roles';
import { useBusinessPartner } from './bp-api';
import { RenameBpForm } from './rename-bp-form';

export function BpDetailsCard() {
  const membership = useActiveBp();
  const bp = useBusinessPartner(membership.bpId);
  const [renaming, setRenaming] = useState(false);

  return (
    <section className="panel" aria-labelledby="bp-details-title">
      <div className="panel-header">
        <h2 id="bp-details-title">Business Partner</h2>
        {membership.role === 'owner' && !renaming && bp.data !== undefined && (
          <button type="button" className="btn btn-small" onClick={() => setRenaming(true)}>
            Rename
          </button>
        )}
      </div>
      {bp.isPending && <p className="muted">Loading…</p>}
      <ProblemAlert error={bp.error} />
      {bp.data !== undefined &&
        (renaming ? (
          <RenameBpForm bpId={bp.data.id} currentName={bp.data.name} onDone={() => setRenaming(false)} />
        ) : (
          <dl className="details-grid">
            <div>
              <dt>Name</dt>
              <dd>{bp.data.name}</dd>
            </div>
            <div>
              <dt>Environment</dt>
              <dd>
                <span className={`badge badge-${bp.data.environment}`}>{bp.data.environment === 'live' ? 'Live' : 'Sandbox'}</span>
              </dd>
            </div>
            <div>
              <dt>Business Partner ID</dt>
              <dd>
                <code>{bp.data.id}</code>
              </dd>
            </div>
            <div>
              <dt>Your role</dt>
              <dd>{ROLE_LABELS[bp.data.role]}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{formatDate(bp.data.createdAt)}</dd>
            </div>
          </dl>
        ))}
    </section>
  );
}

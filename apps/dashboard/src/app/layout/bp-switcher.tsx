import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { authApi } from '../../features/auth/auth-api';
import { activeMembership, useCurrentSession } from '../../features/auth/current-session';
import { ROLE_LABELS } from '../../features/auth/roles';
import { storeSession } from '../../features/auth/session-query';
import { ApiError } from '../api-error';

export function BpSwitcher() {
  const session = useCurrentSession();
  const client = useQueryClient();
  const id = useId();
  const switchBp = useMutation({
    mutationFn: authApi.switchBp,
    onSuccess: async (next) => {
      storeSession(client, next);
      // Every cached list belonged to the previous BP.
      await client.invalidateQueries();
    },
  });
  const active = activeMembership(session);
  if (session.memberships.length === 0) return <span className="muted">No Business Partner</span>;

  return (
    <div className="bp-switcher">
      <label htmlFor={id} className="visually-hidden">
        Business Partner
      </label>
      <select
        id={id}
        data-testid="bp-switcher"
        data-leaves-page
        data-current={session.activeBpId ?? ''}
        value={session.activeBpId ?? ''}
        onChange={(event) => switchBp.mutate(event.target.value)}
        disabled={switchBp.isPending}
      >
        {session.activeBpId === null && (
          <option value="" disabled>
            Choose a Business Partner
          </option>
        )}
        {session.memberships.map((m) => (
          <option key={m.bpId} value={m.bpId}>
            {m.bpName}
          </option>
        ))}
      </select>
      {active !== null && (
        <>
          <span className={`badge badge-${active.environment}`}>{active.environment === 'live' ? 'Live' : 'Sandbox'}</span>
          <span className="badge badge-neutral">{ROLE_LABELS[active.role]}</span>
        </>
      )}
      {switchBp.error instanceof ApiError && (
        <span className="inline-error" role="alert">
          {switchBp.error.detail}
        </span>
      )}
    </div>
  );
}
